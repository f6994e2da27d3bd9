package dev.fkguard.liquibase;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Liquibase command line (its real main class) in a separate JVM, with the packaged fkguard-liquibase jar on the
 * class path next to Liquibase's own jars and the user's sqlite-jdbc: how a user installs an extension into lib/.
 * Runs once per Liquibase line (4.33 and 5.0).
 */
class CliIT {
    private static final String MAIN = "liquibase.integration.commandline.LiquibaseCommandLine";

    @TempDir
    Path dir;

    static Stream<Arguments> versions() {
        return Arrays.stream(System.getProperty("fkguard.liquibase.versions").split(",")).map(Arguments::of);
    }

    @ParameterizedTest(name = "Liquibase {0}")
    @MethodSource("versions")
    void cli_update_runs_the_change_type_from_the_installed_jar(String version) throws Exception {
        Path db = Sqlite.chinook(dir);
        copyResource("changelogs/chinook.xml", dir.resolve("chinook.xml"));

        Run run = liquibase(version, db, "--changelog-file=chinook.xml", "update");

        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains(version), "not Liquibase " + version + ":\n" + run.output);
        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.assertChinookViolationsRefused(db);
    }

    @ParameterizedTest(name = "Liquibase {0}")
    @MethodSource("versions")
    void cli_update_sql_prints_the_trigger_sql_and_changes_nothing(String version) throws Exception {
        Path db = Sqlite.chinook(dir);
        copyResource("changelogs/chinook.xml", dir.resolve("chinook.xml"));

        Run run = liquibase(version, db, "--changelog-file=chinook.xml", "update-sql");

        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("WARNING The following SQL may change each run"), run.output);
        for (String statement : Sqlite.plan(db).statements()) {
            assertTrue(run.output.contains(statement), () -> "missing: " + statement);
        }
        assertTrue(Sqlite.fkguardTriggers(db).isEmpty());
    }

    @ParameterizedTest(name = "Liquibase {0}")
    @MethodSource("versions")
    void cli_change_exec_listener_class_syncs_a_changelog_that_does_not_mention_fkguard(String version)
            throws Exception {
        Path db = Sqlite.chinook(dir);
        copyResource("changelogs/chinook-plain.yaml", dir.resolve("chinook-plain.yaml"));

        Run run = liquibase(version, db, "--changelog-file=chinook-plain.yaml", "update",
                "--change-exec-listener-class=" + FkGuardChangeExecListener.class.getName());

        assertEquals(0, run.exit, run.output);
        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.assertRefused(db, "INSERT INTO PlaylistNote (NoteId, PlaylistId) VALUES (1, 99999)");
    }

    @ParameterizedTest(name = "Liquibase {0}")
    @MethodSource("versions")
    void cli_update_fails_with_fkguards_report_when_rows_break_a_foreign_key(String version) throws Exception {
        Path db = Sqlite.chinook(dir);
        Sqlite.exec(db, Sqlite.BAD_TRACK);
        copyResource("changelogs/chinook.xml", dir.resolve("chinook.xml"));

        Run run = liquibase(version, db, "--changelog-file=chinook.xml", "update");

        assertNotEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("fkguard refused to sync"), run.output);
        assertTrue(Sqlite.fkguardTriggers(db).isEmpty());
        assertEquals(3, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"), "the changeSets before the sync ran");
    }

    @ParameterizedTest(name = "Liquibase {0}")
    @MethodSource("versions")
    void cli_add_foreign_key_constraint_declares_the_key_and_rollback_drops_it(String version) throws Exception {
        Path db = ForeignKeyChangesTest.prepare(dir, "yaml");

        Run update = liquibase(version, db, "--changelog-file=changelog.yaml", "update");

        assertEquals(0, update.exit, update.output);
        assertEquals(1, Sqlite.count(db, ForeignKeyChangesTest.KEY_ROWS));
        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.assertRefused(db, ForeignKeyChangesTest.BAD_RATING);

        Run rollback = liquibase(version, db, "--changelog-file=changelog.yaml", "rollback-count", "--count=1");

        assertEquals(0, rollback.exit, rollback.output);
        assertEquals(0, Sqlite.count(db, ForeignKeyChangesTest.KEY_ROWS));
        Sqlite.assertTriggersMatchPlan(db);
    }

    @ParameterizedTest(name = "Liquibase {0}")
    @MethodSource("versions")
    void cli_add_foreign_key_constraint_with_orphans_fails_and_changes_nothing(String version) throws Exception {
        Path db = ForeignKeyChangesTest.prepare(dir, "xml");
        Sqlite.exec(db, ForeignKeyChangesTest.BAD_RATING);

        Run update = liquibase(version, db, "--changelog-file=changelog.xml", "update");

        assertNotEquals(0, update.exit, update.output);
        assertTrue(update.output.contains("1 row of TrackRating breaks foreign key TrackRating(TrackId) -> Track(TrackId)"),
                update.output);
        assertEquals(0, Sqlite.count(db, ForeignKeyChangesTest.KEY_ROWS));
        assertTrue(Sqlite.fkguardTriggers(db).isEmpty());
    }

    private Run liquibase(String version, Path db, String... arguments) throws IOException, InterruptedException {
        Path lib = Paths.get(System.getProperty("fkguard.liquibase.libs"), version);
        List<String> classPath = new ArrayList<>();
        try (Stream<Path> jars = Files.list(lib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> classPath.add(p.toString()));
        }
        Path extension = Paths.get(System.getProperty("fkguard.liquibase.jar"));
        assertTrue(Files.isRegularFile(extension), "the packaged jar is missing: " + extension);
        classPath.add(extension.toString());

        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", String.join(File.pathSeparator, classPath),
                MAIN,
                "--url=" + Sqlite.url(db),
                "--search-path=" + dir.toAbsolutePath()));
        command.addAll(Arrays.asList(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("LIQUIBASE_ANALYTICS_ENABLED", "false");
        Process process = builder.start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Liquibase did not finish:\n" + output);
        }
        return new Run(process.exitValue(), output);
    }

    private static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = CliIT.class.getClassLoader().getResourceAsStream(resource)) {
            Files.copy(in, target);
        }
    }

    private static final class Run {
        final int exit;
        final String output;

        Run(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }
}
