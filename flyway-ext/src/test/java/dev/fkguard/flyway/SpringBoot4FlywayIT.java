package dev.fkguard.flyway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring Boot 4, in a JVM of its own (the module's test class path has Spring Boot 3.5, which cannot run Flyway 12+):
 * the shaded jar on the class path and no fkguard configuration end with triggers. Once with the Flyway that Spring
 * Boot manages (what a new application gets), once with the newest Flyway. And Spring Boot 4.0, whose Flyway is
 * below fkguard's range: the application stops with fkguard's message saying what to change.
 */
class SpringBoot4FlywayIT {

    private static final String MANAGED = "managed";

    @ParameterizedTest(name = "Flyway {0}")
    @ValueSource(strings = {MANAGED, "newest"})
    void aSpringBoot4ApplicationEndsWithTriggersInstalled(String flyway, @TempDir Path dir) throws Exception {
        String flywayVersion = MANAGED.equals(flyway) ? System.getProperty("fkguard.spring.boot4.flyway.version")
                : System.getProperty("fkguard.flyway.version");
        SqliteFixture db = new SqliteFixture(dir).chinook();
        String classpath = classpath(dir, System.getProperty("fkguard.spring.boot4.version"),
                MANAGED.equals(flyway) ? null : flywayVersion);

        Run app = runApplication(dir, classpath, db);

        assertEquals(0, app.exitCode(), app.output());
        assertTrue(app.output().contains("callback beans: [" + FkGuardFlywayAutoConfiguration.BEAN_NAME + "]"), app.output());
        assertTrue(classpath.contains("flyway-core-" + flywayVersion + ".jar"), "runs on Flyway " + flywayVersion);
        assertTrue(classpath.contains("spring-boot-" + System.getProperty("fkguard.spring.boot4.version") + ".jar"),
                "runs on Spring Boot 4");
        db.assertTriggersEqualPlan();
        db.assertRefused(SqliteFixture.TRACK_VIOLATION);
        db.assertRefused(SqliteFixture.GENRE_VIOLATION);
    }

    @Test
    void onTheFlywayThatSpringBoot40ManagesTheApplicationStopsWithFkguardsMessageBeforeMigrating(@TempDir Path dir)
            throws Exception {
        SqliteFixture db = new SqliteFixture(dir).chinook();
        String classpath = classpath(dir, System.getProperty("fkguard.spring.boot40.version"), null);
        assertTrue(classpath.contains("flyway-core-11.14.1.jar"), "Spring Boot 4.0 manages Flyway 11.14.1: " + classpath);

        Run app = runApplication(dir, classpath, db);

        assertNotEquals(0, app.exitCode(), app.output());
        assertTrue(app.output().contains("fkguard-flyway needs Flyway 11.16.0 or later, and this application has Flyway"
                + " 11.14.1."), app.output());
        assertTrue(app.output().contains("set the flyway.version property"), app.output());
        assertFalse(Files.exists(db.db), "nothing was migrated");
    }

    /** The class path Maven resolves for a Spring Boot application; flywayVersion null: the one Boot manages. */
    private static String classpath(Path dir, String bootVersion, String flywayVersion) throws Exception {
        String flywayDependency = flywayVersion == null ? "" : """
                    <dependency>
                      <groupId>org.flywaydb</groupId>
                      <artifactId>flyway-core</artifactId>
                      <version>%s</version>
                    </dependency>
                """.formatted(flywayVersion);
        Path project = Files.createDirectories(dir.resolve("classpath"));
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>boot4</artifactId>
                  <version>1</version>
                  <dependencies>
                    <dependency>
                      <groupId>org.springframework.boot</groupId>
                      <artifactId>spring-boot-starter</artifactId>
                      <version>%1$s</version>
                    </dependency>
                    <dependency>
                      <groupId>org.springframework.boot</groupId>
                      <artifactId>spring-boot-flyway</artifactId>
                      <version>%1$s</version>
                    </dependency>
                %2$s
                    <dependency>
                      <groupId>org.xerial</groupId>
                      <artifactId>sqlite-jdbc</artifactId>
                      <version>%3$s</version>
                    </dependency>
                  </dependencies>
                </project>
                """.formatted(bootVersion, flywayDependency, System.getProperty("fkguard.sqlite.version")));
        Path cpFile = project.resolve("cp.txt");
        Run maven = run(project, Path.of(System.getProperty("fkguard.maven.home"), "bin", "mvn").toString(), "-B", "-q",
                "-Dstyle.color=never", "-Dmaven.repo.local=" + System.getProperty("fkguard.maven.repo.local"),
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath", "-Dmdep.outputFile=" + cpFile);
        assertEquals(0, maven.exitCode(), maven.output());
        return Files.readString(cpFile).trim();
    }

    /** {@link SpringBootMain} in its own JVM, with the shaded jar next to the resolved class path. */
    private static Run runApplication(Path dir, String classpath, SqliteFixture db) throws Exception {
        String full = String.join(File.pathSeparator, classpath,
                Path.of(System.getProperty("fkguard.flyway.jar")).toAbsolutePath().toString(),
                Path.of(System.getProperty("fkguard.test.classes")).toAbsolutePath().toString());
        return run(dir, Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", full,
                SpringBootMain.class.getName(), db.url(), db.location());
    }

    record Run(int exitCode, String output) {
    }

    private static Run run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "finished: " + String.join(" ", command));
        return new Run(p.exitValue(), out);
    }
}
