package dev.fkguard.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the callback gets into a Flyway run through the Java API: with no configuration (the jar's Flyway plugin), or
 * configured as an object or a class name; and that it acts once and leaves other callbacks be.
 */
class FlywayApiRegistrationTest {

    @TempDir
    Path dir;
    SqliteFixture db;

    @BeforeEach
    void migrations() throws Exception {
        db = new SqliteFixture(dir).small();
    }

    @Test
    void theSuiteRunsAgainstTheFlywayVersionItIsMeantFor() throws Exception {
        String expected = System.getProperty("fkguard.flyway.expectedVersion");
        assertNotNull(expected, "surefire sets fkguard.flyway.expectedVersion");
        assertEquals(expected, FkGuardFlywayAutoConfiguration.flywayVersion(Flyway.class.getClassLoader()));
    }

    @Test
    void theJarOnTheClassPathAloneInstallsTheTriggers() throws Exception {
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location()).load().migrate();

        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
    }

    @Test
    void theZeroConfigurationRouteKeepsTheCallbacksPassedAsObjects() throws Exception {
        RecordingCallback recorder = new RecordingCallback();
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .callbacks(recorder).load().migrate();

        assertEquals(List.of(Event.AFTER_MIGRATE), recorder.seen, "the user's callback ran");
        db.assertTriggersEqualPlan();
    }

    @Test
    void theZeroConfigurationRouteSyncsOnceAndLogsOneLine() throws Exception {
        try (CapturedLog log = CapturedLog.start()) {
            Flyway.configure().dataSource(db.url(), null, null).locations(db.location()).loggers(CapturedLog.LOGGER)
                    .load().migrate();

            List<String> lines = log.fkguardInfoLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("INFO fkguard after V1 (artists albums): created "), lines.get(0));
        }
    }

    @Test
    void aConfiguredCallbackTakesOverFromTheZeroConfigurationRoute() throws Exception {
        FkGuardCallback off = new FkGuardCallback(FkGuardFlywaySettings.defaults().withMode(FkGuardFlywaySettings.Mode.OFF));
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .callbacks(off).load().migrate();

        assertEquals(Map.of(), db.fkguardTriggers(), "the plugin stayed out because a configured fkguard callback exists");
    }

    @Test
    void aCallbackObjectInstallsTheTriggers() throws Exception {
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .callbacks(new FkGuardCallback()).load().migrate();

        db.assertTriggersEqualPlan();
    }

    @Test
    void aCallbackClassNameInstallsTheTriggers() throws Exception {
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .callbacks(FkGuardCallback.class.getName()).load().migrate();

        db.assertTriggersEqualPlan();
    }

    @Test
    void whenRegisteredTwiceOnlyTheFirstActs() throws Exception {
        FkGuardCallback off = new FkGuardCallback(FkGuardFlywaySettings.defaults().withMode(FkGuardFlywaySettings.Mode.OFF));
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .callbacks(off, new FkGuardCallback()).load().migrate();

        assertEquals(Map.of(), db.fkguardTriggers(), "the second (syncing) registration stayed out");
    }

    @Test
    void theUsersOwnCallbacksStillRun() throws Exception {
        RecordingCallback recorder = new RecordingCallback();
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .callbacks(recorder, new FkGuardCallback()).load().migrate();

        assertEquals(List.of(Event.AFTER_MIGRATE), recorder.seen);
        db.assertTriggersEqualPlan();
    }

    @Test
    void aMigrationThatChangesTriggersLogsOneLineAndOneThatChangesNoneLogsNothing() throws Exception {
        try (CapturedLog log = CapturedLog.start()) {
            Flyway.configure().dataSource(db.url(), null, null).locations(db.location()).loggers(CapturedLog.LOGGER)
                    .callbacks(new FkGuardCallback()).load().migrate();

            List<String> lines = log.fkguardInfoLines();
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("INFO fkguard after V1 (artists albums): created "), lines.get(0));
        }
    }
}
