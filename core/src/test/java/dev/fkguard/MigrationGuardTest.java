package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration with fkguard's triggers in place: each statement runs through {@link MigrationGuard#beforeStatement}
 * first, inside one transaction, then {@link MigrationGuard#finish}.
 */
class MigrationGuardTest {
    @TempDir
    Path dir;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = TestDb.open(dir.resolve("m.db"));
        TestDb.exec(c,
                "CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE, title TEXT)",
                "CREATE TABLE track (id INTEGER PRIMARY KEY, album_id INTEGER REFERENCES album(id), extra TEXT)",
                "INSERT INTO artist VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO album VALUES (10, 1, 'x'), (11, 2, 'y')",
                "INSERT INTO track VALUES (100, 10, NULL), (101, 11, NULL)");
        FkGuard.sync(c, Options.defaults());
        c.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    /** Runs the statements as a migration tool would: guard first, then the statement; commits after finish. */
    private Report migrate(MigrationGuard guard, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                guard.beforeStatement(sql);
                st.execute(sql);
            }
            Report r = guard.finish();
            c.commit();
            return r;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    private Report migrate(String... statements) throws SQLException {
        return migrate(MigrationGuard.begin(c, Options.defaults()), statements);
    }

    private void assertTriggersEqualThePlan() throws SQLException {
        assertTrue(FkGuard.plan(c, Options.defaults()).inSync(), "installed triggers equal the plan");
    }

    @Test
    void theReportCountsEveryFkguardTriggerAndNoTriggerOfTheUsersThatMerelyLooksLikeOne() throws SQLException {
        long installed = TestDb.fkguardTriggers(c).keySet().stream().filter(TriggerNames::isManaged).count();
        // names that start as fkguard's do: one with a space (which no fkguard name has), one without
        TestDb.exec(c, "CREATE TRIGGER \"fkguard_track_ins_0123456789 mine\" AFTER INSERT ON track BEGIN SELECT 1; END",
                "CREATE TRIGGER fkguard_audit AFTER INSERT ON track BEGIN SELECT 1; END");
        Report r = migrate("CREATE TABLE tag (id INTEGER PRIMARY KEY, track_id INTEGER REFERENCES track(id))");
        long now = TestDb.fkguardTriggers(c).keySet().stream().filter(TriggerNames::isManaged).count();
        assertEquals(now, r.kept() + r.created().size(), r.summary());
        assertTrue(now > installed, "tag got triggers: " + r.summary());
    }

    private long installedFkguardTriggers() throws SQLException {
        return TestDb.fkguardTriggers(c).keySet().stream().filter(TriggerNames::isManaged).count();
    }

    @Test
    void aTriggerDroppedByAnotherConnectionBetweenTwoMigrationsIsPutBackAndCounted() throws SQLException {
        // the first migration leaves what it knew (keys, graph, trigger count) for the next one on this connection
        migrate("CREATE INDEX track_album ON track(album_id)");
        String name = TestDb.fkguardTriggers(c).keySet().stream().filter(n -> n.startsWith("fkguard_artist_")).findFirst()
                .orElseThrow();
        c.commit();
        try (Connection other = TestDb.open(dir.resolve("m.db"))) {
            TestDb.exec(other, "DROP TRIGGER " + name);
        }
        // a migration far from artist: only a schema read can tell that artist lost a trigger
        Report r = migrate("CREATE TABLE tag (id INTEGER PRIMARY KEY, track_id INTEGER REFERENCES track(id))");
        assertTrue(r.created().contains(name), r.summary());
        assertTriggersEqualThePlan();
        assertEquals(installedFkguardTriggers(), r.kept() + r.created().size(), r.summary());
    }

    @Test
    void aTriggerTheMigrationItselfDropsIsPutBackAndCounted() throws SQLException {
        migrate("CREATE INDEX track_album ON track(album_id)");
        String name = TestDb.fkguardTriggers(c).keySet().stream().filter(n -> n.startsWith("fkguard_track_")).findFirst()
                .orElseThrow();
        // (a statement on a trigger named like fkguard's makes every trigger step aside first: hence IF EXISTS)
        Report r = migrate("DROP TRIGGER IF EXISTS " + name);
        assertTrue(TestDb.fkguardTriggers(c).containsKey(name), r.summary());
        assertTriggersEqualThePlan();
        assertEquals(installedFkguardTriggers(), r.kept() + r.created().size(), r.summary());
    }

    @Test
    void anOrphanWrittenByTheMigrationFailsAtOnceNamingTheKey() throws SQLException {
        MigrationGuard guard = MigrationGuard.begin(c, Options.defaults());
        SQLException e = assertThrows(SQLException.class, () -> migrate(guard, "INSERT INTO track VALUES (102, 999, NULL)"));
        assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed: track(album_id) -> album(id)"), e.getMessage());
        assertEquals(2, TestDb.count(c, "SELECT count(*) FROM track"));
    }

    @Test
    void aMigrationsDeleteCascadesAsItHappens() throws SQLException {
        migrate("DELETE FROM track WHERE id = 101", "DELETE FROM artist WHERE id = 2");
        assertEquals(1, TestDb.count(c, "SELECT count(*) FROM album"), "album 11 went with artist 2");
    }

    @Test
    void rebuildingAParentTableWithTriggersInPlaceEndsInSync() throws SQLException {
        migrate("CREATE TABLE new_album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE, title TEXT NOT NULL DEFAULT '')",
                "INSERT INTO new_album SELECT id, artist_id, coalesce(title, '') FROM album",
                "DROP TABLE album",
                "ALTER TABLE new_album RENAME TO album");
        assertTriggersEqualThePlan();
        assertThrows(SQLException.class, () -> TestDb.exec(c, "INSERT INTO track VALUES (103, 999, NULL)"));
    }

    @Test
    void droppingAChildTableLeavesItsParentWritableDuringTheMigration() throws SQLException {
        migrate("DROP TABLE track", "DELETE FROM album WHERE id = 11");
        assertTriggersEqualThePlan();
    }

    @Test
    void aTableDroppedUnderAnotherCaseOfItsNameHasEveryTriggerNamingItDroppedFirst() throws SQLException {
        TestDb.exec(c, "CREATE TABLE \"Tråck_Note\" (id INTEGER PRIMARY KEY, track_id INTEGER REFERENCES track(id))");
        c.commit();
        FkGuard.sync(c, Options.defaults());
        // the triggers on track name "Tråck_Note" as declared; SQLite folds the ASCII letters only, and so does fkguard
        migrate("DROP TABLE \"TRåCK_NOTE\"", "DELETE FROM track WHERE id = 101");
        assertTriggersEqualThePlan();
    }

    @Test
    void droppingAKeyColumnDropsTheTriggersThatNameIt() throws SQLException {
        migrate("ALTER TABLE track DROP COLUMN album_id", "ALTER TABLE track RENAME COLUMN extra TO note");
        assertTriggersEqualThePlan();
        assertEquals(1, FkGuard.plan(c, Options.defaults()).foreignKeys());
    }

    @Test
    void anOrphanWrittenWhileTheKeysTriggersSteppedAsideFailsTheFinish() throws SQLException {
        MigrationGuard guard = MigrationGuard.begin(c, Options.defaults());
        FkGuardException e = assertThrows(FkGuardException.class, () -> migrate(guard,
                "CREATE TABLE new_track (id INTEGER PRIMARY KEY, album_id INTEGER REFERENCES album(id), extra TEXT)",
                "INSERT INTO new_track SELECT * FROM track",
                "INSERT INTO new_track VALUES (102, 999, NULL)",
                "DROP TABLE track",
                "ALTER TABLE new_track RENAME TO track"));
        assertTrue(e.getMessage().contains("track(album_id) -> album(id)"), e.getMessage());
        assertEquals(2, TestDb.count(c, "SELECT count(*) FROM track"), "rolled back");
    }

    @Test
    void anOrphanWrittenIntoANeighbourWhileAParentsTriggersSteppedAsideFailsTheFinish() throws SQLException {
        // before DROP TABLE album, track's triggers (they name album) step aside: track's key is unenforced until the end
        MigrationGuard guard = MigrationGuard.begin(c, Options.defaults());
        FkGuardException e = assertThrows(FkGuardException.class, () -> migrate(guard,
                "CREATE TABLE new_album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE, title TEXT)",
                "INSERT INTO new_album SELECT * FROM album",
                "DROP TABLE album",
                "INSERT INTO track VALUES (102, 999, NULL)",
                "ALTER TABLE new_album RENAME TO album"));
        assertTrue(e.getMessage().contains("track(album_id) -> album(id)"), e.getMessage());
    }

    /** Track 102 has no album, and the triggers were installed over it (orphan policy warn); a transaction is open. */
    private void triggersOverAnOrphanThatPredatesTheMigration() throws SQLException {
        c.commit();
        c.setAutoCommit(true);
        FkGuard.drop(c, Options.defaults());
        TestDb.exec(c, "INSERT INTO track VALUES (102, 999, NULL)");
        FkGuard.sync(c, Options.defaults().withOrphanPolicy(Options.OrphanPolicy.WARN));
        c.setAutoCommit(false);
    }

    @Test
    void aKeyWhoseTriggersWereOnlyRewrittenIsNotScanned() throws SQLException {
        // an orphan that predates the migration (accepted with orphan policy warn) is not looked for again
        // when the migration only renames a column: the key was enforced throughout
        triggersOverAnOrphanThatPredatesTheMigration();
        Report r = migrate("ALTER TABLE album RENAME COLUMN title TO name", "ALTER TABLE album RENAME TO record");
        assertFalse(r.created().isEmpty(), "the triggers were rewritten: " + r.summary());
        assertTriggersEqualThePlan();
    }

    @Test
    void suspendChecksEveryKeyWhoseTriggersItCreates() throws SQLException {
        triggersOverAnOrphanThatPredatesTheMigration();
        MigrationGuard guard = MigrationGuard.suspend(c, Options.defaults());
        assertTrue(guard.suspended());
        FkGuardException e = assertThrows(FkGuardException.class,
                () -> migrate(guard, "ALTER TABLE album RENAME COLUMN title TO name"));
        assertTrue(e.getMessage().contains("track(album_id) -> album(id)"), e.getMessage());
    }

    @Test
    void suspendLetsTheMigrationPassThroughAnInconsistentState() throws SQLException {
        migrate(MigrationGuard.suspend(c, Options.defaults()),
                "INSERT INTO track VALUES (102, 12, NULL)", "INSERT INTO album VALUES (12, 1, 'late')");
        assertTriggersEqualThePlan();
    }

    @Test
    void aStatementItCannotClassifyMakesEveryTriggerStepAside() throws SQLException {
        MigrationGuard guard = MigrationGuard.begin(c, Options.defaults());
        guard.beforeStatement("PRAGMA writable_schema = ON");
        assertTrue(guard.suspended());
        assertTrue(TestDb.fkguardTriggers(c).isEmpty());
        c.rollback();
    }

    @Test
    void aTriggerEditedByHandBeforeTheMigrationIsDroppedAtItsStartAndItsKeyChecked() throws SQLException {
        c.commit();
        c.setAutoCommit(true);
        String name = TestDb.fkguardTriggers(c).keySet().stream().filter(n -> n.startsWith("fkguard_track_ins")).findFirst().orElseThrow();
        TestDb.exec(c, "DROP TRIGGER " + name,
                "CREATE TRIGGER " + name + " AFTER INSERT ON track BEGIN SELECT 1; END",
                "INSERT INTO track VALUES (102, 999, NULL)");
        c.setAutoCommit(false);
        MigrationGuard guard = MigrationGuard.begin(c, Options.defaults());
        assertFalse(TestDb.fkguardTriggers(c).containsKey(name), "the edited trigger stepped aside at once");
        FkGuardException e = assertThrows(FkGuardException.class, () -> migrate(guard, "CREATE INDEX ti ON track(album_id)"));
        assertTrue(e.getMessage().contains("track(album_id) -> album(id)"), e.getMessage());
    }

    @Test
    void aSyncOfAnUnchangedSchemaNeverHidesAHandEditedOrDroppedTrigger() throws SQLException {
        c.commit();
        c.setAutoCommit(true);
        SortedMap<String, String> synced = TestDb.fkguardTriggers(c);
        String name = synced.firstKey();
        TestDb.exec(c, "DROP TRIGGER " + name);
        assertTrue(FkGuard.sync(c, Options.defaults()).changed());
        assertEquals(synced, TestDb.fkguardTriggers(c));
        TestDb.exec(c, "DROP TRIGGER " + name, "CREATE TRIGGER " + name + " AFTER DELETE ON artist BEGIN SELECT 1; END");
        assertNotEquals(synced, TestDb.fkguardTriggers(c));
        assertTrue(FkGuard.sync(c, Options.defaults()).changed());
        assertEquals(synced, TestDb.fkguardTriggers(c));
        assertTrue(FkGuard.sync(c, Options.defaults()).inSync());
    }

    @Test
    void aKeyAddedByAddColumnWhoseRowsAreThenSetToNoParentFailsTheFinish() throws SQLException {
        // (a non-NULL default is refused at the statement already, as SQLite refuses it: AddColumnReferencesTest)
        MigrationGuard guard = MigrationGuard.begin(c, Options.defaults());
        FkGuardException e = assertThrows(FkGuardException.class,
                () -> migrate(guard, "ALTER TABLE track ADD COLUMN artist_id INTEGER REFERENCES artist(id)",
                        "UPDATE track SET artist_id = 7"));
        assertTrue(e.getMessage().contains("track(artist_id) -> artist(id)"), e.getMessage());
    }

    @Test
    void theKeysATableHadBeforeAColumnWasAddedAreNotScannedAgain() throws SQLException {
        triggersOverAnOrphanThatPredatesTheMigration();
        // track gains a second key: its child triggers, which hold both keys, are rewritten; only the new key is
        // scanned (the orphan of the old one predates the migration and was accepted)
        Report r = migrate("ALTER TABLE track ADD COLUMN note TEXT",
                "ALTER TABLE track ADD COLUMN artist_id INTEGER REFERENCES artist(id)");
        assertTrue(r.created().stream().anyMatch(n -> n.startsWith("fkguard_track_upd")), r.created().toString());
        assertTrue(r.created().stream().anyMatch(n -> n.startsWith("fkguard_track_ins")), r.created().toString());
        assertTriggersEqualThePlan();
    }

    @Test
    void aUserTriggerCreatedByTheMigrationEndsOlderThanTheActionsItMustFollow() throws SQLException {
        Report r = migrate("CREATE TRIGGER artist_gone AFTER DELETE ON artist BEGIN UPDATE album SET title = 'orphaned' WHERE artist_id = old.id; END");
        assertTrue(r.created().stream().anyMatch(n -> n.startsWith("fkguard_artist_pdel")), r.created().toString());
        assertTriggersEqualThePlan();
        assertTrue(TestDb.count(c, "SELECT (SELECT rowid FROM sqlite_master WHERE name LIKE 'fkguard\\_artist\\_pdel%' ESCAPE '\\')"
                + " > (SELECT rowid FROM sqlite_master WHERE name = 'artist_gone')") == 1, "the cascade is the newest: it fires first");
    }
}
