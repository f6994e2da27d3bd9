package dev.fkguard.flyway;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.fkguard.flyway.SqliteFixture.GENRE_VIOLATION;
import static dev.fkguard.flyway.SqliteFixture.TRACK_VIOLATION;

/**
 * The official Flyway image with the fkguard jar in its {@code /flyway/jars} folder, migrating Chinook in a SQLite
 * file mounted from the host. Needs a container engine; where none runs it is skipped, and the same path (jar in
 * {@code jars/}, {@code callbacks} setting) is covered without containers by {@link FlywayCliIT}.
 */
class FlywayDockerImageIT {

    @BeforeEach
    void needsAContainerEngine() {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            available = false;
        }
        Assumptions.assumeTrue(available, "skipped: no container engine (Docker or compatible) is reachable here;"
                + " FlywayCliIT covers the jars/ route in a separate JVM instead");
    }

    @Test
    void theOfficialImageWithTheJarInJarsMigratesChinookWithTriggers(@TempDir Path dir) throws Exception {
        SqliteFixture db = new SqliteFixture(Files.createDirectories(dir.resolve("project"))).chinook();
        Path jar = Path.of(System.getProperty("fkguard.flyway.jar"));
        String image = "flyway/flyway:" + System.getProperty("fkguard.flyway.cli.version");

        try (GenericContainer<?> flyway = new GenericContainer<>(DockerImageName.parse(image))
                .withFileSystemBind(jar.toString(), "/flyway/jars/" + jar.getFileName(), BindMode.READ_ONLY)
                .withFileSystemBind(db.migrations.toString(), "/flyway/sql", BindMode.READ_ONLY)
                .withFileSystemBind(db.dir.toString(), "/work", BindMode.READ_WRITE)
                .withCommand("-url=jdbc:sqlite:/work/app.db", "-locations=filesystem:/flyway/sql",
                        "-callbacks=dev.fkguard.flyway.FkGuardCallback", "migrate")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(3)))) {
            flyway.start();
        }

        db.assertTriggersEqualPlan();
        db.assertRefused(TRACK_VIOLATION);
        db.assertRefused(GENRE_VIOLATION);
    }
}
