package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Broken declarations under {@link Options.BrokenKeys#ENFORCE}: every statement of the table in
 * {@link BrokenKeyTriggers}, run on a native copy and on an fkguard copy. Each call states what native
 * does (refused with which message, or accepted); fkguard must do the same and leave the same rows.
 */
class BrokenKeysTest {
    private static final Options ENFORCE = Options.defaults().withBrokenKeys(Options.BrokenKeys.ENFORCE);
    private static final String MISMATCH = "foreign key mismatch - \"c\" referencing \"p\"";

    /** Runs the statement on both copies (each from a fresh pair); native must give {@code expected}, fkguard the same. */
    private static void agrees(String[] setup, String sql, String expected) throws SQLException {
        try (NativePair p = NativePair.seededUnchecked(ENFORCE, setup)) {
            String[] r = p.run(sql);
            assertEquals(expected, inner(r[0]), "native, " + sql);
            assertEquals(expected, inner(r[1]), "fkguard, " + sql);
            assertEquals(TestDb.dump(p.nat), TestDb.dump(p.fkg), "rows after " + sql);
        }
    }

    /** The text SQLite (or RAISE) gave, without the driver's wrapping: {@code [CODE] ... (text)}. */
    private static String inner(String message) {
        return message == null ? null : message.substring(message.indexOf('(') + 1, message.lastIndexOf(')'));
    }

    private static String[] setup(String... sql) {
        return sql;
    }

    @Test
    void aMissingParentTableRefusesInsertsDeletesAndKeyUpdatesOfTheChildWithNoSuchTable() throws SQLException {
        String[] s = setup("CREATE TABLE c (x REFERENCES p(a), y)", "INSERT INTO c VALUES (1, 1), (NULL, 2)");
        String nst = "no such table: main.p";
        agrees(s, "INSERT INTO c VALUES (NULL, 3)", nst);
        agrees(s, "INSERT INTO c VALUES (5, 3)", nst);
        agrees(s, "INSERT OR IGNORE INTO c VALUES (5, 3)", nst);
        agrees(s, "INSERT OR REPLACE INTO c(rowid, x, y) VALUES (1, NULL, 3)", nst);
        agrees(s, "INSERT INTO c(rowid, x, y) VALUES (1, NULL, 3) ON CONFLICT DO NOTHING", nst);
        agrees(s, "UPDATE c SET x = 7", nst);
        agrees(s, "UPDATE c SET x = NULL WHERE y = 1", nst);
        agrees(s, "UPDATE c SET x = x", nst);
        agrees(s, "DELETE FROM c WHERE y = 2", nst);
        agrees(s, "UPDATE c SET y = 9", null);
    }

    @Test
    void aMissingImpliedParentTableRefusesTheSameWrites() throws SQLException {
        String[] s = setup("CREATE TABLE c (x REFERENCES p, y)", "INSERT INTO c VALUES (1, 1)");
        agrees(s, "INSERT INTO c VALUES (NULL, 3)", "no such table: main.p");
        agrees(s, "DELETE FROM c", "no such table: main.p");
        agrees(s, "UPDATE c SET y = 9", null);
    }

    @Test
    void aParentKeyThatIsNotUniqueRefusesChildWritesAndParentDeletesAndKeyUpdatesWithMismatch() throws SQLException {
        String[] s = setup("CREATE TABLE p (a PRIMARY KEY, b, z)", "CREATE TABLE c (x REFERENCES p(b), y)",
                "INSERT INTO p VALUES (1, 1, 1)", "INSERT INTO c VALUES (1, 1)");
        agrees(s, "INSERT INTO c VALUES (NULL, 3)", MISMATCH);
        agrees(s, "INSERT INTO c VALUES (1, 3)", MISMATCH);
        agrees(s, "UPDATE c SET x = 7", MISMATCH);
        agrees(s, "DELETE FROM c", MISMATCH);
        agrees(s, "UPDATE c SET y = 9", null);
        agrees(s, "INSERT INTO p VALUES (10, 10, 10)", null);
        agrees(s, "UPDATE p SET b = 11", MISMATCH);
        agrees(s, "INSERT INTO p VALUES (1, 7, 7) ON CONFLICT (a) DO UPDATE SET b = 7", MISMATCH);
        agrees(s, "INSERT INTO p VALUES (1, 7, 7) ON CONFLICT (a) DO UPDATE SET z = 7", null);
        agrees(s, "UPDATE p SET a = 11", null);
        agrees(s, "UPDATE p SET z = 11", null);
        agrees(s, "DELETE FROM p", MISMATCH);
    }

    @Test
    void aMismatchNamesTablesWithDoubleQuotesDoubledAsSqliteDoes() throws SQLException {
        // found by DifferentialTest: native writes both names with %w
        String[] s = setup("CREATE TABLE \"p\"\"q\" (a PRIMARY KEY, b)", "CREATE TABLE \"c\"\"d\" (x REFERENCES \"p\"\"q\"(b), y)",
                "INSERT INTO \"p\"\"q\" VALUES (1, 1)");
        String mismatch = "foreign key mismatch - \"c\"\"d\" referencing \"p\"\"q\"";
        agrees(s, "INSERT INTO \"c\"\"d\" VALUES (1, 1)", mismatch);
        agrees(s, "DELETE FROM \"p\"\"q\"", mismatch);
    }

    @Test
    void aRowidUpdateOfTheParentPassesWhenTheBrokenKeyDoesNotNameTheRowidAlias() throws SQLException {
        String[] s = setup("CREATE TABLE p (a INTEGER PRIMARY KEY, b, z)", "CREATE TABLE c (x REFERENCES p(b), y)",
                "INSERT INTO p VALUES (1, 1, 1)", "INSERT INTO c VALUES (1, 1)");
        agrees(s, "UPDATE p SET rowid = 9", null);
        agrees(s, "UPDATE p SET a = 9", null);
        agrees(s, "UPDATE p SET b = 9", MISMATCH);
    }

    @Test
    void aParentKeyUniqueOnlyUnderAnotherCollationOrAPartialIndexIsAMismatch() throws SQLException {
        for (String index : new String[] {"CREATE UNIQUE INDEX pb ON p(b COLLATE NOCASE)", "CREATE UNIQUE INDEX pb ON p(b) WHERE b > 0"}) {
            String[] s = setup("CREATE TABLE p (a PRIMARY KEY, b, z)", index, "CREATE TABLE c (x REFERENCES p(b), y)",
                    "INSERT INTO p VALUES (1, 1, 1)", "INSERT INTO c VALUES (1, 1)");
            agrees(s, "INSERT INTO c VALUES (1, 3)", MISMATCH);
            agrees(s, "UPDATE p SET b = 11", MISMATCH);
            agrees(s, "UPDATE p SET z = 11", null);
        }
    }

    @Test
    void anUpdateOfTheParentThatAnyOtherKeyNeedsIsAMismatchToo() throws SQLException {
        String[] s = setup("CREATE TABLE q (id INTEGER PRIMARY KEY, v)", "CREATE TABLE p (id INTEGER PRIMARY KEY, b, qid REFERENCES q, z)",
                "CREATE TABLE c1 (x REFERENCES p (id), v)", "CREATE TABLE c2 (y REFERENCES p (b), v)",
                "INSERT INTO q VALUES (1, 1), (2, 2)", "INSERT INTO p VALUES (1, 1, 1, 1)");
        agrees(s, "UPDATE p SET id = 3", MISMATCH.replace("\"c\"", "\"c2\""));
        agrees(s, "UPDATE p SET rowid = 3", MISMATCH.replace("\"c\"", "\"c2\""));
        agrees(s, "UPDATE p SET qid = 2", MISMATCH.replace("\"c\"", "\"c2\""));
        agrees(s, "UPDATE p SET z = 2", null);
        agrees(s, "INSERT INTO p VALUES (2, 2, 2, 2)", null);
    }

    @Test
    void aDeferredMismatchedKeyRefusesEveryInsertIntoTheParent() throws SQLException {
        String[] s = setup("CREATE TABLE p (a PRIMARY KEY, b)", "CREATE TABLE c (x REFERENCES p(b) DEFERRABLE INITIALLY DEFERRED, y)");
        agrees(s, "INSERT INTO p VALUES (1, 1)", MISMATCH);
        agrees(s, "INSERT OR IGNORE INTO p VALUES (1, 1)", MISMATCH);
        agrees(s, "INSERT INTO c VALUES (NULL, 1)", MISMATCH);
    }

    @Test
    void aParentWithAnInsertTriggerOfTheUsersRefusesEveryInsertUnderAMismatchedKey() throws SQLException {
        String[] s = setup("CREATE TABLE p (a PRIMARY KEY, b)", "CREATE TABLE c (x REFERENCES p(b), y)", "CREATE TABLE log (t, u)",
                "CREATE TRIGGER \"on update\" AFTER UPDATE ON p BEGIN INSERT INTO log VALUES (1, 1); END",
                "CREATE TRIGGER audit AFTER INSERT ON p BEGIN INSERT INTO log VALUES (NEW.a, 1); END");
        agrees(s, "INSERT INTO p VALUES (1, 1)", MISMATCH);
        agrees(setup("CREATE TABLE p (a PRIMARY KEY, b)", "CREATE TABLE c (x REFERENCES p(b), y)", "CREATE TABLE log (t, u)",
                "CREATE TRIGGER \"insert\" AFTER UPDATE ON p BEGIN INSERT INTO log VALUES (1, 1); END"), "INSERT INTO p VALUES (1, 1)", null);
    }

    @Test
    void aMissingParentColumnRefusesChildWritesAndParentDeletesButNoParentUpdate() throws SQLException {
        String[] s = setup("CREATE TABLE p (a PRIMARY KEY, b, z)", "CREATE TABLE c (x REFERENCES p(q), y)",
                "INSERT INTO p VALUES (1, 1, 1)", "INSERT INTO c VALUES (1, 1)");
        agrees(s, "INSERT INTO c VALUES (NULL, 3)", MISMATCH);
        agrees(s, "UPDATE c SET x = 2", MISMATCH);
        agrees(s, "DELETE FROM c", MISMATCH);
        agrees(s, "UPDATE c SET y = 2", null);
        agrees(s, "INSERT INTO p VALUES (10, 10, 10)", null);
        agrees(s, "UPDATE p SET a = 11, b = 11, z = 11", null);
        agrees(s, "DELETE FROM p", MISMATCH);
    }

    @Test
    void anImpliedKeyOnAParentWithoutPrimaryKeyRefusesChildWritesAndParentDeletes() throws SQLException {
        String[] s = setup("CREATE TABLE p (a, b, z)", "CREATE TABLE c (x REFERENCES p, y)",
                "INSERT INTO p VALUES (1, 1, 1)", "INSERT INTO c VALUES (1, 1)");
        agrees(s, "INSERT INTO c VALUES (NULL, 3)", MISMATCH);
        agrees(s, "UPDATE c SET x = 2", MISMATCH);
        agrees(s, "DELETE FROM c", MISMATCH);
        agrees(s, "UPDATE p SET a = 11, b = 11, z = 11, rowid = 5", null);
        agrees(s, "DELETE FROM p", MISMATCH);
    }

    @Test
    void aWrongNumberOfColumnsRefusesUpdatesOfEveryChildKeyColumnAndOfTheImpliedParentKeyAndItsRowid() throws SQLException {
        String[] s = setup("CREATE TABLE p (a INTEGER PRIMARY KEY, b, z)", "CREATE TABLE c (x, y, w, FOREIGN KEY (x, y) REFERENCES p)",
                "INSERT INTO p VALUES (1, 1, 1)", "INSERT INTO c VALUES (1, 1, 1)");
        agrees(s, "INSERT INTO c VALUES (NULL, NULL, 3)", MISMATCH);
        agrees(s, "UPDATE c SET y = 9", MISMATCH);
        agrees(s, "UPDATE c SET w = 9", null);
        agrees(s, "DELETE FROM c", MISMATCH);
        agrees(s, "UPDATE p SET a = 11", MISMATCH);
        agrees(s, "UPDATE p SET rowid = 11", MISMATCH);
        agrees(s, "UPDATE p SET b = 11", null);
        agrees(s, "INSERT INTO p VALUES (10, 10, 10)", null);
        agrees(s, "DELETE FROM p", MISMATCH);
    }

    @Test
    void aSelfReferenceToANonUniqueColumnIsAMismatchOnEveryWriteButAnUpdateOfOtherColumns() throws SQLException {
        String[] s = setup("CREATE TABLE t (id PRIMARY KEY, b, r REFERENCES t(b))", "INSERT INTO t VALUES (1, 1, NULL)");
        String m = "foreign key mismatch - \"t\" referencing \"t\"";
        agrees(s, "INSERT INTO t VALUES (2, 2, NULL)", m);
        agrees(s, "UPDATE t SET b = 3", m);
        agrees(s, "UPDATE t SET r = 1", m);
        agrees(s, "DELETE FROM t", m);
        agrees(s, "UPDATE t SET id = 5", null);
    }

    /**
     * Both copies, same statement (each on a fresh pair): same outcome, same message, same rows; native is the
     * oracle. fkguard's constraint message adds the key after SQLite's text, so only that text is compared.
     */
    private static void sameAsNative(String[] setup, String... statements) throws SQLException {
        for (String sql : statements) {
            try (NativePair p = NativePair.seededUnchecked(ENFORCE, setup)) {
                String[] r = p.run(sql);
                assertEquals(inner(r[0]), r[1] == null ? null : inner(r[1]).replaceFirst("^(FOREIGN KEY constraint failed): .*", "$1"), sql);
                assertEquals(TestDb.dump(p.nat), TestDb.dump(p.fkg), "rows after " + sql);
            }
        }
    }

    @Test
    void rowidKeysWithoutRowidTablesCompositeKeysAndValidKeysOnTheSameParentAgreeWithNative() throws SQLException {
        sameAsNative(setup("CREATE TABLE c (id PRIMARY KEY, x REFERENCES nope, y) WITHOUT ROWID", "INSERT INTO c VALUES (1, 1, 1)"),
                "INSERT INTO c VALUES (2, NULL, 1)", "UPDATE c SET x = 2", "UPDATE c SET y = 2", "UPDATE c SET id = 2", "DELETE FROM c");
        sameAsNative(setup("CREATE TABLE c (id INTEGER PRIMARY KEY REFERENCES nope, y)", "INSERT INTO c VALUES (1, 1)"),
                "UPDATE c SET rowid = 5", "UPDATE c SET oid = 5", "UPDATE c SET id = 5", "UPDATE c SET y = 5", "DELETE FROM c");
        sameAsNative(setup("CREATE TABLE p (a PRIMARY KEY, b, z) WITHOUT ROWID", "CREATE TABLE c (x, y, w, FOREIGN KEY (x, y) REFERENCES p (a, b))",
                        "INSERT INTO p VALUES (1, 1, 1)", "INSERT INTO c VALUES (1, 1, 1)"),
                "INSERT INTO c VALUES (NULL, 1, 1)", "UPDATE c SET y = 2", "UPDATE c SET w = 2", "UPDATE p SET a = 2", "UPDATE p SET b = 2",
                "UPDATE p SET z = 2", "INSERT INTO p VALUES (2, 2, 2)", "DELETE FROM p", "DELETE FROM c");
        sameAsNative(setup("CREATE TABLE p (id INTEGER PRIMARY KEY, b)", "CREATE TABLE c1 (x REFERENCES p (id) ON DELETE CASCADE ON UPDATE CASCADE, v)",
                        "CREATE TABLE c2 (y REFERENCES p (b), v)", "INSERT INTO p VALUES (1, 1), (2, 2)", "INSERT INTO c1 VALUES (1, 1)",
                        "INSERT INTO c2 VALUES (NULL, 1)"),
                "INSERT INTO c1 VALUES (9, 2)", "INSERT INTO c1 VALUES (2, 2)", "UPDATE p SET id = 3 WHERE id = 1", "UPDATE p SET b = 3",
                "DELETE FROM p WHERE id = 1", "DELETE FROM c1", "DELETE FROM c2", "INSERT INTO c2 VALUES (NULL, 2)");
    }

    @Test
    void theMessageNamesTheChildAsStoredAndTheParentAsDeclared() throws SQLException {
        agrees(setup("CREATE TABLE Pp (a PRIMARY KEY, b)", "CREATE TABLE \"Ch ild\" (x REFERENCES pP(b), y)"),
                "INSERT INTO \"ch ild\" VALUES (1, 1)", "foreign key mismatch - \"Ch ild\" referencing \"pP\"");
        agrees(setup("CREATE TABLE \"Ch ild\" (x REFERENCES \"No Pe\"(b), y)"),
                "INSERT INTO \"ch ild\" VALUES (1, 1)", "no such table: main.No Pe");
    }

    @Test
    void aMissingParentTableInAnAttachedSchemaIsNamedWithTheSchemaAsAttached() throws SQLException {
        try (NativePair p = NativePair.seededUnchecked(ENFORCE.withSchema("aux"), "ATTACH ':memory:' AS Aux",
                "CREATE TABLE aux.c (x REFERENCES p(a), y)")) {
            String[] r = p.run("INSERT INTO aux.c VALUES (1, 1)");
            assertEquals("no such table: Aux.p", inner(r[0]));
            assertEquals("no such table: Aux.p", inner(r[1]));
        }
    }

    @Test
    void theBrokenKeysErrorWinsOverAnotherKeysViolationAsNativesPrepareTimeErrorDoes() throws SQLException {
        agrees(setup("CREATE TABLE q (id PRIMARY KEY, name)", "CREATE TABLE c (x REFERENCES q, y REFERENCES nope)"),
                "INSERT INTO c VALUES (5, NULL)", "no such table: main.nope");
    }

    @Test
    void ofSeveralBrokenKeysOnOneTableTheLastDeclaredSpeaks() throws SQLException {
        String[] s = setup("CREATE TABLE p (a PRIMARY KEY, b)", "CREATE TABLE c (y REFERENCES nope, x REFERENCES p(b))");
        agrees(s, "INSERT INTO c VALUES (1, 1)", MISMATCH);
        String[] t = setup("CREATE TABLE p (a PRIMARY KEY, b)", "CREATE TABLE c (x REFERENCES p(b), y REFERENCES nope)");
        agrees(t, "INSERT INTO c VALUES (1, 1)", "no such table: main.nope");
    }

    @Test
    void aCascadeThatReachesAChildWithABrokenKeyIsRefused() throws SQLException {
        agrees(setup("CREATE TABLE q (id PRIMARY KEY, name)", "CREATE TABLE c (x REFERENCES q ON DELETE CASCADE, y REFERENCES nope)",
                "INSERT INTO q VALUES (1, 'a'), (2, 'b')", "INSERT INTO c VALUES (1, NULL)"), "DELETE FROM q WHERE id = 1", "no such table: main.nope");
    }

    @Test
    void everyValidKeyKeepsItsTriggersBesideABrokenOne() throws SQLException {
        String[] s = setup("CREATE TABLE artist (id INTEGER PRIMARY KEY, name)", "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id REFERENCES artist(id))",
                "CREATE TABLE left_over (x REFERENCES dropped_long_ago(id), y)", "INSERT INTO artist VALUES (1, 'a')");
        try (NativePair p = NativePair.seededUnchecked(ENFORCE, s)) {
            String[] r = p.run("INSERT INTO album VALUES (1, 99)");
            assertEquals("FOREIGN KEY constraint failed", inner(r[0]));
            assertEquals("FOREIGN KEY constraint failed: album(artist_id) -> artist(id)", inner(r[1]));
        }
        agrees(s, "INSERT INTO album VALUES (1, 1)", null);
        agrees(s, "INSERT INTO left_over VALUES (1, 1)", "no such table: main.dropped_long_ago");
    }

    @Test
    void enforcingBrokenKeysWarnsAboutEachAndASecondSyncChangesNothing() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(c, "CREATE TABLE p (a PRIMARY KEY, b)", "CREATE TABLE c (x REFERENCES p(b), y REFERENCES nope)");
            Report first = FkGuard.sync(c, ENFORCE);
            assertTrue(first.problems().isEmpty(), first.describe());
            assertEquals(2, first.warnings().stream().filter(w -> w.contains(" is broken and enforced as SQLite does: ")).count(),
                    first.describe());
            assertEquals(8, first.created().size(), "B.1-B.3 for each of the two keys, B.4-B.5 for the mismatch: " + first.created());
            assertTrue(FkGuard.sync(c, ENFORCE).inSync());
            assertTrue(FkGuard.check(c, ENFORCE).healthy());
        }
    }

    @Test
    void aPartialSyncUnderEnforceLeavesOutOnlyTheOrphanedKeyAndEnforcesTheBrokenOne() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(c, "CREATE TABLE p (id INTEGER PRIMARY KEY)", "CREATE TABLE c (id INTEGER PRIMARY KEY, pid REFERENCES p(id))",
                    "CREATE TABLE left_over (x REFERENCES nope, y)", "INSERT INTO c VALUES (1, 9)");
            Report r = FkGuard.sync(c, ENFORCE.withPartial(true));
            assertEquals(1, r.problems().size(), r.describe());
            assertEquals(Report.Problem.Kind.ORPHANS, r.problems().get(0).kind());
            assertTrue(NativePair.error(c, "INSERT INTO left_over VALUES (NULL, 1)").contains("no such table: main.nope"));
        }
    }

    @Test
    void theDefaultStillRefusesTheSyncAndNamesTheBrokenKey() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(c, "CREATE TABLE c (x REFERENCES nope)");
            FkGuardException e = assertThrows(FkGuardException.class, () -> FkGuard.sync(c, Options.defaults()));
            assertEquals(Report.Problem.Kind.SCHEMA, e.report().problems().get(0).kind());
            assertTrue(e.report().problems().get(0).message().contains("parent table nope does not exist"));
            assertEquals(0, TestDb.count(c, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"));
        }
    }

    @Test
    void aKeyWhoseParentAppearsLaterGetsItsUsualTriggersInsteadAtTheNextSync() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(c, "CREATE TABLE c (x REFERENCES p(a))");
            FkGuard.sync(c, ENFORCE);
            assertNotNull(NativePair.error(c, "INSERT INTO c VALUES (NULL)"));
            TestDb.exec(c, "CREATE TABLE p (a PRIMARY KEY)");
            Report r = FkGuard.sync(c, ENFORCE);
            assertEquals(1, r.foreignKeys());
            assertNull(NativePair.error(c, "INSERT INTO c VALUES (NULL)"));
            assertTrue(NativePair.error(c, "INSERT INTO c VALUES (1)").contains("FOREIGN KEY constraint failed: c(x) -> p(a)"));
        }
    }
}
