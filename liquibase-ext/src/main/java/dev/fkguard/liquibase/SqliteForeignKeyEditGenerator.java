package dev.fkguard.liquibase;

import liquibase.database.Database;
import liquibase.sqlgenerator.core.AbstractSqlGenerator;
import liquibase.statement.SqlStatement;

/**
 * What the addForeignKeyConstraint and dropForeignKeyConstraint generators share as generators: chosen over
 * Liquibase's own by priority, for SQLite only, with SQL that is volatile as {@link ForeignKeyEditSql#isVolatile} says.
 */
abstract class SqliteForeignKeyEditGenerator<S extends SqlStatement> extends AbstractSqlGenerator<S> {

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE;
    }

    @Override
    public boolean supports(S statement, Database database) {
        return LiquibaseSupport.isSqlite(database);
    }

    @Override
    public boolean generateStatementsIsVolatile(Database database) {
        return ForeignKeyEditSql.isVolatile(database);
    }
}
