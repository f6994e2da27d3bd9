package dev.fkguard.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The syncs at the end of a migrate run, successful or not. */
class FlywayApiAfterMigrateTest {

    @TempDir
    Path dir;
    SqliteFixture db;

    @BeforeEach
    void migrations() throws Exception {
        db = new SqliteFixture(dir).small();
    }

    private Flyway flyway(boolean withFkguard) {
        // With the jar on the class path fkguard is there without configuration; mode=off is how to leave it out.
        var c = Flyway.configure().dataSource(db.url(), null, null).locations(db.location());
        return (withFkguard ? c : c.placeholders(Map.of("fkguard.mode", "off"))).load();
    }

    @Test
    void addingFkguardToAnUpToDateDatabaseInstallsTriggersOnTheNextMigrate() throws Exception {
        flyway(false).migrate();
        assertEquals(Map.of(), db.fkguardTriggers());

        assertEquals(0, flyway(true).migrate().migrationsExecuted);

        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
    }

    @Test
    void aFailedNonTransactionalMigrationStillEndsWithTriggersForWhatItLeft() throws Exception {
        flyway(true).migrate();
        db.migration("V3__half_done.sql", """
                CREATE TABLE Review (ReviewId INTEGER PRIMARY KEY, AlbumId INTEGER REFERENCES Album (AlbumId));
                INSERT INTO no_such_table VALUES (1);
                """).migration("V3__half_done.sql.conf", "executeInTransaction=false\n");

        assertThrows(FlywayException.class, () -> flyway(true).migrate());

        assertEquals(1, db.count("select count(*) from sqlite_master where name = 'Review'"), "Flyway left the half");
        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
        db.assertRefused("INSERT INTO Review VALUES (1, 999)");
    }
}
