package dev.fkguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;

/** Small JDBC helpers. Every database is a real file, opened with SQLite's defaults (journal_mode=DELETE, synchronous=FULL). */
final class Db {
    private Db() {
    }

    static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    }

    /** Opens with PRAGMA foreign_keys set explicitly, so no driver default decides it. */
    static Connection open(Path file, boolean foreignKeys) throws SQLException {
        Connection c = open(file);
        exec(c, "PRAGMA foreign_keys=" + (foreignKeys ? "ON" : "OFF"));
        if (longValue(c, "PRAGMA foreign_keys") != (foreignKeys ? 1 : 0)) {
            throw new IllegalStateException("PRAGMA foreign_keys did not take");
        }
        return c;
    }

    static void exec(Connection c, String... sqls) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : sqls) {
                s.execute(sql);
            }
        }
    }

    static long longValue(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw new SQLException("no row from " + sql);
            }
            return rs.getLong(1);
        }
    }

    static String stringValue(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Copies a closed database file (and nothing else: templates are closed and have no journal). */
    static void copy(Path from, Path to) throws IOException {
        delete(to);
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    static void delete(Path db) throws IOException {
        Files.deleteIfExists(db);
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-journal"));
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-wal"));
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + "-shm"));
    }

    /**
     * SHA-256 over the rows of the given tables, in rowid order, with each value's type. Triggers and
     * indexes are not part of it: the end state is the data.
     */
    static String dataDigest(Connection c, List<String> tables) throws SQLException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder row = new StringBuilder();
        try (Statement s = c.createStatement()) {
            for (String t : tables) {
                md.update(("table " + t + "\n").getBytes(StandardCharsets.UTF_8));
                try (ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\" ORDER BY rowid")) {
                    ResultSetMetaData meta = rs.getMetaData();
                    int n = meta.getColumnCount();
                    while (rs.next()) {
                        row.setLength(0);
                        for (int i = 1; i <= n; i++) {
                            Object o = rs.getObject(i);
                            row.append(o == null ? "N" : o.getClass().getSimpleName().charAt(0) + o.toString()).append('\u0001');
                        }
                        row.append('\n');
                        md.update(row.toString().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static long count(Connection c, String table) throws SQLException {
        return longValue(c, "SELECT count(*) FROM \"" + table + "\"");
    }

    static long fkguardTriggers(Connection c) throws SQLException {
        return longValue(c, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'fkguard%'");
    }

    static long fkguardTriggerBytes(Connection c) throws SQLException {
        return longValue(c, "SELECT coalesce(sum(length(CAST(sql AS BLOB))), 0) FROM sqlite_schema"
                + " WHERE type = 'trigger' AND name LIKE 'fkguard%'");
    }
}
