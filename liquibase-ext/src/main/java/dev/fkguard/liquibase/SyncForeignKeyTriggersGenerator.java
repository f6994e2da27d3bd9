package dev.fkguard.liquibase;

import dev.fkguard.FkGuard;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sql.UnparsedSql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Describes a {@link SyncForeignKeyTriggersStatement} as SQL for Liquibase's logs and reports: the statements a sync
 * would run now. Execution never goes through here: the statement runs fkguard itself.
 */
public class SyncForeignKeyTriggersGenerator extends AbstractSqlGenerator<SyncForeignKeyTriggersStatement> {

    @Override
    public boolean generateStatementsIsVolatile(Database database) {
        return true;
    }

    @Override
    public ValidationErrors validate(SyncForeignKeyTriggersStatement statement, Database database,
                                     SqlGeneratorChain<SyncForeignKeyTriggersStatement> chain) {
        return new ValidationErrors();
    }

    @Override
    public Sql[] generateSql(SyncForeignKeyTriggersStatement statement, Database database,
                             SqlGeneratorChain<SyncForeignKeyTriggersStatement> chain) {
        Connection connection = LiquibaseSupport.jdbc(database);
        if (connection == null) {
            return new Sql[0];
        }
        try {
            List<String> statements = FkGuard.plan(connection, statement.getOptions()).statements();
            return statements.stream().map(UnparsedSql::new).toArray(Sql[]::new);
        } catch (SQLException e) {
            return new Sql[0];
        }
    }
}
