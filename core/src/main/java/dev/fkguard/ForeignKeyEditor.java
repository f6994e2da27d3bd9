package dev.fkguard;

import static dev.fkguard.SqlText.id;
import static dev.fkguard.SqlText.literal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds a foreign key to an existing table, or drops one, by editing the table's stored {@code CREATE TABLE} text in
 * place: the procedure of SQLite's ALTER TABLE page for changes that do not touch stored data
 * ({@code PRAGMA writable_schema=ON}, {@code UPDATE sqlite_master SET sql = ...}, {@code PRAGMA schema_version = n+1},
 * then a check that SQLite reads the table as planned, see {@link #verify}). SQLite keeps foreign keys only in
 * that text, so neither adding nor dropping one ever needs the table's rows copied. fkguard's triggers are synced in the same transaction.
 *
 * <p>All or nothing: orphan rows, a name clash, a missing table, column or parent, a parent key that is not unique,
 * and a connection in SQLite's defensive mode are refused before anything is written, and any failure afterwards
 * rolls the whole transaction (or savepoint) back.
 */
final class ForeignKeyEditor {
    private final Connection connection;
    private final Database db;
    private final Options options;

    ForeignKeyEditor(Connection connection, Options options) {
        this.connection = connection;
        this.db = new Database(connection, options.schema());
        this.options = options;
    }

    /** What an edit is: the new table text, the triggers that follow, and what stands in its way. */
    private record Edit(String action, String table, String newSql, Schema.Table expected, Schema after,
                        List<String> statements, List<String> created, List<String> dropped, int kept,
                        int foreignKeys, List<String> warnings, List<Report.Problem> problems) {
        Report report(boolean applied) {
            return new Report(statements, created, dropped, kept, foreignKeys, warnings, problems, applied);
        }
    }

    Report planAdd(ForeignKeySpec spec) throws SQLException {
        return prepareAdd(spec).report(false);
    }

    Report planDrop(ForeignKeySpec spec) throws SQLException {
        return prepareDrop(spec).report(false);
    }

    Report add(ForeignKeySpec spec) throws SQLException {
        return db.atomically(() -> apply(prepareAdd(spec)));
    }

    Report drop(ForeignKeySpec spec) throws SQLException {
        return db.atomically(() -> apply(prepareDrop(spec)));
    }

    // ------------------------------------------------------------------ preparing

    /** The schema as it is, the key's table in it and that table's CREATE TABLE text. */
    private record Target(Schema schema, Schema.Table child, String sql) {
    }

    /** The table a key is added to or dropped from; empty when there is no such table. */
    private Optional<Target> target(ForeignKeySpec spec) throws SQLException {
        Schema schema = db.reader().readSchema();
        Optional<Schema.Table> found = schema.table(spec.table());
        String sql = found.isPresent() ? db.reader().tableSql(found.get().name()) : null;
        return found.isEmpty() || sql == null ? Optional.empty() : Optional.of(new Target(schema, found.get(), sql));
    }

    private Edit prepareAdd(ForeignKeySpec spec) throws SQLException {
        String action = "add foreign key " + spec.describe();
        if (spec.parent() == null || spec.columns().isEmpty()) {
            throw new IllegalArgumentException("a foreign key to add needs child columns and a parent table: "
                    + spec.describe());
        }
        Optional<Target> target = target(spec);
        if (target.isEmpty()) {
            return missingTable(action, spec);
        }
        Schema before = target.get().schema();
        Schema.Table child = target.get().child();
        String oldSql = target.get().sql();
        List<Report.Problem> problems = new ArrayList<>();
        if (spec.name() != null && CreateTableEdit.constraintNames(oldSql).contains(spec.name())) {
            problems.add(problem(spec, "a constraint named " + spec.name() + " already exists on " + child.name()));
        }
        Schema.ForeignKey fk = new Schema.ForeignKey(child.name(), spec.columns(), spec.parent(), spec.parentColumns(),
                Schema.Action.parse(spec.onDelete()), Schema.Action.parse(spec.onUpdate()), false);
        for (Schema.ForeignKey existing : child.foreignKeys()) {
            if (sameKey(existing, fk)) {
                problems.add(problem(spec, "the same foreign key is already declared: " + existing.describe()));
            }
        }
        List<Schema.ForeignKey> keys = new ArrayList<>(child.foreignKeys());
        keys.add(fk);
        Schema after = replace(before, child, keys);
        // the new key is checked even when its tables are excluded from fkguard's triggers: native enforcement
        // will hold it to its declaration on connections with foreign_keys=ON
        TriggerPlanner.Plan unfiltered = TriggerPlanner.plan(after, options.withExcludedTables(java.util.Set.of()));
        TriggerPlanner.Resolved resolved = null;
        for (Report.Problem p : unfiltered.problems()) {
            if (p.table().equals(child.name()) && p.columns().equals(fk.from()) && p.parent().equals(fk.parent())) {
                problems.add(p);
            }
        }
        for (TriggerPlanner.Resolved r : unfiltered.foreignKeys()) {
            if (r.declared().equals(fk)) {
                resolved = r;
            }
        }
        String newSql = CreateTableEdit.addConstraint(oldSql, CreateTableEdit.foreignKeyClause(spec.name(),
                spec.columns(), spec.parent(), spec.parentColumns(), spec.onDelete(), spec.onUpdate()));
        return prepare(action, child.name(), oldSql, newSql, before, after, problems,
                resolved == null ? List.of() : List.of(resolved));
    }

    private Edit prepareDrop(ForeignKeySpec spec) throws SQLException {
        String action = "drop foreign key " + spec.describe();
        Optional<Target> target = target(spec);
        if (target.isEmpty()) {
            return missingTable(action, spec);
        }
        Schema before = target.get().schema();
        Schema.Table child = target.get().child();
        String oldSql = target.get().sql();
        List<Report.Problem> problems = new ArrayList<>();
        List<CreateTableEdit.Reference> clauses = CreateTableEdit.references(oldSql);
        if (clauses.size() != child.foreignKeys().size()) {
            problems.add(problem(spec, "fkguard read " + clauses.size() + " REFERENCES clauses in the CREATE TABLE text of "
                    + child.name() + " but SQLite reports " + child.foreignKeys().size() + " foreign keys"));
            return refused(action, spec, problems);
        }
        List<Integer> matches = new ArrayList<>();
        for (int i = 0; i < clauses.size(); i++) {
            boolean match = spec.columns().isEmpty()
                    ? clauses.get(i).name() != null && clauses.get(i).name().equalsIgnoreCase(spec.name())
                    : matches(child.foreignKeys().get(i), spec);
            if (match) {
                matches.add(i);
            }
        }
        if (matches.size() != 1) {
            problems.add(problem(spec, matches.isEmpty()
                    ? "no foreign key " + (spec.columns().isEmpty() ? "named " + spec.name() : spec.describe())
                    + " is declared on " + child.name() + " (declared: " + declared(child, clauses) + ")"
                    : matches.size() + " foreign keys of " + child.name() + " match " + spec.describe()
                    + "; name the parent columns or the constraint"));
            return refused(action, spec, problems);
        }
        int index = matches.get(0);
        List<Schema.ForeignKey> keys = new ArrayList<>(child.foreignKeys());
        keys.remove(index);
        Schema after = replace(before, child, keys);
        String newSql = CreateTableEdit.remove(oldSql, clauses.get(index));
        return prepare(action, child.name(), oldSql, newSql, before, after, problems, List.of());
    }

    /** The triggers for the schema after the edit, the orphans that block it, and the statements in order. */
    private Edit prepare(String action, String table, String oldSql, String newSql, Schema before,
                         Schema after, List<Report.Problem> problems, List<TriggerPlanner.Resolved> newKeys)
            throws SQLException {
        TriggerPlanner.Plan plan = TriggerPlanner.plan(after, options);
        TriggerPlanner.Diff diff = TriggerPlanner.diff(plan, after);
        for (Report.Problem p : plan.problems()) {
            if (!problems.contains(p)) {
                problems.add(p);
            }
        }
        List<String> warnings = new ArrayList<>(plan.warnings());
        // Rows already enforced by triggers in sync cannot break those keys: only the new key needs its rows read,
        // unless the triggers were out of sync before, when every key whose triggers are recreated is read (as sync).
        boolean inSyncBefore = TriggerPlanner.diff(TriggerPlanner.plan(before, options), before).create().isEmpty();
        Map<String, TriggerPlanner.Resolved> check = new LinkedHashMap<>();
        for (TriggerPlanner.Resolved r : newKeys) {
            check.put(r.identity(), r);
        }
        if (!inSyncBefore) {
            for (TriggerPlanner.Planned p : diff.create()) {
                for (TriggerPlanner.Resolved r : p.enforces()) {
                    check.putIfAbsent(r.identity(), r);
                }
            }
        }
        if (problems.stream().noneMatch(p -> p.kind() == Report.Problem.Kind.SCHEMA)) {
            for (Report.Problem orphans : new Applier(connection, options).orphans(new ArrayList<>(check.values()))) {
                if (options.orphanPolicy() == Options.OrphanPolicy.WARN) {
                    warnings.add(orphans.message());
                } else {
                    problems.add(orphans);
                }
            }
        }
        if (!withoutReferences(newSql).equals(withoutReferences(oldSql))) {
            problems.add(new Report.Problem(Report.Problem.Kind.SCHEMA, table, List.of(), "", 0, List.of(),
                    "fkguard's edit of the CREATE TABLE text of " + table + " would change more than a foreign key"
                    + " clause; refused (please report this with the table's CREATE TABLE text)"));
        }
        List<String> statements = new ArrayList<>();
        String prefix = db.prefix();
        if (!newSql.equals(oldSql)) {
            long version = Long.parseLong(db.column("PRAGMA " + prefix + "schema_version").get(0));
            statements.add("PRAGMA writable_schema = ON");
            statements.add("UPDATE " + id(options.schema()) + ".sqlite_master SET sql = " + literal(newSql)
                    + " WHERE type = 'table' AND name = " + literal(table));
            statements.add("PRAGMA " + prefix + "schema_version = " + (version + 1));
            statements.add("PRAGMA writable_schema = RESET");
        }
        List<String> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (Schema.Trigger t : diff.drop()) {
            statements.add("DROP TRIGGER IF EXISTS " + prefix + id(t.name()));
            dropped.add(t.name());
        }
        for (TriggerPlanner.Planned p : diff.create()) {
            statements.add("CREATE TRIGGER " + prefix + p.sql().substring("CREATE TRIGGER ".length()));
            created.add(p.name());
        }
        return new Edit(action, table, newSql, after.table(table).orElseThrow(), after, statements, created, dropped, diff.kept(),
                plan.foreignKeys().size(), warnings, problems);
    }

    private Edit missingTable(String action, ForeignKeySpec spec) {
        List<Report.Problem> problems = new ArrayList<>();
        problems.add(problem(spec, "table " + spec.table() + " does not exist"));
        return refused(action, spec, problems);
    }

    private Edit refused(String action, ForeignKeySpec spec, List<Report.Problem> problems) {
        return new Edit(action, spec.table(), null, null, null, List.of(), List.of(), List.of(), 0, 0, List.of(), problems);
    }

    // ------------------------------------------------------------------ applying

    private Report apply(Edit edit) throws SQLException {
        if (!edit.problems().isEmpty()) {
            throw new FkGuardException(edit.action(), edit.report(false));
        }
        int schemaStatements = edit.statements().size() - edit.created().size() - edit.dropped().size();
        try {
            for (String sql : edit.statements().subList(0, schemaStatements)) {
                int count;
                try {
                    count = db.update(sql);
                } catch (SQLException e) {
                    if (sql.startsWith("UPDATE") && String.valueOf(e.getMessage()).contains("may not be modified")) {
                        throw new FkGuardException("cannot " + edit.action() + ": SQLite refuses to edit the stored"
                                + " schema on this connection (" + e.getMessage() + "). The connection is in defensive"
                                + " mode (SQLITE_DBCONFIG_DEFENSIVE), which forbids PRAGMA writable_schema; nothing was"
                                + " changed. Use a connection without defensive mode for this change.");
                    }
                    throw e;
                }
                if (sql.startsWith("UPDATE") && count != 1) {
                    throw new FkGuardException("cannot " + edit.action() + ": the schema row of " + edit.table()
                            + " was not updated (" + count + " rows); nothing was changed");
                }
            }
        } finally {
            if (schemaStatements > 0) {
                db.update("PRAGMA writable_schema = RESET");
            }
        }
        if (schemaStatements > 0) {
            verify(edit);
        }
        db.execute(edit.statements().subList(schemaStatements, edit.statements().size()));
        Report after = new Applier(connection, options).plan(false);
        if (!after.inSync()) {
            throw new FkGuardException("cannot " + edit.action() + ": after the edit fkguard's triggers do not equal the"
                    + " plan (" + after.summary() + "); nothing was changed");
        }
        return edit.report(true);
    }

    /**
     * The edit, checked the way the ALTER TABLE page's optional {@code PRAGMA integrity_check} step is meant to, without
     * reading every row and index entry of the table (a full integrity_check costs several orphan checks, see the
     * benchmarks): before anything is written, the text outside foreign key clauses must be unchanged to the byte
     * ({@link #prepare}); after the write, SQLite must read the table back exactly as planned: the new text parses,
     * and the columns, types, defaults, NOT NULL, collations, primary key, unique keys, indexes and WITHOUT ROWID are
     * those of before, with the planned foreign keys. Nothing that decides how rows and index entries are stored
     * has changed, so the stored data is exactly as valid as before the edit.
     */
    private void verify(Edit edit) throws SQLException {
        Optional<Schema.Table> now = db.reader().readSchema().table(edit.table());
        if (now.isEmpty() || !now.get().equals(edit.expected())) {
            throw new FkGuardException("cannot " + edit.action() + ": after the edit SQLite reads " + edit.table()
                    + " differently than planned (" + now.map(Object::toString).orElse("no such table") + ", expected "
                    + edit.expected() + "); nothing was changed");
        }
    }

    /** The text without any foreign key clause: what an edit of foreign keys must leave as it was. */
    private static String withoutReferences(String createTable) {
        String text = createTable;
        List<CreateTableEdit.Reference> refs = CreateTableEdit.references(text);
        for (int i = refs.size() - 1; i >= 0; i--) {
            text = CreateTableEdit.remove(text, refs.get(i));
        }
        return text;
    }

    // ------------------------------------------------------------------ helpers

    private static Schema replace(Schema schema, Schema.Table table, List<Schema.ForeignKey> keys) {
        List<Schema.Table> tables = new ArrayList<>();
        for (Schema.Table t : schema.tables()) {
            tables.add(t != table ? t : new Schema.Table(t.name(), t.columns(), t.withoutRowid(), t.keys(), t.indexes(), keys));
        }
        return new Schema(schema.name(), tables, schema.triggers());
    }

    private static boolean sameKey(Schema.ForeignKey a, Schema.ForeignKey b) {
        return equalIgnoringCase(a.from(), b.from()) && Schema.key(a.parent()).equals(Schema.key(b.parent()))
                && equalIgnoringCase(a.to(), b.to());
    }

    private static boolean matches(Schema.ForeignKey fk, ForeignKeySpec spec) {
        return equalIgnoringCase(fk.from(), spec.columns())
                && (spec.parent() == null || Schema.key(fk.parent()).equals(Schema.key(spec.parent())))
                && (spec.parentColumns().isEmpty() || equalIgnoringCase(fk.to(), spec.parentColumns()));
    }

    private static boolean equalIgnoringCase(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equalsIgnoreCase(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static String declared(Schema.Table child, List<CreateTableEdit.Reference> clauses) {
        if (clauses.isEmpty()) {
            return "none";
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < clauses.size(); i++) {
            String name = clauses.get(i).name();
            out.add((name == null ? "" : name + " ") + child.foreignKeys().get(i).describe());
        }
        return String.join(", ", out);
    }

    private static Report.Problem problem(ForeignKeySpec spec, String why) {
        return new Report.Problem(Report.Problem.Kind.SCHEMA, spec.table(), spec.columns(),
                spec.parent() == null ? "" : spec.parent(), 0, List.of(), "foreign key " + spec.describe() + ": " + why);
    }
}
