package dev.fkguard;

import static dev.fkguard.SqlText.id;
import static dev.fkguard.SqlText.literal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The connection: runs statements inside a transaction or savepoint of its own, counts orphan rows of a foreign key,
 * and answers the connection's SQLite version and pragmas. Reading the schema is {@link SchemaReader}'s, over the same
 * connection ({@link #reader}); these two are the only classes that talk JDBC.
 */
final class Database {

    private final Connection connection;
    private final String schema;

    private final SchemaReader reader;

    Database(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
        this.reader = new SchemaReader(this, connection, schema);
    }

    /** Reads this schema: tables, keys, the graph, the stamps, fkguard's triggers. */
    SchemaReader reader() {
        return reader;
    }

    /** {@code "aux".} for an attached schema, empty for {@code main} (the SQL then reads like hand-written SQL). */
    String prefix() {
        return prefix(schema);
    }

    static String prefix(String schema) {
        return Schema.same("main", schema) ? "" : id(schema) + ".";
    }

    private int sqliteVersionNumber = -1;

    /** The connection's SQLite version as a number, {@code 3.40.1} as 3040001 (read once: it cannot change). */
    int sqliteVersionNumber() throws SQLException {
        if (sqliteVersionNumber < 0) {
            sqliteVersionNumber = versionNumber(column("SELECT sqlite_version()").get(0));
        }
        return sqliteVersionNumber;
    }

    /** {@code 3.40.1} as 3040001; a part that is not a number counts as 0. */
    static int versionNumber(String text) {
        String[] parts = text.split("\\.");
        int v = 0;
        for (int i = 0; i < 3; i++) {
            int part = 0;
            if (i < parts.length) {
                try {
                    part = Integer.parseInt(parts[i].replaceAll("\\D.*", ""));
                } catch (NumberFormatException e) {
                    part = 0;
                }
            }
            v = v * 1000 + part;
        }
        return v;
    }

    /** The value of a pragma that returns one integer on this connection, e.g. {@code legacy_alter_table}. */
    long pragmaValue(String pragma) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Number of rows of the key's child table that reference no parent row, and up to five of them. */
    record Orphans(long count, List<String> sample) {
    }

    /**
     * The number of orphan rows of each key, as {@link #orphans} counts them, asked {@value #COUNTS_PER_QUERY} keys to a
     * statement: a first sync of 1,000 tables counts 3,000 keys, and one statement per key cost about twice as much
     * (JDBC and statement overhead per key, cold JVM).
     */
    long[] orphanCounts(List<TriggerPlanner.Resolved> keys) throws SQLException {
        long[] counts = new long[keys.size()];
        for (int start = 0; start < keys.size(); start += COUNTS_PER_QUERY) {
            int end = Math.min(keys.size(), start + COUNTS_PER_QUERY);
            StringBuilder sql = new StringBuilder("SELECT ");
            for (int i = start; i < end; i++) {
                sql.append(i == start ? "" : ", ").append("(SELECT count(*)").append(orphanRows(keys.get(i))).append(')');
            }
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql.toString())) {
                rs.next();
                for (int i = start; i < end; i++) {
                    counts[i] = rs.getLong(i - start + 1);
                }
            }
        }
        return counts;
    }

    private static final int COUNTS_PER_QUERY = 50;

    /** {@code FROM <child> AS "fkg_c" WHERE <the row has no parent>}, for counting and for sampling. */
    private String orphanRows(TriggerPlanner.Resolved fk) {
        // always qualified, main too: a TEMP table of the same name would otherwise stand in for it
        String qualified = id(schema) + ".";
        return " FROM " + qualified + id(fk.child().name()) + " AS \"fkg_c\" WHERE "
                + KeyComparisons.orphanCondition(fk, "fkg_c", qualified);
    }

    /** The orphans of a key whose orphan rows were already counted: up to {@code sampleSize} of them. */
    Orphans orphans(TriggerPlanner.Resolved fk, int sampleSize, long count) throws SQLException {
        List<String> sample = new ArrayList<>();
        if (count > 0) {
            String identity = KeyComparisons.rowIdentity(fk.child(), "fkg_c");
            try (Statement st = connection.createStatement();
                 ResultSet rs = st.executeQuery("SELECT " + identity + orphanRows(fk) + " LIMIT " + sampleSize)) {
                while (rs.next()) {
                    sample.add(cut(rs.getString(1)));
                }
            }
        }
        return new Orphans(count, sample);
    }

    /** A sample value short enough for a report line: a key may be 100 KB long. */
    static String cut(String value) {
        int max = 40;
        return value == null || value.length() <= max ? value : value.substring(0, max) + "... (" + value.length() + " characters)";
    }

    /** The first column of every row a query or pragma returns, as text. */
    List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Runs one statement and returns its update count (-1 for statements that change no rows). */
    int update(String sql) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(sql);
            return st.getUpdateCount();
        }
    }

    /** The name of the schema this database reads ({@code main}, an attached schema's name, or {@code temp}). */
    String schema() {
        return schema;
    }

    /** {@code "schema".sqlite_master}: the schema table of the schema this database reads. */
    String master() {
        return id(schema) + ".sqlite_master";
    }

    /** Runs one parameterised statement once per row of text parameters; returns each run's update count. */
    int[] batch(String sql, List<List<String>> rows) throws SQLException {
        int[] counts = new int[rows.size()];
        try (java.sql.PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < rows.size(); i++) {
                List<String> row = rows.get(i);
                for (int p = 0; p < row.size(); p++) {
                    ps.setString(p + 1, row.get(p));
                }
                counts[i] = ps.executeUpdate();
            }
        }
        return counts;
    }

    /** Runs the statements in order. */
    void execute(List<String> statements) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /**
     * A unit of work that is all or nothing: a transaction of its own on an auto-commit connection
     * (BEGIN IMMEDIATE, so no other writer slips in between reading the schema and changing it),
     * a savepoint inside the caller's open transaction otherwise, which is released, never committed.
     */
    <T> T atomically(SqlWork<T> work) throws SQLException {
        requireRollbackJournal();
        boolean own = connection.getAutoCommit();
        try (Statement st = connection.createStatement()) {
            st.execute(own ? "BEGIN IMMEDIATE" : "SAVEPOINT fkguard");
        }
        boolean done = false;
        try {
            T result = work.run();
            try (Statement st = connection.createStatement()) {
                st.execute(own ? "COMMIT" : "RELEASE fkguard");
            }
            done = true;
            return result;
        } finally {
            if (!done) {
                try (Statement st = connection.createStatement()) {
                    if (own) {
                        st.execute("ROLLBACK");
                    } else {
                        st.execute("ROLLBACK TO fkguard");
                        st.execute("RELEASE fkguard");
                    }
                } catch (SQLException ignored) {
                    // the original failure is what the caller needs to see
                }
            }
        }
    }

    /**
     * All or nothing needs a rollback journal on disk: with journal_mode OFF or MEMORY a crash in the
     * middle of the transaction leaves the file half written (a kill -9 mid-sync corrupted it). A
     * database without a file (in-memory, or an empty temp schema) cannot be left half written.
     */
    private void requireRollbackJournal() throws SQLException {
        String file;
        String mode;
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT file FROM pragma_database_list WHERE name = " + literal(schema)
                     + " COLLATE NOCASE")) {
            file = rs.next() ? rs.getString(1) : null;
        }
        if (file == null || file.isEmpty()) {
            return;
        }
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + id(schema) + ".journal_mode")) {
            mode = rs.next() ? rs.getString(1) : "";
        }
        if (mode.equalsIgnoreCase("off") || mode.equalsIgnoreCase("memory")) {
            throw new FkGuardException("journal_mode is " + mode.toUpperCase(Locale.ROOT) + " on " + file
                    + ": a crash in the middle of the change would leave the file corrupt, so nothing was changed;"
                    + " use a connection with journal_mode DELETE, TRUNCATE, PERSIST or WAL");
        }
    }

    interface SqlWork<T> {
        T run() throws SQLException;
    }
}
