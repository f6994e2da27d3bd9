package dev.fkguard.flyway;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On a database that is not SQLite the callback stays out of the way. */
class NonSqliteH2Test {

    @Test
    void h2MigrationsRunUnchangedAndFkguardSaysOnceThatItStaysOut(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("V1__schema.sql"), """
                CREATE TABLE artist (artist_id INT PRIMARY KEY, name VARCHAR(100));
                CREATE TABLE album (album_id INT PRIMARY KEY, artist_id INT NOT NULL REFERENCES artist (artist_id));
                """);
        Files.writeString(dir.resolve("V2__data.sql"), "INSERT INTO artist VALUES (1, 'AC/DC');\nINSERT INTO album VALUES (1, 1);\n");
        String url = "jdbc:h2:mem:fkguard_h2_" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";

        try (CapturedLog log = CapturedLog.start()) {
            Flyway flyway = Flyway.configure().dataSource(url, "sa", "").locations("filesystem:" + dir).loggers(CapturedLog.LOGGER)
                    .load();
            assertEquals(2, flyway.migrate().migrationsExecuted);
            flyway.migrate();

            assertEquals(1, log.fkguardLines().size(), log.fkguardLines().toString());
            assertTrue(log.fkguardLines().get(0).startsWith("INFO fkguard: H2 is not SQLite"), log.fkguardLines().get(0));
        }
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*) from information_schema.triggers")) {
                rs.next();
                assertEquals(0, rs.getInt(1));
            }
            SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO album VALUES (2, 99)"));
            assertTrue(e.getMessage().toLowerCase().contains("referential"), e.getMessage());
        }
    }
}
