package dev.fkguard.liquibase;

import dev.fkguard.FkGuard;
import dev.fkguard.ForeignKeySpec;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.statement.core.DropForeignKeyConstraintStatement;

/**
 * Liquibase's standard {@code dropForeignKeyConstraint} on SQLite (also the automatic rollback of
 * {@code addForeignKeyConstraint}): the named key is removed from the table's CREATE TABLE text in place, and
 * fkguard's triggers are synced in the same transaction ({@link FkGuard#planDropForeignKey}).
 */
public class DropForeignKeyConstraintSqliteGenerator extends SqliteForeignKeyEditGenerator<DropForeignKeyConstraintStatement> {

    @Override
    public ValidationErrors validate(DropForeignKeyConstraintStatement statement, Database database,
                                     SqlGeneratorChain<DropForeignKeyConstraintStatement> chain) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("baseTableName", statement.getBaseTableName());
        errors.checkRequiredField("constraintName", statement.getConstraintName());
        return errors;
    }

    @Override
    public Sql[] generateSql(DropForeignKeyConstraintStatement statement, Database database,
                             SqlGeneratorChain<DropForeignKeyConstraintStatement> chain) {
        return ForeignKeyEditSql.generate(database, statement.getBaseTableSchemaName(),
                ForeignKeySpec.named(statement.getBaseTableName(), statement.getConstraintName()),
                "dropForeignKeyConstraint", FkGuard::planDropForeignKey);
    }
}
