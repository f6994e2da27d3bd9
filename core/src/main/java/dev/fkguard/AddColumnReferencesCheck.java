package dev.fkguard;

import static dev.fkguard.SqlText.id;
import static dev.fkguard.SqlText.literal;

import java.sql.SQLException;
import java.util.List;

/**
 * The check SQLite makes before {@code ALTER TABLE ... ADD COLUMN} while {@code foreign_keys=ON}, made by fkguard for
 * the statements a migration tool shows it ({@link MigrationGuard#beforeStatement}): a column with a REFERENCES clause
 * and a default other than NULL ({@link ColumnDefinition#refusedWhileKeysAreOn}) may not be added to a table that has
 * rows, because every existing row would get the default as its key, unchecked. SQLite refuses it with "Cannot add a
 * REFERENCES column with non-NULL default value" even when the default has a parent row (e_fkey.test, e_fkey-56.*),
 * and so does fkguard, naming the table and the column.
 *
 * <p>Where SQLite refuses the statement for another reason first (no such table, a column of that name already
 * there, a PRIMARY KEY or UNIQUE column, a definition that does not parse), fkguard lets it run into SQLite's own
 * error. A table left out by {@link Options#excludedTables} is not checked, nor a column whose every parent is.
 */
final class AddColumnReferencesCheck {
    /** SQLite's own message (sqlite3AlterFinishAddColumn). */
    static final String NATIVE_ERROR = "Cannot add a REFERENCES column with non-NULL default value";

    private AddColumnReferencesCheck() {
    }

    /** Throws when SQLite would refuse the statement {@code e} under {@code foreign_keys=ON}; does nothing otherwise. */
    static void refuseAsNative(Database db, Options options, StatementClassifier.Effect e) throws SQLException {
        if (e.kind() != StatementClassifier.Kind.ADD_COLUMN || e.added() == null || !e.added().refusedWhileKeysAreOn()
                || !e.concerns(options.schema()) || options.excludes(e.table())
                || e.added().parents().stream().allMatch(options::excludes)) {
            return;
        }
        String schema = id(options.schema()) + "."; // qualified, main too: a TEMP table may share the name
        List<String> table = db.column("SELECT name FROM " + schema + "sqlite_master WHERE type = 'table' AND name COLLATE NOCASE = "
                + literal(Schema.key(e.table())));
        if (table.isEmpty()) {
            return; // SQLite: no such table
        }
        for (String column : db.column("SELECT name FROM pragma_table_xinfo(" + literal(table.get(0)) + ", "
                + literal(options.schema()) + ")")) {
            if (Schema.same(column, e.added().name())) {
                return; // SQLite: duplicate column name
            }
        }
        if (db.column("SELECT EXISTS (SELECT 1 FROM " + schema + id(table.get(0)) + ")").equals(List.of("0"))) {
            return; // an empty table has no row to give the default to: SQLite lets it pass
        }
        ColumnDefinition c = e.added();
        String message = NATIVE_ERROR + ": table " + table.get(0) + ", column " + c.name() + " (DEFAULT "
                + c.defaultText() + ", REFERENCES " + String.join(", ", c.parents()) + "). SQLite refuses this ALTER TABLE"
                + " while foreign keys are enforced and the table has rows, as every row would get the default as its"
                + " key unchecked; add the column with DEFAULT NULL and set it with UPDATE, or rebuild the table";
        Report.Problem problem = new Report.Problem(Report.Problem.Kind.SCHEMA, table.get(0), List.of(c.name()),
                c.parents().get(0), 0, List.of(), message);
        Report report = new Report(List.of(), List.of(), List.of(), 0, 0, List.of(), List.of(problem), false);
        throw new FkGuardException(report, "fkguard refused the statement: " + message);
    }
}
