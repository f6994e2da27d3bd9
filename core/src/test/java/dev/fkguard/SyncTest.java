package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.SortedMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sync, check and drop on real SQLite files: round trips, repairs, refusals that change nothing. */
class SyncTest {
    @TempDir
    Path dir;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = TestDb.open(dir.resolve("t.db"));
        TestDb.exec(c,
                "CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE, title TEXT)",
                "CREATE INDEX album_artist ON album(artist_id)",
                "INSERT INTO artist VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO album VALUES (10, 1, 'x'), (11, 2, 'y')");
    }

    @org.junit.jupiter.api.AfterEach
    void close() throws SQLException {
        c.close();
    }

    private static Options defaults() {
        return Options.defaults();
    }

    @Test
    void aSecondSyncChangesNothing() throws SQLException {
        Report first = FkGuard.sync(c, defaults());
        assertEquals(4, first.created().size());
        Report second = FkGuard.sync(c, defaults());
        assertTrue(second.statements().isEmpty());
        assertEquals(4, second.kept());
    }

    @Test
    void dropRemovesEveryFkguardTriggerAndSyncPutsTheSameOnesBack() throws SQLException {
        FkGuard.sync(c, defaults());
        SortedMap<String, String> before = TestDb.fkguardTriggers(c);
        Report dropped = FkGuard.drop(c, defaults());
        assertEquals(4, dropped.dropped().size());
        assertTrue(TestDb.fkguardTriggers(c).isEmpty());
        FkGuard.sync(c, defaults());
        assertEquals(before, TestDb.fkguardTriggers(c));
    }

    @Test
    void aTriggerDroppedByHandIsPutBack() throws SQLException {
        FkGuard.sync(c, defaults());
        String victim = TestDb.fkguardTriggers(c).firstKey();
        TestDb.exec(c, "DROP TRIGGER \"" + victim + "\"");
        assertFalse(FkGuard.check(c, defaults()).healthy());
        Report repair = FkGuard.sync(c, defaults());
        assertTrue(repair.created().contains(victim));
        assertTrue(FkGuard.check(c, defaults()).healthy());
    }

    @Test
    void aTriggerEditedByHandIsReplaced() throws SQLException {
        FkGuard.sync(c, defaults());
        SortedMap<String, String> good = TestDb.fkguardTriggers(c);
        String name = good.keySet().stream().filter(n -> n.contains("_ins_")).findFirst().orElseThrow();
        TestDb.exec(c, "DROP TRIGGER \"" + name + "\"",
                "CREATE TRIGGER \"" + name + "\" AFTER INSERT ON album BEGIN SELECT 1; END");
        FkGuard.sync(c, defaults());
        assertEquals(good, TestDb.fkguardTriggers(c));
        assertThrows(SQLException.class, () -> TestDb.exec(c, "INSERT INTO album VALUES (12, 99, 'z')"));
    }

    @Test
    void userTriggersSurviveSyncAndDrop() throws SQLException {
        TestDb.exec(c, "CREATE TABLE log (m TEXT)",
                "CREATE TRIGGER audit AFTER INSERT ON album BEGIN INSERT INTO log VALUES (NEW.title); END");
        FkGuard.sync(c, defaults());
        FkGuard.drop(c, defaults());
        FkGuard.sync(c, defaults());
        assertEquals(1, TestDb.count(c, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'audit'"));
    }

    @Test
    void orphanRowsMakeTheSyncRefuseWithTableColumnsCountAndRowidsAndChangeNothing() throws SQLException {
        TestDb.exec(c, "INSERT INTO album VALUES (20, 77, 'orphan'), (21, 78, 'orphan')");
        FkGuardException e = assertThrows(FkGuardException.class, () -> FkGuard.sync(c, defaults()));
        Report.Problem p = e.report().problems().get(0);
        assertEquals(Report.Problem.Kind.ORPHANS, p.kind());
        assertEquals("album", p.table());
        assertEquals(java.util.List.of("artist_id"), p.columns());
        assertEquals("artist", p.parent());
        assertEquals(2, p.orphans());
        assertEquals(java.util.List.of("20", "21"), p.sampleRows());
        assertTrue(e.getMessage().contains("2 rows of album break foreign key album(artist_id) -> artist(id)"), e.getMessage());
        assertTrue(TestDb.fkguardTriggers(c).isEmpty());
    }

    @Test
    void withTheWarnPolicyOrphansAreReportedAndTheTriggersInstalled() throws SQLException {
        TestDb.exec(c, "INSERT INTO album VALUES (20, 77, 'orphan')");
        Report r = FkGuard.sync(c, defaults().withOrphanPolicy(Options.OrphanPolicy.WARN));
        assertEquals(4, r.created().size());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("1 row of album breaks foreign key")), r.warnings().toString());
    }

    @Test
    void aBrokenDeclarationRefusesTheWholeSyncEvenForTheHealthyKeys() throws SQLException {
        TestDb.exec(c, "CREATE TABLE track (id INTEGER PRIMARY KEY, genre_id INTEGER REFERENCES genre(id))");
        FkGuardException e = assertThrows(FkGuardException.class, () -> FkGuard.sync(c, defaults()));
        assertTrue(e.getMessage().contains("foreign key track(genre_id) -> genre(id): parent table genre does not exist"), e.getMessage());
        assertTrue(TestDb.fkguardTriggers(c).isEmpty());
    }

    @Test
    void aRefusedSyncInsideTheCallersTransactionRollsBackOnlyItsOwnWork() throws SQLException {
        FkGuard.sync(c, defaults());
        c.setAutoCommit(false);
        TestDb.exec(c, "INSERT INTO artist VALUES (3, 'c')", "CREATE TABLE track (id INTEGER PRIMARY KEY, album_id INTEGER REFERENCES album(id))",
                "INSERT INTO track VALUES (1, 999)");
        assertThrows(FkGuardException.class, () -> FkGuard.sync(c, defaults()));
        // the caller's own work is still there, uncommitted, and the caller decides
        assertEquals(1, TestDb.count(c, "SELECT count(*) FROM artist WHERE id = 3"));
        c.rollback();
        c.setAutoCommit(true);
        assertEquals(0, TestDb.count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'track'"));
        assertEquals(4, TestDb.fkguardTriggers(c).size());
    }

    @Test
    void aSyncInsideTheCallersTransactionDoesNotCommitIt() throws SQLException {
        c.setAutoCommit(false);
        FkGuard.sync(c, defaults());
        c.rollback();
        c.setAutoCommit(true);
        assertTrue(TestDb.fkguardTriggers(c).isEmpty());
    }

    @Test
    void aTableRebuiltTheTwelveStepWayGetsItsTriggersBackAfterSync() throws SQLException {
        FkGuard.sync(c, defaults());
        // SQLite refuses ALTER TABLE RENAME while a trigger names a missing table, so a rebuild runs
        // with fkguard's triggers dropped and synced again afterwards (what the Flyway and Liquibase
        // extensions do around each migration)
        FkGuard.drop(c, defaults());
        TestDb.exec(c, "CREATE TABLE new_album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE,"
                        + " title TEXT NOT NULL DEFAULT '')",
                "INSERT INTO new_album SELECT id, artist_id, title FROM album", "DROP TABLE album",
                "ALTER TABLE new_album RENAME TO album", "CREATE INDEX album_artist ON album(artist_id)");
        Report r = FkGuard.sync(c, defaults());
        assertEquals(4, r.created().size());
        TestDb.exec(c, "DELETE FROM artist WHERE id = 1");
        assertEquals(0, TestDb.count(c, "SELECT count(*) FROM album WHERE artist_id = 1"));
    }

    @Test
    void danglingTriggersOfADroppedTableAreRemovedBySync() throws SQLException {
        FkGuard.sync(c, defaults());
        TestDb.exec(c, "DROP TABLE album");
        Report r = FkGuard.sync(c, defaults());
        assertEquals(2, r.dropped().size());
        assertTrue(TestDb.fkguardTriggers(c).isEmpty());
    }

    @Test
    void aRenamedParentTableIsFollowed() throws SQLException {
        FkGuard.sync(c, defaults());
        TestDb.exec(c, "ALTER TABLE artist RENAME TO performer");
        Report r = FkGuard.sync(c, defaults());
        assertFalse(r.statements().isEmpty());
        assertTrue(FkGuard.check(c, defaults()).healthy());
        TestDb.exec(c, "DELETE FROM performer WHERE id = 1");
        assertEquals(0, TestDb.count(c, "SELECT count(*) FROM album WHERE artist_id = 1"));
        SQLException e = assertThrows(SQLException.class, () -> TestDb.exec(c, "INSERT INTO album VALUES (13, 99, 'z')"));
        assertTrue(e.getMessage().contains("album(artist_id) -> performer(id)"), e.getMessage());
    }

    @Test
    void planChangesNothing() throws SQLException {
        Report plan = FkGuard.plan(c, defaults());
        assertEquals(4, plan.statements().size());
        assertFalse(plan.applied());
        assertTrue(TestDb.fkguardTriggers(c).isEmpty());
    }

    @Test
    void checkCountsOrphansOfEveryKeyEvenWhenTriggersAreInstalled() throws SQLException {
        FkGuard.sync(c, defaults());
        FkGuard.drop(c, defaults());
        TestDb.exec(c, "INSERT INTO album VALUES (30, 55, 'orphan')");
        FkGuard.sync(c, defaults().withOrphanPolicy(Options.OrphanPolicy.WARN));
        Report check = FkGuard.check(c, defaults());
        assertTrue(check.inSync());
        assertFalse(check.healthy());
        assertEquals(1, check.problems().get(0).orphans());
    }

    @Test
    void anAttachedSchemaIsManagedByName() throws SQLException {
        TestDb.exec(c, "ATTACH DATABASE '" + dir.resolve("aux.db") + "' AS aux",
                "CREATE TABLE aux.p (id INTEGER PRIMARY KEY)", "CREATE TABLE aux.c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id))");
        Report r = FkGuard.sync(c, defaults().withSchema("aux"));
        assertEquals(4, r.created().size());
        assertEquals(4, TestDb.count(c, "SELECT count(*) FROM aux.sqlite_master WHERE type = 'trigger'"));
        assertThrows(SQLException.class, () -> TestDb.exec(c, "INSERT INTO aux.c VALUES (1, 5)"));
        assertTrue(FkGuard.sync(c, defaults().withSchema("aux")).inSync());
    }

    @Test
    void aConnectionToAnotherDatabaseIsRefusedBeforeAnythingRuns() {
        // the connection of some other database: only its metadata answers, any statement would fail the test
        java.sql.DatabaseMetaData md = (java.sql.DatabaseMetaData) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {java.sql.DatabaseMetaData.class},
                (proxy, method, args) -> method.getName().equals("getDatabaseProductName") ? "PostgreSQL" : null);
        Connection other = (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getMetaData")) {
                        return md;
                    }
                    throw new AssertionError("fkguard must not use a non-SQLite connection: " + method.getName());
                });
        FkGuardException e = assertThrows(FkGuardException.class, () -> FkGuard.sync(other, defaults()));
        assertTrue(e.getMessage().contains("not a SQLite connection: PostgreSQL"), e.getMessage());
    }

    @Test
    void anUnknownSchemaNameIsAClearError() {
        SQLException e = assertThrows(SQLException.class, () -> FkGuard.plan(c, defaults().withSchema("nope")));
        assertTrue(e.getMessage().contains("no schema named 'nope'"), e.getMessage());
    }
}
