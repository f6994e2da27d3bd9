package dev.fkguard.liquibase;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real SQLite files for the tests: the Chinook database, and what a plain connection sees in it. */
final class Sqlite {
    static final String BAD_TRACK = "INSERT INTO Track (Name, AlbumId, MediaTypeId, Composer, Milliseconds, Bytes, UnitPrice)"
            + " VALUES ('lol', 99999, 99999, 99999, 99999, 99999, 99999)";
    static final String DELETE_USED_GENRE = "DELETE FROM Genre WHERE GenreId=24";

    private static Path template;

    private Sqlite() {
    }

    static String url(Path db) {
        return "jdbc:sqlite:" + db.toAbsolutePath();
    }

    /** A plain connection: it never ran PRAGMA foreign_keys=ON, like the sqlite3 shell or a forgetful service. */
    static Connection plain(Path db) throws SQLException {
        Connection c = DriverManager.getConnection(url(db));
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the test connection must not enforce foreign keys by itself");
        }
        return c;
    }

    /** A fresh copy of the Chinook database (schema and data, no triggers) in {@code dir}. */
    static Path chinook(Path dir) throws IOException, SQLException {
        Path db = dir.resolve("chinook.db");
        Files.copy(chinookTemplate(), db, StandardCopyOption.REPLACE_EXISTING);
        return db;
    }

    private static synchronized Path chinookTemplate() throws IOException, SQLException {
        if (template == null) {
            Path script = Paths.get(System.getProperty("fkguard.testdata", "../testdata"), "Chinook_Sqlite.sql");
            String sql = Files.readString(script, StandardCharsets.UTF_8);
            Path db = Files.createTempFile("chinook-template", ".db");
            Files.delete(db);
            try (Connection c = DriverManager.getConnection(url(db)); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.executeUpdate(sql);
                c.commit();
            }
            db.toFile().deleteOnExit();
            template = db;
        }
        return template;
    }

    static void exec(Path db, String... statements) throws SQLException {
        try (Connection c = plain(db); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.executeUpdate(sql);
            }
        }
    }

    static long count(Path db, String query) throws SQLException {
        try (Connection c = plain(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** fkguard's triggers installed in the file: name to SQL. */
    static Map<String, String> fkguardTriggers(Path db) throws SQLException {
        Map<String, String> triggers = new TreeMap<>();
        try (Connection c = plain(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select name, sql from sqlite_master where type='trigger' and name like 'fkguard\\_%' escape '\\'")) {
            while (rs.next()) {
                triggers.put(rs.getString(1), withoutStamp(rs.getString(2)));
            }
        }
        return triggers;
    }

    /**
     * The trigger's text without the in-sync stamp that one fkguard trigger carries (a comment naming the state
     * of the last full sync, README "The command line"): what the trigger does, which is what these tests compare.
     */
    static String withoutStamp(String sql) {
        return sql == null ? null : sql.replaceAll("/\\* fkguard in-sync stamp: [^*]*\\*/\n", "");
    }

    /** Everything in sqlite_master, to compare a database before and after. */
    static List<String> schema(Path db) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = plain(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select type, name, tbl_name, sql from sqlite_master order by type, name")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + " on " + rs.getString(3) + ": " + rs.getString(4));
            }
        }
        return rows;
    }

    static Report check(Path db) throws SQLException {
        try (Connection c = plain(db)) {
            return FkGuard.check(c, Options.defaults());
        }
    }

    static Report plan(Path db) throws SQLException {
        return plan(db, Options.defaults());
    }

    static Report plan(Path db, Options options) throws SQLException {
        try (Connection c = plain(db)) {
            return FkGuard.plan(c, options);
        }
    }

    /** The installed fkguard triggers are exactly what fkguard plans for the schema as it is, and there are some. */
    static void assertTriggersMatchPlan(Path db) throws SQLException {
        assertTriggersMatchPlan(db, Options.defaults());
    }

    static void assertTriggersMatchPlan(Path db, Options options) throws SQLException {
        Report plan = plan(db, options);
        assertTrue(plan.inSync(), () -> "fkguard plan is not empty after the run: " + plan.statements());
        assertTrue(plan.problems().isEmpty(), () -> "fkguard sees problems: " + plan.describe());
        assertFalse(fkguardTriggers(db).isEmpty(), "no fkguard trigger is installed");
    }

    /** Chinook's classic violations fail on a plain connection, with SQLite's own message. */
    static void assertChinookViolationsRefused(Path db) throws SQLException {
        assertRefused(db, BAD_TRACK);
        assertRefused(db, DELETE_USED_GENRE);
    }

    static void assertRefused(Path db, String sql) throws SQLException {
        try (Connection c = plain(db); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(sql), "not refused: " + sql);
            assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed"), () -> sql + " failed otherwise: " + e);
        }
    }
}
