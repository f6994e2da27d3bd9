package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A refusal or a plan on a big schema fits one screen: problems first, warnings one line per kind, a total. */
class ReportTextTest {
    static final int CHILDREN = 40;

    @TempDir
    static Path shared;
    static Path template;
    @TempDir
    Path dir;
    Path db;
    String out;
    String err;

    @BeforeAll
    static void aBigSchemaWithoutChildIndexesAndOneOrphan() throws SQLException {
        template = shared.resolve("big.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + template); Statement st = c.createStatement()) {
            st.execute("BEGIN");
            st.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)");
            for (int i = 0; i < CHILDREN; i++) {
                st.execute("CREATE TABLE c" + i + " (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id))");
            }
            st.execute("INSERT INTO c7 VALUES (1, 99)");
            st.execute("COMMIT");
        }
    }

    @BeforeEach
    void copy() throws java.io.IOException {
        db = Files.copy(template, dir.resolve("big.db"));
    }

    private int fkguard(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return status;
    }

    @Test
    void aRefusalShowsTheProblemFirstAndOneLinePerKindOfWarningAndATotal() {
        assertEquals(1, fkguard("sync", db.toString()));
        List<String> lines = err.lines().toList();
        assertTrue(lines.size() <= 5, err);
        assertTrue(lines.get(1).startsWith("  problem: 1 row of c7 breaks foreign key c7(pid) -> p(id)"), err);
        assertTrue(err.contains("  warning: " + CHILDREN + " foreign keys have no index on their child columns"), err);
        assertTrue(lines.get(lines.size() - 1).startsWith("  total: 1 problem, " + CHILDREN + " warnings (--verbose"), err);
    }

    @Test
    void verboseListsEveryWarning() {
        assertEquals(1, fkguard("sync", "--verbose", db.toString()));
        assertEquals(CHILDREN, err.lines().filter(l -> l.startsWith("  warning: ") && l.contains("no index on")).count());
    }

    @Test
    void quietShowsTheProblemsButNoWarnings() {
        assertEquals(1, fkguard("sync", "-q", db.toString()));
        assertTrue(err.contains("problem: 1 row of c7"), err);
        assertFalse(err.contains("warning:"), err);
    }

    @Test
    void planGroupsItsWarningsToo() {
        assertEquals(1, fkguard("plan", db.toString()));
        assertTrue(err.lines().count() <= 6, err);
        assertEquals(1, err.lines().filter(l -> l.contains("warning:")).count(), err);
    }

    @Test
    void jsonStillHasEveryWarning() {
        fkguard("plan", "--json", db.toString());
        assertEquals(CHILDREN, out.split("no index on", -1).length - 1);
    }

    @Test
    void aHugeKeyValueIsCutInTheReport() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("DELETE FROM c7");
            st.execute("CREATE TABLE w (k TEXT PRIMARY KEY, pid INTEGER REFERENCES p(id)) WITHOUT ROWID");
            st.execute("INSERT INTO w VALUES (hex(randomblob(50000)), 99)");
        }
        assertEquals(1, fkguard("sync", db.toString()));
        assertTrue(err.contains("1 row of w breaks foreign key w(pid) -> p(id)"), err);
        assertTrue(err.lines().allMatch(l -> l.length() < 600), "longest line: " + err.lines().mapToInt(String::length).max());
    }
}
