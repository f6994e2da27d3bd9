package dev.fkguard.flyway;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.fkguard.flyway.SqliteFixture.GENRE_VIOLATION;
import static dev.fkguard.flyway.SqliteFixture.TRACK_VIOLATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Flyway command line in its own JVM, installed the way the distribution lays it out, with the shaded
 * fkguard-flyway jar dropped in as a user does: into {@code jars/}, where Flyway loads it through a class loader of
 * its own, so the callback is named once with Flyway's {@code callbacks} setting; or into {@code drivers/}, which is
 * on the main class path, where Flyway finds the jar's plugin with no setting at all.
 */
class FlywayCliIT {
    private static final String CALLBACK = "dev.fkguard.flyway.FkGuardCallback";

    @TempDir
    Path dir;
    Path flywayHome;
    SqliteFixture db;
    Path jarInJars;

    @BeforeEach
    void installFlywayWithTheJarInJars() throws IOException {
        Path source = Path.of(System.getProperty("fkguard.flyway.cli.home"));
        flywayHome = dir.resolve("flyway");
        copyTree(source, flywayHome);
        Path jar = Path.of(System.getProperty("fkguard.flyway.jar"));
        Files.createDirectories(flywayHome.resolve("jars"));
        jarInJars = Files.copy(jar, flywayHome.resolve("jars").resolve(jar.getFileName()));
        db = new SqliteFixture(Files.createDirectories(dir.resolve("project")));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    record Run(int exitCode, String output) {
    }

    private Run flyway(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, flywayHome.resolve("lib") + "/*",
                        flywayHome.resolve("lib/flyway") + "/*", flywayHome.resolve("drivers") + "/*"),
                "org.flywaydb.commandline.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(db.dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("FLYWAY_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "flyway finished");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void chinookMigratedByTheCliEndsWithTriggersThatRefuseTheClassicViolations() throws Exception {
        db.chinook();
        Run run = flyway(Map.of(), "-url=" + db.url(), "-locations=" + db.location(), "-callbacks=" + CALLBACK, "migrate");

        assertChinookGuarded(run);
    }

    /** The run synced after the schema migration and the classic violations are refused from a plain connection. */
    private void assertChinookGuarded(Run run) throws Exception {
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("fkguard after V1 (chinook schema): created "), run.output());
        db.assertTriggersEqualPlan();
        db.assertRefused(TRACK_VIOLATION);
        db.assertRefused(GENRE_VIOLATION);
    }

    @Test
    void theJarInDriversNeedsNoSetting() throws Exception {
        Files.move(jarInJars, flywayHome.resolve("drivers").resolve(jarInJars.getFileName()));
        db.chinook();
        Run run = flyway(Map.of(), "-url=" + db.url(), "-locations=" + db.location(), "migrate");

        assertChinookGuarded(run);
    }

    @Test
    void theJarInJarsIsNotSeenWithoutTheCallbacksSetting() throws Exception {
        db.chinook();
        Run run = flyway(Map.of(), "-url=" + db.url(), "-locations=" + db.location(), "migrate");

        assertEquals(0, run.exitCode(), run.output());
        assertEquals(Map.of(), db.fkguardTriggers(), "Flyway's plugin lookup does not search jars/: " + run.output());
    }

    @Test
    void aMigrationLeavingOrphansFailsTheCliRunWithFkguardsReport() throws Exception {
        db.small().migration("V3__orphans.sql", ORPHAN_MIGRATION);
        Run run = flyway(Map.of(), "-url=" + db.url(), "-locations=" + db.location(), "-callbacks=" + CALLBACK, "migrate");

        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("fkguard refused"), run.output());
        assertEquals(List.of("1:1", "2:1"), db.historyVersions());
        assertEquals(0, db.count("select count(*) from sqlite_master where name = 'Review'"));
    }

    private static final String ORPHAN_MIGRATION =
            "CREATE TABLE Review (ReviewId INTEGER PRIMARY KEY, AlbumId INTEGER REFERENCES Album (AlbumId));\n"
                    + "INSERT INTO Review VALUES (1, 999);\n";

    /** The callback ran (triggers, also for the new table) and the setting reached it (orphans only warned about). */
    private void assertOrphanPolicyWarnApplied(Run run) throws Exception {
        assertEquals(0, run.exitCode(), run.output());
        assertEquals(List.of("1:1", "2:1", "3:1"), db.historyVersions());
        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Review VALUES (2, 998)");
    }

    @Test
    void settingsInFlywayConfReachTheCallback() throws Exception {
        db.small().migration("V3__orphans.sql", ORPHAN_MIGRATION);
        Path conf = db.dir.resolve("flyway.conf");
        Files.writeString(conf, String.join("\n",
                "flyway.url=" + db.url(),
                "flyway.locations=" + db.location(),
                "flyway.callbacks=" + CALLBACK,
                "flyway.placeholders.fkguard.orphanPolicy=warn", ""));
        Run run = flyway(Map.of(), "-configFiles=" + conf, "migrate");

        assertOrphanPolicyWarnApplied(run);
    }

    @Test
    void settingsInFlywayTomlReachTheCallback() throws Exception {
        db.small().migration("V3__orphans.sql", ORPHAN_MIGRATION);
        Path toml = db.dir.resolve("flyway.toml");
        Files.writeString(toml, String.join("\n",
                "[environments.default]",
                "url = \"" + db.url() + "\"",
                "",
                "[flyway]",
                "environment = \"default\"",
                "locations = [\"" + db.location() + "\"]",
                "callbacks = [\"" + CALLBACK + "\"]",
                "",
                "[flyway.placeholders]",
                "\"fkguard.orphanPolicy\" = \"warn\"", ""));
        Run run = flyway(Map.of(), "-configFiles=" + toml, "migrate");

        assertOrphanPolicyWarnApplied(run);
    }

    @Test
    void settingsInEnvironmentVariablesReachTheCallback() throws Exception {
        db.small();
        Run run = flyway(Map.of("FLYWAY_URL", db.url(), "FLYWAY_LOCATIONS", db.location(),
                "FLYWAY_CALLBACKS", CALLBACK, "FLYWAY_PLACEHOLDERS_FKGUARD_MODE", "check"), "migrate");

        assertEquals(0, run.exitCode(), run.output());
        assertEquals(Map.of(), db.fkguardTriggers());
        assertTrue(run.output().contains("fkguard check"), run.output());
    }
}
