package dev.fkguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import dev.fkguard.TestDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar cli/target/fkguard.jar ...} in a JVM of its own, on Chinook and Sakila loaded from their scripts. */
class CliJarTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run fkguard(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("fkguard.cliJar", "../cli/target/fkguard.jar"));
        assertTrue(Files.exists(jar), "build the jar first: " + jar);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    static Path load(Path dir, String name, String script) throws Exception {
        Path db = dir.resolve(name);
        Path base = Path.of(System.getProperty("fkguard.testdata", "../testdata"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (String sql : TestDb.split(Files.readString(base.resolve(script)))) {
                st.execute(sql);
            }
            c.commit();
        }
        return db;
    }

    static void exec(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static long count(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void chinookSyncedByTheJarRefusesBothClassicViolationsOnAPlainConnection() throws Exception {
        Path db = load(dir, "chinook.db", "Chinook_Sqlite.sql");
        Run sync = fkguard("sync", db.toString());
        assertEquals(0, sync.status(), sync.err());
        assertTrue(sync.out().contains("for 11 foreign keys"), sync.out());
        SQLException insert = assertThrows(SQLException.class, () -> exec(db,
                "INSERT INTO Track (Name, AlbumId, MediaTypeId, Composer, Milliseconds, Bytes, UnitPrice)"
                        + " VALUES ('lol', 99999, 99999, 99999, 99999, 99999, 99999)"));
        assertTrue(insert.getMessage().contains("FOREIGN KEY constraint failed"), insert.getMessage());
        SQLException delete = assertThrows(SQLException.class, () -> exec(db, "DELETE FROM Genre WHERE GenreId=24"));
        assertTrue(delete.getMessage().contains("FOREIGN KEY constraint failed"), delete.getMessage());
        Run check = fkguard("check", db.toString());
        assertEquals(0, check.status(), check.out() + check.err());
        assertEquals("", fkguard("plan", db.toString()).out());
    }

    @Test
    void sakilaKeepsItsOwnTriggersAndCascadesKeyUpdatesAroundTheStoreStaffCycle() throws Exception {
        Path db = load(dir, "sakila.db", "sqlite-sakila-schema.sql");
        // store and staff reference each other with NOT NULL keys: like native enforcement, the first
        // rows of such a cycle can only go in before enforcement starts
        String now = "CURRENT_TIMESTAMP";
        exec(db, "INSERT INTO country (country_id, country, last_update) VALUES (1, 'C', " + now + ")");
        exec(db, "INSERT INTO city (city_id, city, country_id, last_update) VALUES (1, 'X', 1, " + now + ")");
        exec(db, "INSERT INTO address (address_id, address, district, city_id, phone, last_update) VALUES (1, 'a', 'd', 1, '1', " + now + ")");
        exec(db, "INSERT INTO store (store_id, manager_staff_id, address_id, last_update) VALUES (1, 1, 1, " + now + ")");
        exec(db, "INSERT INTO staff (staff_id, first_name, last_name, address_id, store_id, username, last_update)"
                + " VALUES (1, 'f', 'l', 1, 1, 'u', " + now + ")");
        long userTriggers = count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'");
        Run sync = fkguard("sync", db.toString());
        assertEquals(0, sync.status(), sync.err());
        assertTrue(sync.out().contains("for 22 foreign keys"), sync.out());
        assertEquals(userTriggers, count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name NOT LIKE 'fkguard%'"));
        exec(db, "UPDATE store SET store_id = 10");
        assertEquals(10, count(db, "SELECT store_id FROM staff WHERE staff_id = 1"), "ON UPDATE CASCADE follows the key");
        SQLException e = assertThrows(SQLException.class, () -> exec(db, "DELETE FROM staff WHERE staff_id = 1"));
        assertTrue(e.getMessage().contains("store(manager_staff_id) -> staff(staff_id)"), e.getMessage());
        assertThrows(SQLException.class, () -> exec(db, "UPDATE staff SET address_id = 42"));
        assertEquals(0, fkguard("check", db.toString()).status());
    }

    @Test
    void theJarNeverCreatesADatabase() throws Exception {
        Path missing = dir.resolve("typo.db");
        Run r = fkguard("sync", missing.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("no such database file"), r.err());
        assertFalse(Files.exists(missing));
    }
}
