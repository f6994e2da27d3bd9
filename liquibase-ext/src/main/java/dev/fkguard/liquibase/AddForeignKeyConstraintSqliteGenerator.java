package dev.fkguard.liquibase;

import dev.fkguard.FkGuard;
import dev.fkguard.ForeignKeySpec;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.sql.Sql;
import liquibase.sqlgenerator.SqlGeneratorChain;
import liquibase.statement.core.AddForeignKeyConstraintStatement;

/**
 * Liquibase's standard {@code addForeignKeyConstraint} on SQLite, which Liquibase itself refuses ("not supported on
 * sqlite"): the key is declared in the table's CREATE TABLE text in place, with no copy of the rows, and fkguard's
 * triggers are synced in the same changeSet transaction ({@link FkGuard#planAddForeignKey}). Chosen over Liquibase's
 * own generator by priority, for SQLite only.
 */
public class AddForeignKeyConstraintSqliteGenerator extends SqliteForeignKeyEditGenerator<AddForeignKeyConstraintStatement> {

    @Override
    public ValidationErrors validate(AddForeignKeyConstraintStatement statement, Database database,
                                     SqlGeneratorChain<AddForeignKeyConstraintStatement> chain) {
        ValidationErrors errors = new ValidationErrors();
        errors.checkRequiredField("baseTableName", statement.getBaseTableName());
        errors.checkRequiredField("baseColumnNames", statement.getBaseColumnNames());
        errors.checkRequiredField("referencedTableName", statement.getReferencedTableName());
        errors.checkRequiredField("constraintName", statement.getConstraintName());
        if (statement.isDeferrable() || statement.isInitiallyDeferred()) {
            errors.addError("addForeignKeyConstraint on SQLite with fkguard: deferrable keys are not supported"
                    + " (fkguard's triggers check at once); leave deferrable and initiallyDeferred out");
        }
        if (!errors.hasErrors()) {
            try {
                spec(statement);
            } catch (IllegalArgumentException e) {
                errors.addError("addForeignKeyConstraint: " + e.getMessage());
            }
        }
        return errors;
    }

    @Override
    public Sql[] generateSql(AddForeignKeyConstraintStatement statement, Database database,
                             SqlGeneratorChain<AddForeignKeyConstraintStatement> chain) {
        return ForeignKeyEditSql.generate(database, statement.getBaseTableSchemaName(), spec(statement),
                "addForeignKeyConstraint", FkGuard::planAddForeignKey);
    }

    static ForeignKeySpec spec(AddForeignKeyConstraintStatement s) {
        return new ForeignKeySpec(s.getBaseTableName(), ForeignKeyEditSql.names(s.getBaseColumnNames()),
                s.getReferencedTableName(), ForeignKeyEditSql.names(s.getReferencedColumnNames()), s.getOnDelete(),
                s.getOnUpdate(), s.getConstraintName());
    }
}
