package dev.fkguard;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Two in-memory databases with the same schema and rows: one enforced natively (foreign_keys=ON, no
 * triggers), one by fkguard's triggers (foreign_keys=OFF). Native is the oracle.
 */
final class NativePair implements AutoCloseable {
    final Connection nat;
    final Connection fkg;

    NativePair(String... setup) throws SQLException {
        this(Options.defaults(), setup);
    }

    /** The same, with the fkguard copy synced under these options. */
    NativePair(Options options, String... setup) throws SQLException {
        this(options, true, setup);
    }

    /**
     * The same, with the setup run on the native copy before foreign_keys is turned on: for schemas
     * (broken declarations) in which native refuses every seed row.
     */
    static NativePair seededUnchecked(Options options, String... setup) throws SQLException {
        return new NativePair(options, false, setup);
    }

    private NativePair(Options options, boolean checkSetup, String... setup) throws SQLException {
        nat = DriverManager.getConnection("jdbc:sqlite::memory:");
        fkg = DriverManager.getConnection("jdbc:sqlite::memory:");
        if (checkSetup) {
            TestDb.exec(nat, "PRAGMA foreign_keys = ON");
        }
        TestDb.exec(nat, setup);
        TestDb.exec(nat, "PRAGMA foreign_keys = ON");
        TestDb.exec(fkg, setup);
        FkGuard.sync(fkg, options);
    }

    /** Runs on both; returns {native error or null, fkguard error or null}. */
    String[] run(String sql) {
        return new String[] {error(nat, sql), error(fkg, sql)};
    }

    /** The rows a query returns, as text, native first, for assertEquals. */
    String[] rows(String query) throws SQLException {
        return new String[] {rows(nat, query), rows(fkg, query)};
    }

    private static String rows(Connection c, String query) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    sb.append(rs.getString(i)).append(i == n ? "\n" : "|");
                }
            }
        }
        return sb.toString();
    }

    static String error(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() throws SQLException {
        nat.close();
        fkg.close();
    }
}
