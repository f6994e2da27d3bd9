package dev.fkguard.liquibase;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official Liquibase image with fkguard-liquibase.jar dropped into /liquibase/lib, updating a SQLite file.
 * Needs a container engine; where none runs, every test here is skipped with the reason. The same path (the
 * packaged jar under the real Liquibase CLI) is also covered without containers by {@link CliIT}.
 */
class ContainerIT {
    private static boolean engine;

    @TempDir
    Path dir;

    @BeforeAll
    static void lookForAContainerEngine() {
        try {
            engine = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            engine = false;
        }
    }

    static Stream<Arguments> versions() {
        return Arrays.stream(System.getProperty("fkguard.liquibase.versions").split(",")).map(Arguments::of);
    }

    @ParameterizedTest(name = "liquibase/liquibase:{0}")
    @MethodSource("versions")
    void official_image_with_the_jar_in_lib_installs_the_triggers(String version) throws Exception {
        assumeTrue(engine, "skipped: no container engine (Docker or a compatible socket) is reachable from this"
                + " machine, so the official Liquibase image cannot run; CliIT covers the same jar with the real CLI");
        Path db = Sqlite.chinook(dir);
        Path changelog = dir.resolve("chinook.xml");
        try (InputStream in = ContainerIT.class.getClassLoader().getResourceAsStream("changelogs/chinook.xml")) {
            Files.copy(in, changelog);
        }
        Path jar = Paths.get(System.getProperty("fkguard.liquibase.jar"));
        Path sqliteJdbc;
        try (Stream<Path> jars = Files.list(Paths.get(System.getProperty("fkguard.liquibase.libs"), version))) {
            sqliteJdbc = jars.filter(p -> p.getFileName().toString().startsWith("sqlite-jdbc-")).findFirst().orElseThrow();
        }

        try (GenericContainer<?> liquibase = new GenericContainer<>(DockerImageName.parse("liquibase/liquibase:" + version))
                .withCopyFileToContainer(MountableFile.forHostPath(jar), "/liquibase/lib/fkguard-liquibase.jar")
                .withCopyFileToContainer(MountableFile.forHostPath(sqliteJdbc), "/liquibase/lib/sqlite-jdbc.jar")
                .withCopyFileToContainer(MountableFile.forHostPath(changelog, 0644), "/liquibase/changelog/chinook.xml")
                .withCopyFileToContainer(MountableFile.forHostPath(db, 0666), "/liquibase/changelog/chinook.db")
                .withEnv("LIQUIBASE_ANALYTICS_ENABLED", "false")
                .withCommand("--url=jdbc:sqlite:/liquibase/changelog/chinook.db", "--search-path=/liquibase/changelog",
                        "--changelog-file=chinook.xml", "update")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(3)))) {
            liquibase.start();
            liquibase.copyFileFromContainer("/liquibase/changelog/chinook.db", db.toString() + ".out");
        }

        Path updated = Paths.get(db + ".out");
        assertTrue(Files.size(updated) > 0);
        Sqlite.assertTriggersMatchPlan(updated);
        Sqlite.assertChinookViolationsRefused(updated);
    }
}
