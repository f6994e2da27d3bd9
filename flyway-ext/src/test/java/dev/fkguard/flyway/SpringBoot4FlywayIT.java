package dev.fkguard.flyway;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spring Boot 4, in a JVM of its own (the module's test class path has Spring Boot 3.5, which cannot run Flyway 12+):
 * the shaded jar on the class path and no fkguard configuration end with triggers. Once with the Flyway that Spring
 * Boot manages (what a new application gets), once with the newest Flyway.
 */
class SpringBoot4FlywayIT {

    private static final String MANAGED = "managed";

    @ParameterizedTest(name = "Flyway {0}")
    @ValueSource(strings = {MANAGED, "newest"})
    void aSpringBoot4ApplicationEndsWithTriggersInstalled(String flyway, @TempDir Path dir) throws Exception {
        String flywayVersion = MANAGED.equals(flyway) ? System.getProperty("fkguard.spring.boot4.flyway.version")
                : System.getProperty("fkguard.flyway.version");
        String flywayDependency = MANAGED.equals(flyway) ? "" : """
                    <dependency>
                      <groupId>org.flywaydb</groupId>
                      <artifactId>flyway-core</artifactId>
                      <version>%s</version>
                    </dependency>
                """.formatted(flywayVersion);
        SqliteFixture db = new SqliteFixture(dir).chinook();
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
%2$s                    <dependency>
                      <groupId>org.xerial</groupId>
                      <artifactId>sqlite-jdbc</artifactId>
                      <version>%3$s</version>
                    </dependency>
                  </dependencies>
                </project>
                """.formatted(System.getProperty("fkguard.spring.boot4.version"),
                flywayDependency, System.getProperty("fkguard.sqlite.version")));
        Path cpFile = project.resolve("cp.txt");
        Run maven = run(project, Path.of(System.getProperty("fkguard.maven.home"), "bin", "mvn").toString(), "-B", "-q",
                "-Dstyle.color=never", "-Dmaven.repo.local=" + System.getProperty("fkguard.maven.repo.local"),
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath", "-Dmdep.outputFile=" + cpFile);
        assertEquals(0, maven.exitCode(), maven.output());

        String classpath = String.join(File.pathSeparator, Files.readString(cpFile).trim(),
                Path.of(System.getProperty("fkguard.flyway.jar")).toAbsolutePath().toString(),
                Path.of(System.getProperty("fkguard.test.classes")).toAbsolutePath().toString());
        Run app = run(dir, Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                SpringBootMain.class.getName(), db.url(), db.location());

        assertEquals(0, app.exitCode(), app.output());
        assertTrue(app.output().contains("callback beans: [" + FkGuardFlywayAutoConfiguration.BEAN_NAME + "]"), app.output());
        assertTrue(Files.readString(cpFile).contains("flyway-core-" + flywayVersion + ".jar"), "runs on Flyway " + flywayVersion);
        assertTrue(Files.readString(cpFile).contains("spring-boot-" + System.getProperty("fkguard.spring.boot4.version") + ".jar"),
                "runs on Spring Boot 4");
        db.assertTriggersEqualPlan();
        db.assertRefused(SqliteFixture.TRACK_VIOLATION);
        db.assertRefused(SqliteFixture.GENRE_VIOLATION);
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
