package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The foreign-key graph a migration carries to the next: updated for the tables read again, it equals a full read. */
class KeyGraphTest {
    @TempDir
    Path dir;
    Connection c;
    Database db;

    @BeforeEach
    void open() throws SQLException {
        c = TestDb.open(dir.resolve("g.db"));
        TestDb.exec(c, "CREATE TABLE a (id INTEGER PRIMARY KEY)",
                "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id))",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id), a_id INTEGER REFERENCES a(id))",
                "CREATE TABLE s (id INTEGER PRIMARY KEY, up INTEGER REFERENCES s(id))");
        db = new Database(c, "main");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    /** Runs the statements, then updates {@code before} for {@code reread} and compares it with a full read. */
    private KeyGraph afterChange(KeyGraph before, Set<String> reread, String... statements) throws SQLException {
        TestDb.exec(c, statements);
        KeyGraph updated = db.reader().graph(Options.defaults(), before, reread);
        KeyGraph full = db.reader().graph(Options.defaults());
        assertEquals(full.tables(), updated.tables());
        assertEquals(full.parents(), updated.parents());
        assertEquals(full.keys(), updated.keys());
        assertEquals(full.children(), updated.children());
        assertEquals(full.cycles(), updated.cycles());
        return updated;
    }

    @Test
    void aNewLeafTableAddsItsEdgesAndNoCycle() throws SQLException {
        KeyGraph g = afterChange(db.reader().graph(Options.defaults()), Set.of("d"),
                "CREATE TABLE d (id INTEGER PRIMARY KEY, c_id INTEGER REFERENCES c(id), a_id INTEGER REFERENCES a(id))");
        assertEquals(Set.of("b", "c", "d"), g.children().get("a"));
        assertTrue(g.cycles().isEmpty(), "a self reference is not a cycle here: " + g.cycles());
    }

    @Test
    void aTableThatIsReferencedGainingAParentCanCloseACycle() throws SQLException {
        KeyGraph g = afterChange(db.reader().graph(Options.defaults()), Set.of("a"),
                "ALTER TABLE a ADD COLUMN c_id INTEGER REFERENCES c(id)");
        assertEquals(Set.of("a", "b", "c"), g.cycles());
        // and a rebuild that takes the key away again opens it
        g = afterChange(g, Set.of("a", "a_new"), "CREATE TABLE a_new (id INTEGER PRIMARY KEY)",
                "INSERT INTO a_new SELECT id FROM a", "DROP TABLE a", "ALTER TABLE a_new RENAME TO a");
        assertTrue(g.cycles().isEmpty(), g.cycles().toString());
    }

    @Test
    void aDroppedTableLeavesTheEdgesOfItsChildrenWhenTheyAreReadAgain() throws SQLException {
        KeyGraph g = afterChange(db.reader().graph(Options.defaults()), Set.of("b", "c"), "DROP TABLE b");
        assertEquals(Set.of("b", "a"), g.parents().get("c"), "c still declares its key to b");
        assertEquals(Set.of("c"), g.children().get("b"));
    }

    @Test
    void aChildThatLosesItsLastParentLeavesNoEmptyEntry() throws SQLException {
        KeyGraph g = afterChange(db.reader().graph(Options.defaults()), Set.of("c", "c_new"),
                "CREATE TABLE c_new (id INTEGER PRIMARY KEY)", "DROP TABLE c", "ALTER TABLE c_new RENAME TO c");
        assertEquals(Set.of("b"), g.children().get("a"));
        assertTrue(!g.children().containsKey("b"), g.children().toString());
    }

    @Test
    void tablesReadAgainByNameAreTheTablesAFullReadFindsAndNoViewVirtualOrTempTable() throws SQLException {
        // the tables read again by name are those a full read finds: in any case, shadow tables in, the rest out
        KeyGraph g = afterChange(db.reader().graph(Options.defaults()), Set.of("mixed", "v", "fts", "fts_data", "fts_idx", "fts_content", "fts_docsize",
                        "fts_config", "tmp", "gone"),
                "CREATE TABLE \"MiXed\" (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id))",
                "CREATE VIEW v AS SELECT * FROM a",
                "CREATE VIRTUAL TABLE fts USING fts5(body)",
                "CREATE TEMP TABLE tmp (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id))");
        assertTrue(g.tables().contains("mixed") && g.tables().contains("fts_data"), g.tables().toString());
        assertTrue(!g.tables().contains("v") && !g.tables().contains("fts") && !g.tables().contains("tmp"), g.tables().toString());
    }
}
