package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-sync stamp ({@link SyncStamp}): a later plan or sync in another process (here: with the in-process
 * memory forgotten) answers from it, and never after any change to what the triggers were derived from or to the
 * triggers themselves.
 */
class SyncStampTest {
    @TempDir
    Path dir;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = TestDb.open(dir.resolve("t.db"));
        TestDb.exec(c,
                "CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE, title TEXT)",
                "CREATE TABLE track (id INTEGER PRIMARY KEY, album_id INTEGER REFERENCES album(id), name TEXT)",
                "CREATE INDEX album_artist ON album(artist_id)",
                "INSERT INTO artist VALUES (1, 'a')",
                "INSERT INTO album VALUES (10, 1, 'x')");
        FkGuard.sync(c, Options.defaults());
        SyncMemory.forget();
    }

    @AfterEach
    void close() throws SQLException {
        SyncStamp.versionForTests = null;
        c.close();
    }

    /** Plans with the stamp and returns whether the stamp answered. */
    private boolean stampAnswers(Options options) throws SQLException {
        long before = SyncStamp.ANSWERED.get();
        Report r = FkGuard.plan(c, options);
        return SyncStamp.ANSWERED.get() == before + 1 && r.inSync();
    }

    private String someTrigger(String kind) throws SQLException {
        return TestDb.fkguardTriggers(c).keySet().stream().filter(n -> n.contains("_" + kind + "_")).findFirst().orElseThrow();
    }

    /** The one trigger whose stored text carries the stamp. */
    private String carrier() throws SQLException {
        List<String> carriers = names("SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%fkguard in-sync stamp%'");
        assertEquals(1, carriers.size(), carriers.toString());
        return carriers.get(0);
    }

    private List<String> names(String sql) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void aPlanOfAnUnchangedDatabaseIsAnsweredByTheStamp() throws SQLException {
        assertTrue(stampAnswers(Options.defaults()));
    }

    @Test
    void aSyncOfAnUnchangedDatabaseIsAnsweredByTheStampWithTheFullPathsReport() throws SQLException {
        SyncStamp.versionForTests = "full path";
        Report full = FkGuard.plan(c, Options.defaults());
        SyncStamp.versionForTests = null;
        long before = SyncStamp.ANSWERED.get();
        Report stamped = FkGuard.sync(c, Options.defaults());
        assertEquals(before + 1, SyncStamp.ANSWERED.get());
        assertTrue(stamped.statements().isEmpty());
        assertEquals(full.kept(), stamped.kept());
        assertEquals(full.foreignKeys(), stamped.foreignKeys());
        assertEquals(full.warnings(), stamped.warnings());
        assertFalse(stamped.warnings().isEmpty(), "track(album_id) has no index: the stamp carries that warning");
    }

    @Test
    void exactlyOneTriggerCarriesTheStampAndTheFullPlanFindsNothingToChange() throws SQLException {
        assertEquals(1, TestDb.count(c, "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%fkguard in-sync stamp%'"));
        SyncStamp.versionForTests = "full path";
        Report full = FkGuard.plan(c, Options.defaults());
        assertTrue(full.statements().isEmpty(), full.statements().toString());
        assertTrue(full.staleTriggers().isEmpty());
    }

    @Test
    void theStampSurvivesVacuumAndAFileCopy() throws SQLException, java.io.IOException {
        TestDb.exec(c, "VACUUM");
        c.close();
        Files.copy(dir.resolve("t.db"), dir.resolve("copy.db"));
        c = TestDb.open(dir.resolve("copy.db"));
        assertTrue(stampAnswers(Options.defaults()));
    }

    @Test
    void aHandEditedTriggerIsNotHiddenByTheStamp() throws SQLException {
        String name = someTrigger("ins");
        TestDb.exec(c, "DROP TRIGGER \"" + name + "\"",
                "CREATE TRIGGER \"" + name + "\" AFTER INSERT ON track BEGIN SELECT 1; END");
        assertFalse(stampAnswers(Options.defaults()));
        assertTrue(FkGuard.sync(c, Options.defaults()).created().contains(name));
        assertThrows(SQLException.class, () -> TestDb.exec(c, "INSERT INTO track VALUES (1, 99, 'z')"));
    }

    @Test
    void aHandEditOfTheCarrierThatKeepsTheStampIsNotHidden() throws SQLException {
        String name = carrier();
        String sql = names("SELECT sql FROM sqlite_master WHERE name = '" + name + "'").get(0);
        String edited = sql.replaceFirst("(?s)BEGIN.*(/\\* fkguard in-sync stamp)", "BEGIN SELECT 1; $1");
        assertTrue(edited.contains("fkguard in-sync stamp") && !edited.equals(sql), edited);
        TestDb.exec(c, "DROP TRIGGER \"" + name + "\"", edited);
        assertFalse(stampAnswers(Options.defaults()));
        assertTrue(FkGuard.sync(c, Options.defaults()).created().contains(name));
        assertTrue(stampAnswers(Options.defaults()));
    }

    @Test
    void aDroppedTriggerIsNotHiddenByTheStamp() throws SQLException {
        String name = someTrigger("pdel");
        TestDb.exec(c, "DROP TRIGGER \"" + name + "\"");
        assertFalse(stampAnswers(Options.defaults()));
        assertTrue(FkGuard.sync(c, Options.defaults()).created().contains(name));
    }

    @Test
    void aDroppedCarrierIsNotHiddenAndTheNextSyncStampsAgain() throws SQLException {
        String name = carrier();
        TestDb.exec(c, "DROP TRIGGER \"" + name + "\"");
        assertFalse(stampAnswers(Options.defaults()));
        assertTrue(FkGuard.sync(c, Options.defaults()).created().contains(name));
        SyncMemory.forget();
        assertTrue(stampAnswers(Options.defaults()));
    }

    @Test
    void aNewFkguardNamedTriggerIsNotHiddenByTheStamp() throws SQLException {
        String extra = "fkguard_track_ins_0123456789";
        assertTrue(TriggerNames.isManaged(extra));
        TestDb.exec(c, "CREATE TRIGGER \"" + extra + "\" AFTER INSERT ON track BEGIN SELECT 1; END");
        assertFalse(stampAnswers(Options.defaults()));
        assertTrue(FkGuard.sync(c, Options.defaults()).dropped().contains(extra));
    }

    @Test
    void aChangedTableIsNotHiddenByTheStamp() throws SQLException {
        TestDb.exec(c, "CREATE TABLE label (id INTEGER PRIMARY KEY)",
                "ALTER TABLE album ADD COLUMN label_id INTEGER REFERENCES label(id)");
        assertFalse(stampAnswers(Options.defaults()));
        Report r = FkGuard.sync(c, Options.defaults());
        assertEquals(3, r.foreignKeys());
        assertFalse(r.created().isEmpty());
    }

    @Test
    void aNewIndexIsNotHiddenByTheStamp() throws SQLException {
        TestDb.exec(c, "CREATE INDEX track_album ON track(album_id)");
        assertFalse(stampAnswers(Options.defaults()));
        Report r = FkGuard.plan(c, Options.defaults());
        assertTrue(r.warnings().stream().noneMatch(w -> w.contains("no index on track")), r.warnings().toString());
    }

    @Test
    void otherOptionsAreNotAnsweredByTheStamp() throws SQLException {
        assertFalse(stampAnswers(Options.defaults().withExcludedTables(java.util.Set.of("track"))));
        assertFalse(stampAnswers(Options.defaults().withBrokenKeys(Options.BrokenKeys.ENFORCE)));
        assertTrue(stampAnswers(Options.defaults()));
    }

    @Test
    void theOrphanPolicyDoesNotMatterToAStateInSync() throws SQLException {
        assertTrue(stampAnswers(Options.defaults().withOrphanPolicy(Options.OrphanPolicy.WARN)));
    }

    @Test
    void anotherPlannerVersionIsNotAnsweredByTheStamp() throws SQLException {
        SyncStamp.versionForTests = "another build";
        assertFalse(stampAnswers(Options.defaults()));
        FkGuard.sync(c, Options.defaults());
        SyncMemory.forget();
        assertTrue(stampAnswers(Options.defaults()), "the sync under the other version stamped for it");
        SyncStamp.versionForTests = null;
        assertFalse(stampAnswers(Options.defaults()));
    }

    @Test
    void checkNeverTakesTheStampAndStillCountsOrphans() throws SQLException {
        long before = SyncStamp.ANSWERED.get();
        Report r = FkGuard.check(c, Options.defaults());
        assertEquals(before, SyncStamp.ANSWERED.get());
        assertTrue(r.healthy());
    }

    @Test
    void aRestampKeepsEachTablesTriggersInTheirFiringOrder() throws SQLException {
        // a new key on album makes album's triggers change; the carrier is rewritten after them
        String carrierBefore = carrier();
        List<String> orderBefore = names("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                + " AND tbl_name = (SELECT tbl_name FROM sqlite_master WHERE name = '" + carrierBefore + "') ORDER BY rowid");
        TestDb.exec(c, "CREATE TABLE playlist (id INTEGER PRIMARY KEY, track_id INTEGER REFERENCES track(id))");
        FkGuard.sync(c, Options.defaults());
        List<String> orderAfter = names("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                + " AND tbl_name = (SELECT tbl_name FROM sqlite_master WHERE name = '" + carrierBefore + "') ORDER BY rowid");
        assertEquals(orderBefore.stream().filter(orderAfter::contains).toList(),
                orderAfter.stream().filter(orderBefore::contains).toList());
        SyncStamp.versionForTests = "full path";
        assertTrue(FkGuard.plan(c, Options.defaults()).statements().isEmpty());
        SyncStamp.versionForTests = null;
        SyncMemory.forget();
        assertTrue(stampAnswers(Options.defaults()));
    }

    @Test
    void aUserTriggerNewerThanTheCarrierKeepsItsPlaceAndTheStampStillTellsTheTruth() throws SQLException {
        String carrier = carrier();
        String table = names("SELECT tbl_name FROM sqlite_master WHERE name = '" + carrier + "'").get(0);
        TestDb.exec(c, "CREATE TABLE log (m TEXT)",
                "CREATE TRIGGER audit AFTER INSERT ON \"" + table + "\" BEGIN INSERT INTO log VALUES ('x'); END");
        assertFalse(stampAnswers(Options.defaults()), "a new user trigger is a new input");
        FkGuard.sync(c, Options.defaults());
        SyncStamp.versionForTests = "full path";
        assertTrue(FkGuard.plan(c, Options.defaults()).statements().isEmpty(), "the stamp's rewrite moved no trigger");
        SyncStamp.versionForTests = null;
        SyncMemory.forget();
        assertTrue(FkGuard.plan(c, Options.defaults()).inSync());
        assertEquals(1, TestDb.count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'audit'"));
    }

    @Test
    void aPartialSyncIsNeverAnsweredByTheStamp() throws SQLException {
        long before = SyncStamp.ANSWERED.get();
        FkGuard.sync(c, Options.defaults().withPartial(true));
        assertEquals(before, SyncStamp.ANSWERED.get());
    }
}
