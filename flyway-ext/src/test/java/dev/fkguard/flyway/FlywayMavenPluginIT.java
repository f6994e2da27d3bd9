package dev.fkguard.flyway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.fkguard.flyway.SqliteFixture.GENRE_VIOLATION;
import static dev.fkguard.flyway.SqliteFixture.TRACK_VIOLATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Flyway Maven plugin, run by Maven in its own JVM on a project whose plugin dependencies hold the shaded
 * fkguard-flyway jar and the SQLite driver. No fkguard configuration: Flyway finds the jar's plugin by itself. A
 * setting is given in {@code <placeholders>}.
 */
class FlywayMavenPluginIT {

    /** Writes a project whose flyway-maven-plugin has the shaded jar and the driver as dependencies. */
    private static void writePom(Path dir, SqliteFixture db, String placeholders) throws Exception {
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>example</groupId>
                  <artifactId>app</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.flywaydb</groupId>
                        <artifactId>flyway-maven-plugin</artifactId>
                        <version>%s</version>
                        <configuration>
                          <url>%s</url>
                          <locations><location>%s</location></locations>
                          <placeholders>%s</placeholders>
                        </configuration>
                        <dependencies>
                          <dependency>
                            <groupId>dev.fkguard</groupId>
                            <artifactId>fkguard-flyway</artifactId>
                            <version>it</version>
                            <scope>system</scope>
                            <systemPath>%s</systemPath>
                          </dependency>
                          <dependency>
                            <groupId>org.xerial</groupId>
                            <artifactId>sqlite-jdbc</artifactId>
                            <version>%s</version>
                          </dependency>
                        </dependencies>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(System.getProperty("fkguard.flyway.maven.plugin.version"), db.url(), db.location(), placeholders,
                Path.of(System.getProperty("fkguard.flyway.jar")).toAbsolutePath(),
                System.getProperty("fkguard.sqlite.version")));

    }

    /** {@code mvn flyway:migrate} with the extra arguments; returns Maven's output after asserting it succeeded. */
    private static String migrate(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("fkguard.maven.home"), "bin", "mvn").toString(),
                "-B", "-Dstyle.color=never", "-Dmaven.repo.local=" + System.getProperty("fkguard.maven.repo.local")));
        command.addAll(List.of(args));
        command.add("flyway:migrate");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "maven finished");
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    @Test
    void flywayMigrateFromMavenWithTheJarAsAPluginDependencyInstallsTriggersAndTakesSettingsFromPlaceholders(@TempDir Path dir) throws Exception {
        SqliteFixture db = new SqliteFixture(dir).chinook().migration("V3__orphans.sql",
                "CREATE TABLE Review (ReviewId INTEGER PRIMARY KEY, TrackId INTEGER REFERENCES Track (TrackId));\n"
                        + "INSERT INTO Review VALUES (1, 99999);\n");
        writePom(dir, db, "<fkguard.orphanPolicy>warn</fkguard.orphanPolicy>");
        String output = migrate(dir);

        assertEquals(1, output.split("fkguard after V1 \\(chinook schema\\): created ", -1).length - 1, "synced once: " + output);
        assertEquals(List.of("1:1", "2:1", "3:1"), db.historyVersions(), "orphans only warned about: " + output);
        db.assertTriggersEqualPlan();
        db.assertRefused(TRACK_VIOLATION);
        db.assertRefused(GENRE_VIOLATION);
        db.assertRefused("INSERT INTO Review VALUES (2, 99998)");
    }

    @Test
    void theChinookSequenceThroughTheMavenPluginLeavesTheTriggersOfThePlanAfterEveryStep(@TempDir Path dir) throws Exception {
        SqliteFixture db = new SqliteFixture(dir).chinookSequence();
        writePom(dir, db, "");
        for (String target : List.of("2", "3", "4", "5", "6", "7", "8")) {
            migrate(dir, "-Dflyway.target=" + target);
            db.assertTriggersEqualPlan();
            db.assertRefused("INSERT INTO InvoiceLine (InvoiceId, TrackId, UnitPrice, Quantity) VALUES (1, 99999, 1, 1)");
        }
        assertEquals(List.of("1:1", "2:1", "3:1", "4:1", "5:1", "6:1", "7:1", "8:1"), db.historyVersions());
        db.assertRefused(TRACK_VIOLATION);
        db.assertRefused("DELETE FROM MusicGenre WHERE GenreId=24");
        db.assertRefused("INSERT INTO Review (TrackId, Stars) VALUES (99999, 1)");
    }
}
