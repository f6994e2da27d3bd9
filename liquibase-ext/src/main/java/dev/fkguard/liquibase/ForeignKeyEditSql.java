package dev.fkguard.liquibase;

import dev.fkguard.FkGuardException;
import dev.fkguard.ForeignKeySpec;
import dev.fkguard.Options;
import dev.fkguard.Report;
import liquibase.database.Database;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the addForeignKeyConstraint and dropForeignKeyConstraint generators share: fkguard's plan for the edit, read
 * from the live database at the moment Liquibase asks for the SQL (right before it runs it, on its own connection,
 * inside the changeSet's transaction), turned into Liquibase's SQL.
 *
 * <p>The SQL is the in-place schema edit, fkguard's trigger statements, and a last statement that fails unless SQLite
 * now reads the planned number of foreign keys on the table (the edited text parsed): SQL alone cannot raise an
 * error of its own, so it asks {@code json_extract} for a path that is the failure message, which SQLite refuses
 * with that message.
 */
final class ForeignKeyEditSql {
    private ForeignKeyEditSql() {
    }

    /**
     * The SQL depends on the live schema (the table's text, its triggers), so it is volatile: Liquibase skips its
     * "not supported" check at validation and never reuses it. In SQL output modes (update-sql) Liquibase refuses
     * volatile statements outright, so there it is not: the SQL is planned from the database as it is, and says so.
     */
    static boolean isVolatile(Database database) {
        return !LiquibaseSupport.writesSqlOnly(database);
    }

    interface Planner {
        Report plan(Connection connection, ForeignKeySpec key, Options options) throws SQLException;
    }

    static Sql[] generate(Database database, String schemaName, ForeignKeySpec key, String action, Planner planner) {
        Connection connection = LiquibaseSupport.jdbc(database);
        boolean sqlOnly = LiquibaseSupport.writesSqlOnly(database);
        if (connection == null) {
            return new Sql[] {new UnparsedSql("-- fkguard: no live database connection, so the " + action + " "
                    + key.describe() + " cannot be planned; run update against the database")};
        }
        Options options = Options.defaults().withSchema(schemaName == null || schemaName.isBlank() ? "main" : schemaName);
        Report plan;
        try {
            plan = planner.plan(connection, key, options);
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException("fkguard could not plan the " + action + " " + key.describe() + ": "
                    + e.getMessage(), e);
        }
        if (!plan.problems().isEmpty()) {
            if (sqlOnly) {
                List<Sql> out = new ArrayList<>();
                for (Report.Problem p : plan.problems()) {
                    out.add(comment("fkguard: update would refuse (" + p.kind() + "): " + p.message()));
                }
                return out.toArray(Sql[]::new);
            }
            throw new UnexpectedLiquibaseException(new FkGuardException("fkguard refused the " + action + " "
                    + key.describe() + ", nothing was changed: " + plan.describe()));
        }
        List<Sql> out = new ArrayList<>();
        if (sqlOnly) {
            out.add(comment("fkguard: " + action + " " + key.describe() + " by an in-place edit of the CREATE TABLE text"
                    + " (no copy of rows), planned from the database as it is now: " + plan.summary()));
        }
        for (String sql : plan.statements()) {
            out.add(new UnparsedSql(sql));
        }
        int keysAfter;
        try {
            keysAfter = keys(connection, options.schema(), key.table()) + (action.startsWith("add") ? 1 : -1);
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException("fkguard could not read the foreign keys of " + key.table(), e);
        }
        out.add(new UnparsedSql("SELECT json_extract('{}', 'fkguard: after the edit SQLite does not read " + keysAfter
                + " foreign keys on " + key.table().replace("'", "''") + "; the changeSet is rolled back')"
                + " WHERE (SELECT count(DISTINCT id) FROM pragma_foreign_key_list(" + literal(key.table()) + ", "
                + literal(options.schema()) + ")) <> " + keysAfter));
        return out.toArray(Sql[]::new);
    }

    private static int keys(Connection connection, String schema, String table) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement(
                "SELECT count(DISTINCT id) FROM pragma_foreign_key_list(?, ?)")) {
            ps.setString(1, table);
            ps.setString(2, schema);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Column names as Liquibase gives them: comma-separated, maybe spaced. */
    static List<String> names(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).toList();
    }

    private static Sql comment(String text) {
        return new UnparsedSql("-- " + text.replace("\r", "").replace("\n", "\n-- "));
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
