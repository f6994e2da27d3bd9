package dev.fkguard.liquibase;

import dev.fkguard.FkGuardException;
import dev.fkguard.MigrationGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;
import liquibase.Scope;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.exception.DatabaseException;
import liquibase.exception.UnexpectedLiquibaseException;
import liquibase.executor.ExecutorService;
import liquibase.change.custom.CustomChangeWrapper;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

/**
 * Syncs fkguard's triggers after every changeSet, without touching the changelogs:
 * {@code liquibase update --change-exec-listener-class=dev.fkguard.liquibase.FkGuardChangeExecListener}.
 *
 * <p>fkguard's triggers stay in place while a changeSet runs, so its writes are checked as they happen. Before each
 * change, the SQL Liquibase generates for it is shown to {@link MigrationGuard}, which drops exactly the triggers a
 * statement would break (those naming a table or column it drops; all of them for a custom change or a change whose
 * statements depend on the live database, such as Liquibase's SQLite table rebuilds). The sync runs after the last change of each changeSet, inside the changeSet's transaction, and
 * checks for orphans only the keys that were not enforced for the whole changeSet, so a refusal fails that changeSet
 * and rolls it back. After a changeSet is rolled back the triggers are synced again. Settings come from
 * {@code --change-exec-listener-properties-file}: {@code schemaName}, {@code orphanPolicy}, {@code excludeTables},
 * {@code brokenKeys} (same meaning as the change type's attributes), and {@code duringMigration}: {@code enforce}
 * (the default, as above) or {@code suspend}, for changeSets that pass through inconsistent states: every fkguard
 * trigger steps aside when the changeSet starts and the sync at its end checks every key that was not enforced
 * ({@link MigrationGuard#suspend}). A changeSet that runs suspended while the setting says enforce (a custom change,
 * a table rebuild) is logged with the reason. Does nothing on databases other than SQLite, and only writes a
 * comment in SQL output modes (update-sql).
 */
public class FkGuardChangeExecListener extends AbstractChangeExecListener {
    private final Options options;
    private final boolean suspendDuringChangeSets;
    private ChangeSet syncedChangeSet;
    private MigrationGuard guard;
    private ChangeSet guarded;
    private boolean toldNotSqlite;

    /** With fkguard's defaults: schema main, orphans refused, no table left out. */
    public FkGuardChangeExecListener() {
        this(null, null);
    }

    /** The constructor Liquibase calls first; {@code properties} may be null. */
    public FkGuardChangeExecListener(Database database, Properties properties) {
        Properties p = properties == null ? new Properties() : properties;
        String schemaName = p.getProperty("schemaName");
        String orphanPolicy = p.getProperty("orphanPolicy");
        String excludeTables = p.getProperty("excludeTables");
        String brokenKeys = p.getProperty("brokenKeys");
        String duringMigration = p.getProperty("duringMigration");
        List<String> problems = new java.util.ArrayList<>(
                LiquibaseSupport.problems(schemaName, orphanPolicy, excludeTables, brokenKeys));
        boolean suspend = false;
        if (duringMigration != null) {
            switch (duringMigration.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "enforce" -> suspend = false;
                case "suspend" -> suspend = true;
                default -> problems.add("duringMigration must be 'enforce' or 'suspend', not '" + duringMigration + "'");
            }
        }
        this.suspendDuringChangeSets = suspend;
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("fkguard listener properties: " + String.join("; ", problems));
        }
        this.options = LiquibaseSupport.options(schemaName, orphanPolicy, excludeTables, brokenKeys);
    }

    Options options() {
        return options;
    }

    /** True under {@code duringMigration=suspend}. */
    boolean suspendsDuringChangeSets() {
        return suspendDuringChangeSets;
    }

    /** Before a changeSet runs: its triggers stay in place ({@link MigrationGuard#begin}). */
    @Override
    public void willRun(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
                        ChangeSet.RunStatus runStatus) {
        guard = null;
        guarded = null;
        if (!LiquibaseSupport.isSqlite(database) || LiquibaseSupport.writesSqlOnly(database)) {
            return;
        }
        try {
            Connection connection = LiquibaseSupport.jdbc(database);
            if (connection != null) {
                guard = MigrationGuard.begin(connection, options);
                guarded = changeSet;
            }
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException("fkguard before changeSet " + changeSet + ": " + e.getMessage(), e);
        }
    }

    /** Before each change: the SQL it will run is shown to the guard, which steps aside where a statement needs it. */
    @Override
    public void willRun(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        if (guard == null || guarded != changeSet || change instanceof SyncForeignKeyTriggersChange) {
            return;
        }
        try {
            if (suspendDuringChangeSets) {
                // here, not when the changeSet starts: Liquibase opens the changeSet's transaction in between, and
                // a drop before it would be rolled back
                suspendFor(change, changeSet, "duringMigration=suspend");
                return;
            }
            if (change instanceof CustomChangeWrapper || change.generateStatementsVolatile(database)) {
                // generating a custom change's statements may run it; a volatile change (Liquibase's SQLite table
                // rebuilds) reads the live database to generate them: do not generate twice, step aside instead
                suspendFor(change, changeSet, change instanceof CustomChangeWrapper ? "a custom change"
                        : "a change whose SQL depends on the live database");
                return;
            }
            Sql[] sqls;
            try {
                sqls = SqlGeneratorFactory.getInstance().generateSql(change.generateStatements(database), database);
            } catch (RuntimeException e) {
                suspendFor(change, changeSet, "its SQL could not be generated ahead (" + e.getMessage() + ")");
                return;
            }
            for (Sql sql : sqls) {
                guard.beforeStatement(sql.toSql());
            }
        } catch (SQLException e) {
            throw new UnexpectedLiquibaseException("fkguard before " + change.getDescription() + ": " + e.getMessage(), e);
        }
    }

    /** Steps aside for the rest of the changeSet, and says so when the setting asked for enforce. */
    private void suspendFor(Change change, ChangeSet changeSet, String why) throws SQLException {
        if (guard.suspended()) {
            return;
        }
        guard.suspendNow();
        Scope.getCurrentScope().getLog(getClass()).info("fkguard changeSet " + changeSet
                + ": foreign-key triggers suspended from its change '" + change.getDescription() + "' on (" + why
                + "); every key not enforced throughout is checked at the changeSet's end");
    }

    @Override
    public void runFailed(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database, Exception exception) {
        guard = null;
        guarded = null;
    }

    /** After the last change of a changeSet: still inside its transaction, so a refusal rolls it back. */
    @Override
    public void ran(Change change, ChangeSet changeSet, DatabaseChangeLog changeLog, Database database) {
        List<Change> changes = changeSet.getChanges();
        if (changes.isEmpty() || changes.get(changes.size() - 1) != change) {
            return; // not the changeSet's last change, or a change of a rollback block
        }
        syncedChangeSet = changeSet;
        if (change instanceof SyncForeignKeyTriggersChange) {
            return; // the changeSet syncs itself
        }
        MigrationGuard g = guarded == changeSet ? guard : null;
        guard = null;
        guarded = null;
        if (g != null) {
            try {
                Report r = g.finish();
                if (!r.created().isEmpty() || !r.dropped().isEmpty()) {
                    Scope.getCurrentScope().getLog(getClass()).info("fkguard after changeSet " + changeSet + ": "
                            + r.summary());
                }
            } catch (FkGuardException e) {
                throw new UnexpectedLiquibaseException("fkguard after changeSet " + changeSet + ": " + e.getMessage(), e);
            } catch (SQLException e) {
                throw new UnexpectedLiquibaseException("fkguard after changeSet " + changeSet + ": " + e.getMessage(), e);
            }
            return;
        }
        sync(database, "after changeSet " + changeSet, false);
    }

    /** When the last change was skipped (dbms, contexts...), the sync could not happen inside the transaction. */
    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database,
                    ChangeSet.ExecType execType) {
        boolean executed = execType == ChangeSet.ExecType.EXECUTED || execType == ChangeSet.ExecType.RERAN;
        if (executed && syncedChangeSet != changeSet) {
            sync(database, "after changeSet " + changeSet, true);
        }
        syncedChangeSet = null;
    }

    /**
     * After a changeSet was rolled back and its DATABASECHANGELOG row removed. Both are committed first, so a refusal
     * stops the rollback command with the database consistent: that changeSet rolled back, the triggers unchanged.
     */
    @Override
    public void rolledBack(ChangeSet changeSet, DatabaseChangeLog databaseChangeLog, Database database) {
        sync(database, "after rolling back changeSet " + changeSet, true);
    }

    /** {@code ownTransaction}: outside a changeSet's transaction, so commit what is pending, sync, commit the sync. */
    private void sync(Database database, String when, boolean ownTransaction) {
        if (!LiquibaseSupport.isSqlite(database)) {
            if (!toldNotSqlite) {
                toldNotSqlite = true;
                Scope.getCurrentScope().getLog(getClass()).info("fkguard: listener does nothing on "
                        + (database == null ? "this database" : database.getDisplayName())
                        + "; fkguard manages SQLite databases only");
            }
            return;
        }
        try {
            if (LiquibaseSupport.writesSqlOnly(database)) {
                Scope.getCurrentScope().getSingleton(ExecutorService.class).getExecutor("jdbc", database)
                        .comment("fkguard: foreign key triggers are synced here when this runs as update");
                return;
            }
            Connection connection = LiquibaseSupport.jdbc(database);
            boolean commit = ownTransaction && connection != null && !connection.getAutoCommit();
            if (commit) {
                database.commit();
            }
            SyncForeignKeyTriggersStatement.sync(database, options);
            if (commit) {
                database.commit();
            }
        } catch (DatabaseException | SQLException e) {
            throw new UnexpectedLiquibaseException("fkguard " + when + ": " + e.getMessage(), e);
        }
    }
}
