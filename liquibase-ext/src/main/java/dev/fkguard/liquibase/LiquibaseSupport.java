package dev.fkguard.liquibase;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseConnection;
import liquibase.database.core.SQLiteDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.executor.ExecutorService;
import liquibase.executor.LoggingExecutor;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the change type and the listener share: reading the settings, finding the JDBC connection. */
final class LiquibaseSupport {
    private LiquibaseSupport() {
    }

    /** The JDBC connection behind Liquibase's database, or null when there is none (offline mode). */
    static Connection jdbc(Database database) {
        if (database == null) {
            return null;
        }
        DatabaseConnection connection = database.getConnection();
        if (connection instanceof JdbcConnection) {
            return ((JdbcConnection) connection).getUnderlyingConnection();
        }
        return null;
    }

    /** True when Liquibase talks to SQLite (its SQLite database type, or a JDBC connection that says SQLite). */
    static boolean isSqlite(Database database) {
        if (database instanceof SQLiteDatabase) {
            return true;
        }
        Connection connection = jdbc(database);
        if (connection == null) {
            return false;
        }
        try {
            return FkGuard.isSqlite(connection);
        } catch (SQLException e) {
            return false;
        }
    }

    /** True when Liquibase writes SQL instead of running it (update-sql, rollback-sql, future-rollback-sql...). */
    static boolean writesSqlOnly(Database database) {
        return Scope.getCurrentScope().getSingleton(ExecutorService.class)
                .getExecutor("jdbc", database) instanceof LoggingExecutor;
    }

    /** Problems with the settings, as sentences; empty when they are fine. */
    static List<String> problems(String schemaName, String orphanPolicy, String excludeTables, String brokenKeys) {
        List<String> problems = new ArrayList<>();
        if (schemaName != null && schemaName.isBlank()) {
            problems.add("schemaName must name an attached SQLite schema (such as 'main'), or be left out; it is blank");
        }
        if (orphanPolicy != null) {
            try {
                Options.OrphanPolicy.parse(orphanPolicy);
            } catch (IllegalArgumentException e) {
                problems.add("orphanPolicy: " + e.getMessage());
            }
        }
        if (brokenKeys != null) {
            try {
                Options.BrokenKeys.parse(brokenKeys);
            } catch (IllegalArgumentException e) {
                problems.add("brokenKeys: " + e.getMessage());
            }
        }
        if (excludeTables != null) {
            String[] parts = excludeTables.split(",", -1);
            for (String part : parts) {
                if (part.isBlank()) {
                    problems.add("excludeTables must be a comma-separated list of table names without empty entries, not '"
                            + excludeTables + "'");
                    break;
                }
            }
        }
        return problems;
    }

    /** The fkguard options for the settings; call {@link #problems} first. */
    static Options options(String schemaName, String orphanPolicy, String excludeTables, String brokenKeys) {
        List<String> problems = problems(schemaName, orphanPolicy, excludeTables, brokenKeys);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Options options = Options.defaults();
        if (schemaName != null) {
            options = options.withSchema(schemaName.trim());
        }
        if (orphanPolicy != null) {
            options = options.withOrphanPolicy(Options.OrphanPolicy.parse(orphanPolicy));
        }
        if (excludeTables != null) {
            Set<String> tables = new LinkedHashSet<>();
            for (String part : excludeTables.split(",")) {
                tables.add(part.trim());
            }
            options = options.withExcludedTables(tables);
        }
        if (brokenKeys != null) {
            options = options.withBrokenKeys(Options.BrokenKeys.parse(brokenKeys));
        }
        return options;
    }
}
