package dev.fkguard.flyway;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.fkguard.flyway.SqliteFixture.GENRE_VIOLATION;
import static dev.fkguard.flyway.SqliteFixture.TRACK_VIOLATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chinook grows through the kinds of migration real projects run, through the real Flyway API on a real SQLite
 * file. After every step the installed triggers equal what fkguard derives, and a connection that never enabled
 * foreign keys is refused on violations.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlywayApiMigrationSequenceTest {

    SqliteFixture db;

    @BeforeAll
    void writeMigrations(@TempDir Path dir) throws Exception {
        db = new SqliteFixture(dir).chinookSequence();
    }

    private void migrateTo(String version) {
        Flyway.configure()
                .dataSource(db.url(), null, null)
                .locations(db.location())
                .target(version)
                .load()
                .migrate();
    }

    @Test
    @Order(1)
    void chinookSchemaAndDataGetTriggersThatRefuseTheClassicViolations() throws Exception {
        migrateTo("2");
        db.assertTriggersEqualPlan();
        db.assertRefused(TRACK_VIOLATION);
        db.assertRefused(GENRE_VIOLATION);
        db.assertAccepted("DELETE FROM Genre WHERE GenreId NOT IN (SELECT GenreId FROM Track WHERE GenreId IS NOT NULL)");
    }

    @Test
    @Order(2)
    void aNewTableWithForeignKeysIsEnforcedAfterItsMigration() throws Exception {
        migrateTo("3");
        db.assertTriggersEqualPlan();
        assertTrue(db.fkguardTriggers().keySet().stream().anyMatch(n -> n.toLowerCase().contains("review")),
                "triggers for the new table: " + db.fkguardTriggers().keySet());
        db.assertRefused("INSERT INTO Review (TrackId, CustomerId, Stars) VALUES (99999, 1, 1)");
        db.assertRefused("INSERT INTO Review (TrackId, CustomerId, Stars) VALUES (1, 99999, 1)");
        db.assertRefused(TRACK_VIOLATION);
    }

    @Test
    @Order(3)
    void aTwelveStepRebuildOutsideATransactionGetsItsTriggersBack() throws Exception {
        migrateTo("4");
        assertEquals(1, db.count("select count(*) from pragma_table_info('Track') where name='Explicit'"));
        db.assertTriggersEqualPlan();
        db.assertRefused(TRACK_VIOLATION);
        db.assertRefused(GENRE_VIOLATION);
        db.assertRefused("DELETE FROM Track WHERE TrackId=1"); // InvoiceLine rows point at it
        db.assertRefused("INSERT INTO Review (TrackId, CustomerId, Stars) VALUES (99999, 1, 1)");
    }

    @Test
    @Order(4)
    void aRenamedTableKeepsBeingEnforcedUnderItsNewName() throws Exception {
        migrateTo("5");
        db.assertTriggersEqualPlan();
        db.assertRefused("DELETE FROM MusicGenre WHERE GenreId=24");
        db.assertRefused("INSERT INTO Track (Name, MediaTypeId, GenreId, Milliseconds, UnitPrice) VALUES ('x', 1, 99999, 1, 1)");
        db.assertRefused(TRACK_VIOLATION);
    }

    @Test
    @Order(5)
    void aDroppedTableLeavesNoTriggerBehind() throws Exception {
        migrateTo("6");
        db.assertTriggersEqualPlan();
        assertFalse(db.fkguardTriggers().values().stream().anyMatch(sql -> sql.contains("PlaylistTrack")),
                "no trigger mentions the dropped table");
        db.assertAccepted("DELETE FROM Playlist WHERE PlaylistId=1");
        db.assertRefused(TRACK_VIOLATION);
        db.assertRefused("DELETE FROM MusicGenre WHERE GenreId=24");
        assertEquals(java.util.List.of("1:1", "2:1", "3:1", "4:1", "5:1", "6:1"), db.historyVersions());
    }

    @Test
    @Order(6)
    void aTwelveStepRebuildOfAParentTableInATransactionKeepsItsChildrenEnforced() throws Exception {
        migrateTo("7");
        assertEquals(1, db.count("select count(*) from pragma_table_info('Album') where name='ReleaseYear'"));
        db.assertTriggersEqualPlan();
        db.assertRefused(TRACK_VIOLATION);
        db.assertRefused("DELETE FROM Album WHERE AlbumId=1");
        db.assertRefused("INSERT INTO Album (Title, ArtistId) VALUES ('x', 99999)");
    }

    @Test
    @Order(7)
    void droppingAForeignKeyColumnDropsItsTriggersAndKeepsTheOthers() throws Exception {
        migrateTo("8");
        db.assertTriggersEqualPlan();
        assertFalse(db.fkguardTriggers().values().stream().anyMatch(sql -> sql.contains("CustomerId") && sql.contains("Review")),
                "no trigger names the dropped column");
        db.assertAccepted("DELETE FROM Customer WHERE CustomerId NOT IN (SELECT CustomerId FROM Invoice)");
        db.assertRefused("INSERT INTO Review (TrackId, Stars) VALUES (99999, 1)");
        db.assertRefused(TRACK_VIOLATION);
    }
}
