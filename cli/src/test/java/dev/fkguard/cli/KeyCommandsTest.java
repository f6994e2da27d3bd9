package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** add-key and drop-key in-process: exit statuses, messages, and the declaration SQLite reads afterwards. */
class KeyCommandsTest {
    @TempDir
    Path dir;
    Path db;
    String out;
    String err;

    @BeforeEach
    void database() throws SQLException {
        db = dir.resolve("music.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER, title TEXT)");
            st.execute("INSERT INTO artist VALUES (1, 'a')");
            st.execute("INSERT INTO album VALUES (10, 1, 'x')");
        }
    }

    private int fkguard(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return status;
    }

    private long keys() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pragma_foreign_key_list('album')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void addKeyDeclaresTheKeyAndSaysWhatItDid() throws SQLException {
        int status = fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist_id", "--parent", "artist");

        assertEquals(0, status, err);
        assertTrue(out.contains("added foreign key album(artist_id) -> artist; created "), out);
        assertEquals(1, keys());
    }

    @Test
    void dropKeyByColumnsRemovesTheDeclaration() throws SQLException {
        assertEquals(0, fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist_id", "--parent", "artist"));

        assertEquals(0, fkguard("drop-key", db.toString(), "--table", "album", "--columns", "artist_id"), err);

        assertEquals(0, keys());
    }

    @Test
    void dryRunPrintsTheEditAndChangesNothing() throws SQLException {
        int status = fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist_id", "--parent", "artist",
                "--dry-run");

        assertEquals(0, status, err);
        assertTrue(out.startsWith("PRAGMA writable_schema = ON;"), out);
        assertEquals(0, keys());
    }

    @Test
    void aRefusedKeyExitsOneAndNamesTheProblem() throws SQLException {
        int status = fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist", "--parent", "artist");

        assertEquals(1, status);
        assertTrue(err.contains("refused, nothing was changed"), err);
        assertTrue(err.contains("child column album.artist does not exist"), err);
        assertEquals(0, keys());
    }

    @Test
    void anUnknownActionIsAUsageError() {
        int status = fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist_id", "--parent", "artist",
                "--on-delete", "explode");

        assertEquals(2, status);
        assertTrue(err.contains("ON DELETE must be one of NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT, not 'explode'"), err);
    }

    @Test
    void dropKeyNeedsANameOrColumns() {
        assertEquals(2, fkguard("drop-key", db.toString(), "--table", "album"));
        assertTrue(err.contains("give either --name or --columns"), err);
    }
}
