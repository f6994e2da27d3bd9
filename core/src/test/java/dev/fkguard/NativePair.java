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
        nat = DriverManager.getConnection("jdbc:sqlite::memory:");
        fkg = DriverManager.getConnection("jdbc:sqlite::memory:");
        TestDb.exec(nat, "PRAGMA foreign_keys = ON");
        TestDb.exec(nat, setup);
        TestDb.exec(fkg, setup);
        FkGuard.sync(fkg, Options.defaults());
    }

    /** Runs on both; returns {native error or null, fkguard error or null}. */
    String[] run(String sql) {
        return new String[] {error(nat, sql), error(fkg, sql)};
    }

    /** Every row of every table, native first, for assertEquals. */
    String[] dumps() throws SQLException {
        return new String[] {TestDb.dump(nat), TestDb.dump(fkg)};
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
