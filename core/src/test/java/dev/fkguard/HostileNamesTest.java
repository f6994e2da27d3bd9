package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names a user may choose that once confused fkguard: SQLite's own name rules decide, native is the oracle. */
class HostileNamesTest {
    @TempDir
    Path dir;

    @Test
    void columnsThatDifferOnlyInNonAsciiCaseAreDifferentColumns() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, \"é\" INTEGER, \"É\" INTEGER REFERENCES p(id))",
                "INSERT INTO p VALUES (1)")) {
            String[] valid = p.run("INSERT INTO c VALUES (1, 99, 1)");
            assertNull(valid[0]);
            assertNull(valid[1], "É = 1 has its parent; é is no key");
            String[] orphan = p.run("INSERT INTO c VALUES (2, 1, 99)");
            assertTrue(orphan[0].contains("FOREIGN KEY constraint failed"), orphan[0]);
            assertTrue(orphan[1] != null && orphan[1].contains("c(É) -> p(id)"), orphan[1]);
        }
    }

    @Test
    void tablesThatDifferOnlyInNonAsciiCaseAreNoSelfReference() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE \"É\" (id INTEGER PRIMARY KEY)",
                "CREATE TABLE \"é\" (id INTEGER PRIMARY KEY, ref INTEGER REFERENCES \"É\"(id))",
                "INSERT INTO \"É\" VALUES (1)")) {
            // a self reference would let a row reference itself: id 5 -> 5
            String[] self = p.run("INSERT INTO \"é\" VALUES (5, 5)");
            assertTrue(self[0].contains("FOREIGN KEY constraint failed"), self[0]);
            assertTrue(self[1] != null && self[1].contains("é(ref) -> É(id)"), self[1]);
            assertNull(p.run("INSERT INTO \"é\" VALUES (6, 1)")[1]);
        }
    }

    @Test
    void anExcludedTableIsMatchedAsSqliteMatchesNamesAsciiCaseOnly() {
        Options o = Options.defaults().withExcludedTables(Set.of("AUDIT", "É"));
        assertTrue(o.excludes("audit"));
        assertTrue(o.excludes("É"));
        assertTrue(!o.excludes("é"), "SQLite folds ASCII letters only");
    }

    @Test
    void aUserTriggerWhoseNameStartsWithFkguardIsNeverDroppedBySyncOrDrop() throws SQLException {
        try (Connection c = TestDb.open(dir.resolve("t.db"))) {
            TestDb.exec(c, "CREATE TABLE p (id INTEGER PRIMARY KEY)", "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id))",
                    "CREATE TABLE log (m TEXT)",
                    "CREATE TRIGGER fkguard_audit AFTER INSERT ON c BEGIN INSERT INTO log VALUES ('c'); END",
                    "CREATE TRIGGER \"FKGUARD_p_ins_keep\" AFTER INSERT ON p BEGIN INSERT INTO log VALUES ('p'); END");
            FkGuard.sync(c, Options.defaults());
            FkGuard.drop(c, Options.defaults());
            FkGuard.sync(c, Options.defaults());
            assertEquals(2, TestDb.count(c, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                    + " AND name IN ('fkguard_audit', 'FKGUARD_p_ins_keep')"));
        }
    }

    @Test
    void onlyNamesOfFkguardsOwnPatternAreManaged() {
        assertTrue(TriggerNames.isManaged(TriggerNames.name("Order Items", "pdel", "x")));
        assertTrue(!TriggerNames.isManaged("fkguard_audit"));
        assertTrue(!TriggerNames.isManaged("FKGUARD_c_ins_0123456789"));
        assertTrue(!TriggerNames.isManaged("fkguard_c_ins_0123456789_mine"));
    }

    @Test
    void aSelfReferencingCascadeTableMayBearTheNameOfAnyInternalAlias() throws SQLException {
        for (String name : new String[] {"fkg_d", "FKG_D", "fkg_e", "fkg_p", "fkg_c", "fkg_x", "fkg_q"}) {
            // a TEXT key referenced from an INTEGER column takes the counter-exact path, which reads the table more
            try (NativePair p = new NativePair("CREATE TABLE \"" + name + "\" (id INTEGER PRIMARY KEY,"
                    + " up INTEGER REFERENCES \"" + name + "\"(id) ON DELETE CASCADE, code TEXT UNIQUE,"
                    + " code_ref INTEGER REFERENCES \"" + name + "\"(code) ON DELETE CASCADE)",
                    "INSERT INTO \"" + name + "\" VALUES (1, NULL, '1', NULL), (2, 1, '2', 1), (3, 2, '3', NULL)")) {
                String[] r = p.run("DELETE FROM \"" + name + "\" WHERE id = 1");
                assertNull(r[0], name);
                assertNull(r[1], name);
                assertEquals(0, TestDb.count(p.fkg, "SELECT count(*) FROM \"" + name + "\""), name);
            }
        }
    }

    @Test
    void theSuggestedIndexForAnUnindexedKeyIsValidSqlWithAName() throws SQLException {
        try (Connection c = TestDb.open(dir.resolve("t.db"))) {
            TestDb.exec(c, "CREATE TABLE \"the parent\" (id INTEGER PRIMARY KEY)",
                    "CREATE TABLE \"order\" (id INTEGER PRIMARY KEY, \"p id\" INTEGER REFERENCES \"the parent\"(id))");
            String warning = FkGuard.plan(c, Options.defaults()).warnings().stream()
                    .filter(w -> w.contains("no index on")).findFirst().orElseThrow();
            String suggestion = warning.substring(warning.indexOf("consider ") + "consider ".length());
            TestDb.exec(c, suggestion);
            assertTrue(FkGuard.plan(c, Options.defaults()).warnings().stream().noneMatch(w -> w.contains("no index on")));
        }
    }
}
