package dev.fkguard.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the in-process tests of the command line share: {@link #fkguard} runs it as a user would and keeps what it
 * printed; {@link #sql} and {@link #count} reach the database on a connection of their own, as another client would.
 */
abstract class InProcessCli {
    /** What the last {@link #fkguard} printed on stdout. */
    String out;
    /** What the last {@link #fkguard} printed on stderr. */
    String err;

    /** {@code fkguard args...}: returns the exit status and keeps stdout in {@link #out}, stderr in {@link #err}. */
    int fkguard(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = Main.run(new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return status;
    }

    /** Runs the statements on {@code file}, one by one. */
    static void sql(Path file, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** The number the query reads from {@code file}: its first row's first column. */
    static long count(Path file, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
