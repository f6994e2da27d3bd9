package dev.fkguard.flyway;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Baseline and repair also leave the triggers in step with the schema. */
class FlywayApiBaselineRepairTest {

    @TempDir
    Path dir;
    SqliteFixture db;

    @BeforeEach
    void fixture() throws Exception {
        db = new SqliteFixture(dir);
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .baselineVersion("1").load();
    }

    @Test
    void baseliningAnExistingDatabaseInstallsItsTriggers() throws Exception {
        try (Connection c = db.plainConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name TEXT)");
            s.executeUpdate("CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, ArtistId INTEGER REFERENCES Artist (ArtistId))");
            s.executeUpdate("INSERT INTO Artist VALUES (1, 'AC/DC')");
            s.executeUpdate("INSERT INTO Album VALUES (1, 1)");
        }
        assertEquals(Map.of(), db.fkguardTriggers());

        flyway().baseline();

        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (2, 999)");
    }

    @Test
    void repairPutsBackTriggersThatWentMissing() throws Exception {
        db.small();
        flyway().migrate();
        try (Connection c = db.plainConnection()) {
            FkGuard.drop(c, Options.defaults());
        }
        assertEquals(Map.of(), db.fkguardTriggers());

        flyway().repair();

        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
    }
}
