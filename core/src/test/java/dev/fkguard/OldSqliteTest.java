package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every client that opens the file parses fkguard's triggers, so they must work on old SQLite too.
 * A database synced with the current driver is opened with sqlite-jdbc 3.15.1 (SQLite 3.15.1, 2016),
 * loaded in a class loader of its own, and attacked there.
 */
class OldSqliteTest {
    @TempDir
    static Path dir;
    static Path file;
    static URLClassLoader loader;
    static Driver oldDriver;

    @BeforeAll
    static void prepare() throws Exception {
        file = dir.resolve("old.db");
        try (Connection c = TestDb.open(file)) {
            TestDb.runScript(c, TestDb.testdata("Chinook_Sqlite.sql"));
            TestDb.exec(c,
                    "CREATE TABLE node (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES node(id) ON DELETE CASCADE)",
                    "CREATE TABLE part (a TEXT, b INTEGER, pa TEXT, pb INTEGER, PRIMARY KEY (a, b),"
                            + " FOREIGN KEY (pa, pb) REFERENCES part(a, b) ON DELETE CASCADE) WITHOUT ROWID",
                    "CREATE TABLE code (c TEXT COLLATE NOCASE PRIMARY KEY)",
                    "CREATE TABLE uses (n INTEGER REFERENCES code(c) ON DELETE SET NULL ON UPDATE CASCADE)",
                    "INSERT INTO node VALUES (1, NULL), (2, 1), (3, 2)",
                    "INSERT INTO part VALUES ('r', 1, NULL, NULL), ('s', 2, 'r', 1), ('t', 3, 's', 2)",
                    "INSERT INTO code VALUES ('7')", "INSERT INTO uses VALUES (7)");
            FkGuard.sync(c, Options.defaults());
        }
        Path jar = Path.of(System.getProperty("fkguard.oldSqliteJar", "target/old-sqlite/old-sqlite-jdbc.jar"));
        assertTrue(Files.exists(jar), "the old driver is copied by the build: " + jar);
        loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        oldDriver = (Driver) loader.loadClass("org.sqlite.JDBC").getDeclaredConstructor().newInstance();
    }

    @AfterAll
    static void close() throws Exception {
        loader.close();
    }

    private static Connection openOld() throws SQLException {
        return oldDriver.connect("jdbc:sqlite:" + file, new Properties());
    }

    @Test
    void theOldLibraryReallyIsOld() throws SQLException {
        try (Connection c = openOld()) {
            String version = c.getMetaData().getDatabaseProductVersion();
            assertTrue(version.startsWith("3.15."), version);
        }
    }

    @Test
    void theSchemaWithFkguardsTriggersParsesOnTheOldLibrary() throws SQLException {
        try (Connection c = openOld()) {
            assertTrue(TestDb.count(c, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'fkguard%'") > 40);
            assertEquals(3503, TestDb.count(c, "SELECT count(*) FROM Track"));
        }
    }

    @Test
    void theClassicChinookViolationsAreRefusedOnTheOldLibrary() throws SQLException {
        try (Connection c = openOld()) {
            SQLException insert = assertThrows(SQLException.class, () -> TestDb.exec(c,
                    "INSERT INTO Track (Name, AlbumId, MediaTypeId, Composer, Milliseconds, Bytes, UnitPrice)"
                            + " VALUES ('lol', 99999, 99999, 99999, 99999, 99999, 99999)"));
            assertTrue(insert.getMessage().contains("FOREIGN KEY constraint failed"), insert.getMessage());
            SQLException delete = assertThrows(SQLException.class, () -> TestDb.exec(c, "DELETE FROM Genre WHERE GenreId=24"));
            assertTrue(delete.getMessage().contains("FOREIGN KEY constraint failed"), delete.getMessage());
        }
    }

    @Test
    void recursiveCascadesWorkOnTheOldLibrary() throws SQLException {
        try (Connection c = openOld()) {
            c.setAutoCommit(false);
            TestDb.exec(c, "DELETE FROM node WHERE id = 1", "DELETE FROM part WHERE a = 'r'");
            assertEquals(0, TestDb.count(c, "SELECT count(*) FROM node"));
            assertEquals(0, TestDb.count(c, "SELECT count(*) FROM part"));
            TestDb.exec(c, "UPDATE code SET c = '8'");
            assertEquals(8, TestDb.count(c, "SELECT n FROM uses"));
            c.rollback();
        }
    }
}
