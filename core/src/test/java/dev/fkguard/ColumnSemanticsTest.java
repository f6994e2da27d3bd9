package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Generated columns and DEFAULT clauses, as native enforcement treats them: same statements, same outcome. */
class ColumnSemanticsTest {

    private static void assertSameOutcome(String[] r) {
        assertEquals(r[0] == null, r[1] == null, "native: " + r[0] + " / fkguard: " + r[1]);
    }

    @Test
    void aForeignKeyOnAGeneratedColumnIsEnforcedWhenItsBaseColumnChanges() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TABLE c (a INTEGER, g INTEGER AS (a + 1) REFERENCES p(id), s INTEGER AS (a * 2) STORED REFERENCES p(id))",
                "INSERT INTO p VALUES (2), (3), (4), (6)")) {
            for (String sql : new String[] {"INSERT INTO c(a) VALUES (1)", "INSERT INTO c(a) VALUES (7)",
                    "UPDATE c SET a = 5", "UPDATE c SET a = 2", "DELETE FROM p WHERE id = 4", "DELETE FROM p WHERE id = 2"}) {
                assertSameOutcome(p.run(sql));
            }
            String[] rows = p.rows("SELECT a, g, s FROM c ORDER BY a");
            assertEquals(rows[0], rows[1]);
            assertEquals("2|3|4\n", rows[1], "a = 1 became 2; the rest was refused by both");
        }
    }

    @Test
    void aParentKeyOnAGeneratedColumnIsEnforcedWhenItsBaseColumnChanges() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (a INTEGER, k INTEGER AS (a * 10) UNIQUE)",
                "CREATE TABLE c (x INTEGER REFERENCES p(k))", "INSERT INTO p(a) VALUES (1), (2)", "INSERT INTO c VALUES (10)")) {
            String[] r = p.run("UPDATE p SET a = 3 WHERE a = 1");
            assertTrue(r[0] != null && r[1] != null, "native: " + r[0] + " / fkguard: " + r[1]);
            assertNull(p.run("UPDATE p SET a = 4 WHERE a = 2")[1]);
        }
    }

    @Test
    void setDefaultWithABareWordDefaultSetsThatWordAsText() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (id TEXT PRIMARY KEY)", "INSERT INTO p VALUES ('other'), ('x'), ('y')",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, other TEXT, pid TEXT DEFAULT other REFERENCES p(id) ON DELETE SET DEFAULT,"
                        + " q TEXT DEFAULT \"other\" REFERENCES p ON DELETE SET DEFAULT)",
                "INSERT INTO c VALUES (1, 'y', 'x', 'x')")) {
            String[] r = p.run("DELETE FROM p WHERE id = 'x'");
            assertNull(r[0]);
            assertNull(r[1]);
            String[] rows = p.rows("SELECT id, other, pid, q FROM c");
            assertEquals(rows[0], rows[1]);
            assertEquals("1|y|other|other\n", rows[1]);
        }
    }

    @Test
    void setDefaultFailsWhenTheBareWordDefaultHasNoParent() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (id TEXT PRIMARY KEY)", "INSERT INTO p VALUES ('x')",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, other TEXT, pid TEXT DEFAULT other REFERENCES p(id) ON DELETE SET DEFAULT)",
                "INSERT INTO c VALUES (1, 'x', 'x')")) {
            String[] r = p.run("DELETE FROM p WHERE id = 'x'");
            assertTrue(r[0] != null && r[0].contains("FOREIGN KEY constraint failed"), r[0]);
            assertTrue(r[1] != null && r[1].contains("FOREIGN KEY constraint failed: c(pid) -> p(id)"), r[1]);
        }
    }

    @Test
    void defaultsThatAreKeywordsNumbersOrExpressionsKeepTheirMeaning() {
        assertEquals("(CURRENT_DATE)", ParentActions.defaultValue(col("CURRENT_DATE")));
        assertEquals("(true)", ParentActions.defaultValue(col("true")));
        assertEquals("'true'", ParentActions.defaultValue(col("\"true\"")));
        assertEquals("(1e5)", ParentActions.defaultValue(col("1e5")));
        assertEquals("('a' || 'b')", ParentActions.defaultValue(col("'a' || 'b'")));
        assertEquals("'it''s'", ParentActions.defaultValue(col("[it's]")));
        assertEquals("NULL", ParentActions.defaultValue(col(null)));
    }

    private static Schema.Column col(String dflt) {
        return new Schema.Column("c", "TEXT", null, dflt, 0, false);
    }
}
