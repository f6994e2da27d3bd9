package dev.fkguard.liquibase;

import dev.fkguard.FkGuard;
import dev.fkguard.FkGuardException;
import dev.fkguard.Options;
import dev.fkguard.Report;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.PreparedStatementFactory;
import liquibase.exception.DatabaseException;
import liquibase.logging.Logger;
import liquibase.statement.AbstractSqlStatement;
import liquibase.statement.ExecutablePreparedStatement;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Runs {@link FkGuard#sync} on Liquibase's own JDBC connection, so the sync happens inside the changeSet's
 * transaction (a SAVEPOINT in it) and a refusal leaves the database as it was. Liquibase's JDBC executor hands
 * {@link ExecutablePreparedStatement}s to {@link #execute} instead of generating SQL for them.
 */
public class SyncForeignKeyTriggersStatement extends AbstractSqlStatement implements ExecutablePreparedStatement {
    private final Options options;
    private final Database database;
    private final Consumer<Report> onSynced;

    public SyncForeignKeyTriggersStatement(Options options, Database database, Consumer<Report> onSynced) {
        this.options = options;
        this.database = database;
        this.onSynced = onSynced;
    }

    public Options getOptions() {
        return options;
    }

    @Override
    public void execute(PreparedStatementFactory factory) throws DatabaseException {
        Report report = sync(database, options);
        if (onSynced != null) {
            onSynced.accept(report);
        }
    }

    /** Syncs on the database's JDBC connection; a refusal becomes a DatabaseException carrying fkguard's report. */
    static Report sync(Database database, Options options) throws DatabaseException {
        Connection connection = LiquibaseSupport.jdbc(database);
        if (connection == null) {
            throw new DatabaseException("fkguard needs a live JDBC connection to sync foreign key triggers");
        }
        Logger log = Scope.getCurrentScope().getLog(SyncForeignKeyTriggersStatement.class);
        try {
            Report report = FkGuard.sync(connection, options);
            log.info("fkguard: " + report.summary());
            for (String warning : report.warnings()) {
                log.warning("fkguard: " + warning);
            }
            return report;
        } catch (FkGuardException e) {
            throw new DatabaseException(e.getMessage(), e);
        } catch (SQLException e) {
            throw new DatabaseException("fkguard could not sync foreign key triggers: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "fkguard sync of foreign key triggers in schema " + options.schema();
    }
}
