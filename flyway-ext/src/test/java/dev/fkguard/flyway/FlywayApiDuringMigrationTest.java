package dev.fkguard.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What fkguard's triggers do while a migration runs: by default they stay in place and check the migration's own
 * writes as they happen; {@code fkguard.duringMigration=suspend}, and every Java migration, runs with them stepped
 * aside and checks at the end. Either way a migration that leaves an orphan leaves nothing.
 */
class FlywayApiDuringMigrationTest {

    private static final String ORPHAN_THEN_PARENT = """
            UPDATE Artist SET Name = 'changed by V3' WHERE ArtistId = 1;
            INSERT INTO Album VALUES (3, 'Restless and Wild', 3);
            INSERT INTO Artist VALUES (3, 'late parent');
            """;

    @TempDir
    Path dir;
    SqliteFixture db;

    @BeforeEach
    void migrateSmallSchema() throws Exception {
        db = new SqliteFixture(dir).small();
        flyway(Map.of(), db.location()).migrate();
    }

    private Flyway flyway(Map<String, String> placeholders, String... locations) {
        return Flyway.configure().dataSource(db.url(), null, null).locations(locations)
                .loggers(CapturedLog.LOGGER).placeholders(placeholders).load();
    }

    private void assertNothingOfV3() throws Exception {
        assertEquals(List.of("1:1", "2:1"), db.historyVersions(), "history as before");
        assertEquals(0, db.count("select count(*) from Artist where Name = 'changed by V3'"), "data as before");
        assertEquals(2, db.count("select count(*) from Album"), "data as before");
        db.assertTriggersEqualPlan();
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void byDefaultAStatementThatWritesAnOrphanFailsAtOnceNamingTheKeyAndTheMigrationLeavesNothing() throws Exception {
        db.migration("V3__orphan.sql", ORPHAN_THEN_PARENT);
        try (CapturedLog log = CapturedLog.start()) {
            FlywayException e = assertThrows(FlywayException.class, () -> flyway(Map.of(), db.location()).migrate());

            String messages = messages(e);
            assertTrue(messages.contains("FOREIGN KEY constraint failed: Album(ArtistId) -> Artist(ArtistId)"), messages);
            assertTrue(messages.matches("(?s).*V3__orphan\\.sql.*Line\\s*:\\s*2\\b.*"), "Flyway names the statement's line: " + messages);
            assertFalse(log.fkguardLines().stream().anyMatch(l -> l.contains("suspended")), "default mode, no line: " + log.lines());
        }
        assertNothingOfV3();
    }

    @Test
    void withSuspendAMigrationMayWriteAChildBeforeItsParentAndTheModeIsLogged() throws Exception {
        db.migration("V3__orphan.sql", ORPHAN_THEN_PARENT);
        try (CapturedLog log = CapturedLog.start()) {
            flyway(Map.of("fkguard.duringMigration", "suspend"), db.location()).migrate();

            assertTrue(log.fkguardInfoLines().stream().anyMatch(l -> l.contains("V3 (orphan): foreign-key triggers suspended"
                    + " during the migration (fkguard.duringMigration=suspend)")), log.lines().toString());
        }
        assertEquals(List.of("1:1", "2:1", "3:1"), db.historyVersions());
        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
    }

    @Test
    void withSuspendAMigrationThatLeavesAnOrphanFailsWithFkguardsReportAndLeavesNothing() throws Exception {
        db.migration("V3__orphan.sql", "UPDATE Artist SET Name = 'changed by V3' WHERE ArtistId = 1;\n"
                + "INSERT INTO Album VALUES (3, 'Restless and Wild', 999);\n");
        FlywayException e = assertThrows(FlywayException.class,
                () -> flyway(Map.of("fkguard.duringMigration", "suspend"), db.location()).migrate());

        String messages = messages(e);
        assertTrue(messages.contains("fkguard refused"), messages);
        assertTrue(messages.contains("Album(ArtistId) -> Artist(ArtistId)"), messages);
        assertNothingOfV3();
    }

    @Test
    void anOrphanWrittenWhileARebuildHadTheKeysTriggersSteppedAsideFailsTheMigrationAndLeavesNothing() throws Exception {
        // DROP TABLE Artist makes Album's triggers (they name Artist) step aside until the end of the migration
        db.migration("V3__rebuild_artist.sql", """
                UPDATE Artist SET Name = 'changed by V3' WHERE ArtistId = 1;
                CREATE TABLE Artist_new (ArtistId INTEGER PRIMARY KEY, Name TEXT);
                INSERT INTO Artist_new SELECT * FROM Artist;
                DROP TABLE Artist;
                INSERT INTO Album VALUES (3, 'Restless and Wild', 999);
                ALTER TABLE Artist_new RENAME TO Artist;
                """);
        FlywayException e = assertThrows(FlywayException.class, () -> flyway(Map.of(), db.location()).migrate());

        String messages = messages(e);
        assertTrue(messages.contains("fkguard refused"), messages);
        assertTrue(messages.contains("Album(ArtistId) -> Artist(ArtistId)"), messages);
        assertNothingOfV3();
    }

    @Test
    void aJavaMigrationRunsWithTheTriggersSuspendedAndAnOrphanItLeavesFailsItWithFkguardsReport() throws Exception {
        try (CapturedLog log = CapturedLog.start()) {
            FlywayException e = assertThrows(FlywayException.class,
                    () -> flyway(Map.of(), db.location(), "classpath:db/fkguardjava/orphan").migrate());

            String messages = messages(e);
            assertTrue(messages.contains("fkguard refused"), messages);
            assertTrue(messages.contains("Album(ArtistId) -> Artist(ArtistId)"), messages);
            assertTrue(log.fkguardInfoLines().stream().anyMatch(l -> l.contains("V3 (java orphan): foreign-key triggers"
                    + " suspended during the migration (jdbc migration")), log.lines().toString());
        }
        assertNothingOfV3();
    }

    @Test
    void aJavaMigrationRebuildingAParentTableGetsItsChildrensTriggersBack() throws Exception {
        flyway(Map.of(), db.location(), "classpath:db/fkguardjava/rebuild").migrate();

        assertEquals(List.of("1:1", "2:1", "3:1"), db.historyVersions());
        assertEquals(1, db.count("select count(*) from pragma_table_info('Artist') where name='Country'"));
        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
        db.assertRefused("DELETE FROM Artist WHERE ArtistId = 1");
    }
}
