package dev.fkguard;

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
import java.util.regex.Pattern;

/** Real SQLite files for tests: open, run scripts, read rows and triggers. */
public final class TestDb {
    private static final Pattern TRIGGER = Pattern.compile("(?is)^\\s*CREATE\\s+(TEMP\\w*\\s+)?TRIGGER\\b.*");
    private static final Pattern ENDS_TRIGGER = Pattern.compile("(?is).*\\bEND\\s*$");

    private TestDb() {
    }

    public static Connection open(Path file) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    public static Path testdata(String name) {
        String dir = System.getProperty("fkguard.testdata");
        Path base = dir != null ? Path.of(dir) : Path.of("..", "testdata");
        return base.resolve(name);
    }

    /** Loads a SQL script such as Chinook's into the database file. */
    public static void runScript(Connection c, Path script) throws SQLException, IOException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (String sql : split(Files.readString(script, StandardCharsets.UTF_8))) {
                st.execute(sql);
            }
        }
        c.commit();
        c.setAutoCommit(auto);
    }

    /** Splits a script into statements at semicolons outside quotes, comments and trigger bodies. */
    public static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char ch = script.charAt(i);
            if (ch == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int e = script.indexOf('\n', i);
                i = e < 0 ? n : e;
                cur.append('\n');
                continue;
            }
            if (ch == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int e = script.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 1;
                continue;
            }
            if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
                char close = ch == '[' ? ']' : ch;
                int j = i + 1;
                while (j < n && script.charAt(j) != close) {
                    j++;
                }
                cur.append(script, i, Math.min(j + 1, n));
                i = j;
                continue;
            }
            if (ch == ';') {
                String s = cur.toString().trim();
                if (TRIGGER.matcher(s).matches() && !ENDS_TRIGGER.matcher(s).matches()) {
                    cur.append(ch);
                    continue;
                }
                if (!s.isEmpty()) {
                    out.add(s);
                }
                cur.setLength(0);
                continue;
            }
            cur.append(ch);
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().trim());
        }
        return out;
    }

    public static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    public static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** name -> sql of fkguard's triggers, sorted by name, without the in-sync stamp one of them carries. */
    public static java.util.SortedMap<String, String> fkguardTriggers(Connection c) throws SQLException {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                     + " AND name LIKE 'fkguard\\_%' ESCAPE '\\'")) {
            while (rs.next()) {
                out.put(rs.getString(1), SyncStamp.strip(rs.getString(2)));
            }
        }
        return out;
    }

    /** Every row of every table, as text, for whole-database comparisons. */
    public static String dump(Connection c) throws SQLException {
        StringBuilder sb = new StringBuilder();
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                     + " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        for (String t : tables) {
            sb.append("== ").append(t).append('\n');
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT * FROM " + SqlText.id(t) + " ORDER BY 1, 2")) {
                int cols = rs.getMetaData().getColumnCount();
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= cols; i++) {
                        Object o = rs.getObject(i);
                        row.append(o == null ? "NULL" : o.getClass().getSimpleName() + ":"
                                + (o instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : o)).append('|');
                    }
                    rows.add(row.toString());
                }
                java.util.Collections.sort(rows);
                rows.forEach(r -> sb.append(r).append('\n'));
            }
        }
        return sb.toString();
    }
}
