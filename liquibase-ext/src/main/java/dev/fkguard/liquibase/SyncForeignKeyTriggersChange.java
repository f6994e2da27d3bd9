package dev.fkguard.liquibase;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;
import liquibase.Scope;
import liquibase.change.AbstractChange;
import liquibase.change.Change;
import liquibase.change.ChangeMetaData;
import liquibase.change.DatabaseChange;
import liquibase.change.DatabaseChangeProperty;
import liquibase.database.Database;
import liquibase.exception.ValidationErrors;
import liquibase.statement.SqlStatement;
import liquibase.statement.core.RawSqlStatement;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code syncForeignKeyTriggers} change type: makes fkguard's triggers equal the foreign keys declared in the
 * live schema, inside the changeSet's transaction. A refusal (orphan rows, a broken foreign key) fails the changeSet
 * with fkguard's report and changes nothing. On databases other than SQLite it does nothing.
 *
 * <p>Only the declared attributes are checksummed, so the checksum stays the same however the schema changes.
 */
@DatabaseChange(name = "syncForeignKeyTriggers",
        description = "Creates, replaces and drops fkguard's triggers so that SQLite foreign keys are enforced on every"
                + " connection, derived from the live schema. Does nothing on other databases.",
        priority = ChangeMetaData.PRIORITY_DEFAULT)
public class SyncForeignKeyTriggersChange extends AbstractChange {

    private String schemaName;
    private String orphanPolicy;
    private String excludeTables;
    private String brokenKeys;
    private transient Report report;

    @DatabaseChangeProperty(description = "Attached SQLite schema to manage (default: main)",
            exampleValue = "main", requiredForDatabase = "none", supportsDatabase = "all")
    public String getSchemaName() {
        return schemaName;
    }

    public void setSchemaName(String schemaName) {
        this.schemaName = schemaName;
    }

    @DatabaseChangeProperty(description = "What to do when existing rows already break a foreign key:"
            + " 'fail' (default: the changeSet fails, nothing changes) or 'warn' (install the triggers, log the orphans)",
            exampleValue = "fail", requiredForDatabase = "none", supportsDatabase = "all")
    public String getOrphanPolicy() {
        return orphanPolicy;
    }

    public void setOrphanPolicy(String orphanPolicy) {
        this.orphanPolicy = orphanPolicy;
    }

    @DatabaseChangeProperty(description = "Comma-separated tables whose foreign keys fkguard leaves alone,"
            + " as child and as parent", exampleValue = "audit_log,legacy_import",
            requiredForDatabase = "none", supportsDatabase = "all")
    public String getExcludeTables() {
        return excludeTables;
    }

    public void setExcludeTables(String excludeTables) {
        this.excludeTables = excludeTables;
    }

    @DatabaseChangeProperty(description = "What to do with a foreign key SQLite cannot enforce (missing parent table"
            + " or column, parent key not unique, wrong column count): 'refuse' (default: the changeSet fails and names"
            + " it) or 'enforce' (as SQLite does: every write that needs the key is refused with SQLite's message)",
            exampleValue = "refuse", requiredForDatabase = "none", supportsDatabase = "all")
    public String getBrokenKeys() {
        return brokenKeys;
    }

    public void setBrokenKeys(String brokenKeys) {
        this.brokenKeys = brokenKeys;
    }

    /** The options these attributes stand for. */
    Options toOptions() {
        return LiquibaseSupport.options(schemaName, orphanPolicy, excludeTables, brokenKeys);
    }

    @Override
    public ValidationErrors validate(Database database) {
        ValidationErrors errors = super.validate(database);
        for (String problem : LiquibaseSupport.problems(schemaName, orphanPolicy, excludeTables, brokenKeys)) {
            errors.addError("syncForeignKeyTriggers: " + problem);
        }
        return errors;
    }

    /** The statements depend on the live schema, so Liquibase must not precompute or cache them. */
    @Override
    public boolean generateStatementsVolatile(Database database) {
        return true;
    }

    @Override
    public boolean generateRollbackStatementsVolatile(Database database) {
        return true;
    }

    @Override
    public boolean supports(Database database) {
        return true;
    }

    @Override
    public SqlStatement[] generateStatements(Database database) {
        if (!LiquibaseSupport.isSqlite(database)) {
            Scope.getCurrentScope().getLog(getClass()).info("fkguard: syncForeignKeyTriggers does nothing on "
                    + (database == null ? "this database" : database.getDisplayName())
                    + "; fkguard manages SQLite databases only");
            return SqlStatement.EMPTY_SQL_STATEMENT;
        }
        Options options = toOptions();
        if (LiquibaseSupport.writesSqlOnly(database)) {
            return planAsSql(database, options);
        }
        return new SqlStatement[]{new SyncForeignKeyTriggersStatement(options, database, r -> report = r)};
    }

    /** For update-sql and friends: what a sync would run on the database as it is now, as plain SQL. */
    private static SqlStatement[] planAsSql(Database database, Options options) {
        Connection connection = LiquibaseSupport.jdbc(database);
        if (connection == null) {
            return new SqlStatement[]{comment("fkguard: no live database connection, so no trigger plan;"
                    + " run syncForeignKeyTriggers with update against the database")};
        }
        Report plan;
        try {
            plan = FkGuard.plan(connection, options);
        } catch (SQLException e) {
            return new SqlStatement[]{comment("fkguard: could not plan the triggers: " + e.getMessage())};
        }
        List<SqlStatement> statements = new ArrayList<>();
        statements.add(comment("fkguard plan for schema " + options.schema() + ", from the database as it is now: "
                + plan.summary()));
        for (Report.Problem problem : plan.problems()) {
            statements.add(comment("fkguard: update would refuse (" + problem.kind() + "): " + problem.message()));
        }
        for (String warning : plan.warnings()) {
            statements.add(comment("fkguard warning: " + warning));
        }
        for (String sql : plan.statements()) {
            statements.add(new RawSqlStatement(sql));
        }
        return statements.toArray(SqlStatement.EMPTY_SQL_STATEMENT);
    }

    private static SqlStatement comment(String text) {
        return new RawSqlStatement("-- " + text.replace("\r", "").replace("\n", "\n-- "));
    }

    /**
     * Rolling back a sync is another sync: the triggers follow the schema as it is at that point. Liquibase rolls
     * back in reverse order, so put a sync at the end of a rollback block when the rollback reshapes tables.
     */
    @Override
    protected Change[] createInverses() {
        SyncForeignKeyTriggersChange inverse = new SyncForeignKeyTriggersChange();
        inverse.setSchemaName(schemaName);
        inverse.setOrphanPolicy(orphanPolicy);
        inverse.setExcludeTables(excludeTables);
        inverse.setBrokenKeys(brokenKeys);
        return new Change[]{inverse};
    }

    @Override
    public String getConfirmationMessage() {
        Report done = report;
        return "fkguard foreign-key triggers synced" + (done == null ? "" : ": " + done.summary());
    }

    @Override
    public String getSerializedObjectNamespace() {
        return FkGuardNamespaceDetails.NAMESPACE;
    }
}
