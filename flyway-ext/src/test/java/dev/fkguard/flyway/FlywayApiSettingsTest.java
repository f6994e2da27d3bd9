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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Settings reach the callback as Flyway placeholders, given through Flyway's own configuration routes. */
class FlywayApiSettingsTest {

    @TempDir
    Path dir;
    SqliteFixture db;

    @BeforeEach
    void migrations() throws Exception {
        db = new SqliteFixture(dir).small();
    }

    @Test
    void modeOffLeavesTheDatabaseWithoutTriggers() throws Exception {
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .placeholders(Map.of("fkguard.mode", "off")).load().migrate();

        assertEquals(Map.of(), db.fkguardTriggers());
        db.assertAccepted("INSERT INTO Album VALUES (9, 'x', 999)");
    }

    @Test
    void modeCheckChangesNothingAndWarnsThatTriggersAreMissing() throws Exception {
        try (CapturedLog log = CapturedLog.start()) {
            Flyway.configure().dataSource(db.url(), null, null).locations(db.location()).loggers(CapturedLog.LOGGER)
                    .placeholders(Map.of("fkguard.mode", "check-only")).load().migrate();

            assertEquals(Map.of(), db.fkguardTriggers());
            assertTrue(log.fkguardLines().stream().anyMatch(l -> l.startsWith("WARN fkguard check")), log.lines().toString());
        }
    }

    @Test
    void settingsGivenAsFlywayPropertiesReachTheCallback() throws Exception {
        // What flyway.conf, environment variables and the Maven plugin hand to Flyway.
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .configuration(Map.of("flyway.callbacks", FkGuardCallback.class.getName(),
                        "flyway.placeholders.fkguard_mode", "off"))
                .load().migrate();

        assertEquals(Map.of(), db.fkguardTriggers());
    }

    @Test
    void aMisspelledSettingFailsTheMigrationInsteadOfBeingIgnored() {
        FlywayException e = assertThrows(FlywayException.class, () -> Flyway.configure()
                .dataSource(db.url(), null, null).locations(db.location()).callbacks(new FkGuardCallback())
                .placeholders(Map.of("fkguard.orphanPolcy", "warn")).load().migrate());

        assertTrue(String.valueOf(e.getMessage()).contains("fkguard.orphanPolcy")
                || String.valueOf(e.getCause()).contains("fkguard.orphanPolcy"), e.toString());
    }

    @Test
    void brokenKeysEnforceLetsAMigrationThatLeavesABrokenKeyPassAndRefusesTheWritesThatNeedIt() throws Exception {
        db.migration("V3__left_over.sql", "CREATE TABLE LeftOver (Id INTEGER PRIMARY KEY, GoneId INTEGER REFERENCES Gone (Id));");
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .placeholders(Map.of("fkguard.brokenKeys", "enforce")).load().migrate();

        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.url()); java.sql.Statement s = c.createStatement()) {
            java.sql.SQLException e = assertThrows(java.sql.SQLException.class, () -> s.executeUpdate("INSERT INTO LeftOver VALUES (1, NULL)"));
            assertTrue(e.getMessage().contains("no such table: main.Gone"), e.getMessage());
        }
    }

    @Test
    void byDefaultAMigrationThatLeavesABrokenKeyFails() throws Exception {
        db.migration("V3__left_over.sql", "CREATE TABLE LeftOver (Id INTEGER PRIMARY KEY, GoneId INTEGER REFERENCES Gone (Id));");
        FlywayException e = assertThrows(FlywayException.class, () -> Flyway.configure().dataSource(db.url(), null, null)
                .locations(db.location()).load().migrate());
        assertTrue(String.valueOf(e.getMessage()).contains("parent table Gone does not exist")
                || String.valueOf(e.getCause()).contains("parent table Gone does not exist"), e.toString());
    }

    @Test
    void settingsFixedInCodeWinOverPlaceholders() throws Exception {
        FkGuardCallback off = new FkGuardCallback(FkGuardFlywaySettings.defaults().withMode(FkGuardFlywaySettings.Mode.OFF));
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .callbacks(off).placeholders(Map.of("fkguard.mode", "sync")).load().migrate();

        assertEquals(Map.of(), db.fkguardTriggers());
    }
}
