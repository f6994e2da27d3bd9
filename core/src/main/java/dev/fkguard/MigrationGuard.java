package dev.fkguard;

import static dev.fkguard.SqlText.id;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fkguard's triggers around one migration, for migration tools that can show fkguard each statement before it
 * runs (the Flyway and Liquibase extensions use it).
 *
 * <p>{@link #begin} leaves the triggers in place: the migration's own writes are checked as they happen, as
 * {@code foreign_keys=ON} checks them (cascades run, a statement that creates an orphan fails at once, naming the
 * key). Before each statement, {@link #beforeStatement} drops exactly the triggers the statement would break: those
 * naming a table it drops, or a column it drops. A statement it cannot classify makes all of them step aside. The one
 * statement SQLite refuses under {@code foreign_keys=ON} and no trigger can, {@code ALTER TABLE ... ADD COLUMN ...
 * REFERENCES} with a non-NULL default on a table with rows, it refuses as SQLite does ({@link AddColumnReferencesCheck}).
 * {@link #finish} then syncs, and checks for orphan rows only the keys that were not enforced by triggers for the
 * whole migration (new keys, keys whose triggers stepped aside); a key whose triggers were merely rewritten needs
 * no scan. If the triggers were not in sync when the migration began, the stale ones are dropped at once and the
 * finishing sync checks every key whose triggers it creates, as a plain sync does.
 *
 * <p>{@link #suspend} is the other mode, for migrations that fkguard sees no statements of, or that pass through
 * inconsistent states: every trigger steps aside at once, and {@link #finish} checks every key whose triggers it
 * creates.
 *
 * <p>Run everything on the migration's connection, inside its transaction where it has one: the migration and the
 * trigger changes then commit or roll back together. Not thread-safe; one instance per migration and schema.
 */
public final class MigrationGuard {
    private final Applier applier;
    private final Database db;
    private final Options options;
    /** The triggers equalled the plan when the migration began: every key was enforced then. */
    private final boolean startedInSync;
    /**
     * The keys enforced when the migration began, under the names they have now (renames followed); null when the
     * migration did not start in sync. A key not among them at the end is new, and its rows are checked.
     */
    private EnforcedKeys enforcedAtStart;
    private boolean suspended;
    /** Tables (as {@link Schema#key}) whose keys may have gone unenforced, or are new. */
    private final Set<String> unenforced = new HashSet<>();
    private final Map<String, Set<String>> namesByText = new HashMap<>();
    /** Triggers this guard dropped, name to SQL, so that the report can tell what the migration changed net. */
    private final Map<String, String> steppedAside = new HashMap<>();
    private Boolean legacyAlterTable;
    /** Tables (as {@link Schema#key}) whose definition or indexes the migration changed, under every name they had. */
    private final Set<String> touched = new HashSet<>();

    /**
     * What the last migration guarded on a connection left: a schema stamp, the keys enforced, the foreign-key graph
     * and the number of fkguard triggers installed. The next migration on that connection starts from there when the
     * stamp is unchanged, without reading the schema: a trigger dropped or edited by anyone since moves the stamp.
     * The next migration takes it (its sets are then that migration's own, changed in place).
     */
    private record Chain(List<Long> stamp, EnforcedKeys enforced, KeyGraph graph, int triggers) {
    }

    /**
     * The number of fkguard triggers installed now, as this guard has followed it from the start (minus those it
     * dropped); -1 when not known: then they are counted. No statement of the migration can change it unseen: one that
     * drops a table has its triggers dropped first, and one on a trigger named like fkguard's is not classified
     * ({@link StatementClassifier}), so every trigger steps aside and the finishing sync is a full one.
     */
    private int installed = -1;

    /** The foreign-key graph the last migration on this connection left, when this one started from it; else null. */
    private KeyGraph graphAtStart;

    private static final Map<Connection, Map<Options, Chain>> CHAINS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private void chain(Chain c) {
        CHAINS.computeIfAbsent(connection, k -> new java.util.concurrent.ConcurrentHashMap<>()).put(options, c);
    }

    private final Connection connection;

    private MigrationGuard(Connection connection, Options options, boolean suspend) throws SQLException {
        this.connection = connection;
        this.applier = new Applier(connection, options);
        this.db = applier.database();
        this.options = options;
        if (suspend) {
            this.startedInSync = false;
            stepAsideCompletely();
        } else {
            // taken, not copied: this migration updates its sets in place, and one that fails leaves no chain behind
            Map<Options, Chain> chains = CHAINS.get(connection);
            Chain chain = chains == null ? null : chains.remove(options);
            if (chain != null && chain.stamp().equals(db.reader().schemaStamp())) {
                this.startedInSync = true;
                this.enforcedAtStart = chain.enforced();
                this.graphAtStart = chain.graph();
                this.installed = chain.triggers();
                return;
            }
            Applier.Start start = applier.start();
            this.startedInSync = start.inSync();
            this.enforcedAtStart = start.inSync() ? new EnforcedKeys(start.enforced()) : null;
            this.installed = start.inSync() ? start.triggers() : -1;
            dropTriggers(start.stale());
        }
    }

    /**
     * Triggers stay in place for the migration about to run; show it every statement with {@link #beforeStatement}.
     * Drops, at once, fkguard triggers that are stale (the finishing sync would drop them anyway), so none of them
     * can dangle when an {@code ALTER TABLE} re-resolves the schema.
     */
    public static MigrationGuard begin(Connection connection, Options options) throws SQLException {
        return new MigrationGuard(FkGuard.requireSqlite(connection), options, false);
    }

    /** Every fkguard trigger steps aside now, until {@link #finish}: today's "suspend, then check at the end". */
    public static MigrationGuard suspend(Connection connection, Options options) throws SQLException {
        return new MigrationGuard(FkGuard.requireSqlite(connection), options, true);
    }

    /** True when every trigger stepped aside (the {@link #suspend} mode, or a statement fkguard could not classify). */
    public boolean suspended() {
        return suspended;
    }

    /**
     * Every trigger steps aside now, until {@link #finish}, which then checks every key whose triggers it creates: for
     * a step whose statements fkguard cannot see (a tool's custom task, for instance).
     */
    public void suspendNow() throws SQLException {
        if (!suspended) {
            stepAsideCompletely();
        }
    }

    /**
     * Drops the triggers that {@code sql} (one statement or several) would break, before it runs.
     *
     * @throws FkGuardException when SQLite with {@code foreign_keys=ON} would refuse the statement and fkguard's
     *                          triggers cannot (an {@code ALTER TABLE ... ADD COLUMN ... REFERENCES} with a non-NULL
     *                          default on a table with rows); nothing was changed, the report names table and column
     */
    public void beforeStatement(String sql) throws SQLException {
        List<StatementClassifier.Effect> effects = StatementClassifier.classify(sql);
        for (StatementClassifier.Effect e : effects) {
            // refused as SQLite refuses it under foreign_keys=ON, triggers stepped aside or not
            AddColumnReferencesCheck.refuseAsNative(db, options, e);
        }
        if (suspended) {
            return;
        }
        for (StatementClassifier.Effect e : effects) {
            apply(e);
            if (suspended) {
                return;
            }
        }
    }

    private void apply(StatementClassifier.Effect e) throws SQLException {
        if (e.kind() == StatementClassifier.Kind.HARMLESS) {
            return;
        }
        if (e.kind() == StatementClassifier.Kind.UNKNOWN) {
            stepAsideCompletely();
            return;
        }
        if (!e.concerns(options.schema())) {
            return;
        }
        String table = e.table() == null ? null : Schema.key(e.table());
        if (e.kind() == StatementClassifier.Kind.USER_TRIGGER) {
            // a broken key's B.6 trigger on the table depends on its INSERT triggers, and fkguard's triggers that
            // act must stay newer than the user's (UserTriggerOrder): the table is re-planned
            String on = e.table() != null ? e.table() : db.reader().tableOfTrigger(e.column());
            if (on != null) {
                touched.add(Schema.key(on));
            }
            return;
        }
        if (e.kind() == StatementClassifier.Kind.DROP_INDEX) {
            String owner = db.reader().tableOfIndex(e.table());
            if (owner != null) {
                touched.add(Schema.key(owner));
            }
            return;
        }
        touched.add(table);
        if (e.newName() != null && e.kind() == StatementClassifier.Kind.RENAME_TABLE) {
            touched.add(Schema.key(e.newName()));
        }
        switch (e.kind()) {
            case CREATE_INDEX -> {
                // the index may make a parent key unique or satisfy a child key's index warning
            }
            case CREATE_TABLE, ADD_COLUMN -> {
                // its keys are new (not among those enforced at the start), so their rows get checked
            }
            case DROP_TABLE -> {
                unenforced.add(table);
                dropTriggersNaming(table, null);
            }
            case DROP_COLUMN -> {
                if (legacyAlterTable()) {
                    stepAsideCompletely();
                    return;
                }
                dropTriggersNaming(table, Schema.key(e.column()));
            }
            case RENAME_TABLE -> {
                if (legacyAlterTable()) {
                    // triggers are not rewritten: they would name the old table
                    stepAsideCompletely();
                    return;
                }
                if (unenforced.contains(table)) {
                    unenforced.add(Schema.key(e.newName()));
                }
                renameTable(table, Schema.key(e.newName()));
            }
            case RENAME_COLUMN -> {
                if (legacyAlterTable()) {
                    stepAsideCompletely();
                    return;
                }
                renameColumn(table, Schema.key(e.column()), Schema.key(e.newName()));
            }
            default -> stepAsideCompletely();
        }
    }

    /**
     * Makes the triggers equal the plan for the schema the migration left, in a savepoint (or a transaction of its
     * own on an auto-commit connection). The report counts what changed over the whole migration: a trigger that
     * stepped aside and came back with the same text is counted as kept, not as dropped and created.
     *
     * @throws FkGuardException when rows break a key that was not enforced for the whole migration (the report
     *                          names it) or a key is declared in a way SQLite cannot enforce; nothing is changed
     */
    public Report finish() throws SQLException {
        Report r = null;
        if (suspended || !startedInSync || options.partial()) {
            // a partial sync decides per key what it can protect: it needs the whole schema
            r = applier.sync(null);
        } else {
            java.util.function.Predicate<TriggerPlanner.Resolved> mustScan = k -> !enforcedAtStart.contains(Key.of(k))
                    || unenforced.contains(Schema.key(k.child().name()))
                    || unenforced.contains(Schema.key(k.parent().name()));
            if (touched.isEmpty() && steppedAside.isEmpty()) {
                // no table, column or index changed: the triggers are still the plan
                int n = installed >= 0 ? installed : db.reader().managedTriggerCount();
                chain(new Chain(db.reader().schemaStamp(), enforcedAtStart, graphAtStart, n));
                return new Report(List.of(), List.of(), List.of(), n, enforcedAtStart.size(), List.of(), List.of(), true);
            }
            Set<String> scope = new HashSet<>(touched);
            scope.addAll(unenforced);
            Applier.Scoped scoped = applier.syncScoped(scope, mustScan, enforcedAtStart, graphAtStart, touched,
                    installed);
            if (scoped != null) {
                r = scoped.report();
                chain(new Chain(db.reader().schemaStamp(), scoped.enforced(), scoped.graph(),
                        r.kept() + r.created().size()));
            } else {
                r = applier.sync(mustScan);
            }
        }
        if (steppedAside.isEmpty()) {
            return r;
        }
        // only the triggers that stepped aside or were created are compared: the others' texts are not read
        Set<String> compared = new HashSet<>(steppedAside.keySet());
        compared.addAll(r.created());
        Map<String, String> after = db.reader().triggerTexts(compared);
        List<String> created = new ArrayList<>();
        int back = 0;
        for (String name : r.created()) {
            if (after.get(name) != null && after.get(name).equals(steppedAside.get(name))) {
                back++;
            } else {
                created.add(name);
            }
        }
        List<String> dropped = new ArrayList<>(r.dropped());
        for (Map.Entry<String, String> e : steppedAside.entrySet()) {
            if (!e.getValue().equals(after.get(e.getKey()))) {
                dropped.add(e.getKey());
            }
        }
        return new Report(r.statements(), created, dropped, r.kept() + back, r.foreignKeys(), r.warnings(),
                r.problems(), r.applied());
    }

    private void renameTable(String from, String to) {
        if (enforcedAtStart != null) {
            enforcedAtStart.renameTable(from, to);
        }
    }

    private void renameColumn(String table, String from, String to) {
        if (enforcedAtStart != null) {
            enforcedAtStart.renameColumn(table, from, to);
        }
    }

    /**
     * A foreign key as the triggers enforce it: child, child columns, parent, parent columns (resolved), actions, all
     * compared as SQLite compares identifiers.
     */
    record Key(String child, List<String> from, String parent, List<String> to, String actions) {
        static Key of(TriggerPlanner.Resolved r) {
            return new Key(Schema.key(r.child().name()), r.from().stream().map(c -> Schema.key(c.name())).toList(),
                    Schema.key(r.parent().name()), r.to().stream().map(c -> Schema.key(c.name())).toList(),
                    r.onDelete() + " " + r.onUpdate());
        }

        static Set<Key> all(List<TriggerPlanner.Resolved> keys) {
            Set<Key> out = new HashSet<>();
            for (TriggerPlanner.Resolved r : keys) {
                out.add(of(r));
            }
            return Set.copyOf(out);
        }
    }

    private boolean legacyAlterTable() throws SQLException {
        if (legacyAlterTable == null) {
            legacyAlterTable = db.pragmaValue("legacy_alter_table") != 0;
        }
        return legacyAlterTable;
    }

    private void stepAsideCompletely() throws SQLException {
        suspended = true;
        dropTriggers(db.reader().managedTriggers());
    }

    /** Drops the fkguard triggers whose text names {@code table} (and {@code column}, when given). */
    private void dropTriggersNaming(String table, String column) throws SQLException {
        List<Schema.Trigger> doomed = new ArrayList<>();
        for (Schema.Trigger t : db.reader().managedTriggers()) {
            if (!Schema.key(t.table()).equals(table) && (!mayName(t, table) || column != null && !mayName(t, column))) {
                continue;
            }
            Set<String> names = names(t);
            if ((names.contains(table) || Schema.key(t.table()).equals(table))
                    && (column == null || names.contains(column))) {
                doomed.add(t);
            }
        }
        dropTriggers(doomed);
    }

    /** Drops the triggers; every table they name may now hold rows their keys would have refused. */
    private void dropTriggers(List<Schema.Trigger> triggers) throws SQLException {
        if (triggers.isEmpty()) {
            return;
        }
        List<String> statements = new ArrayList<>();
        for (Schema.Trigger t : triggers) {
            unenforced.add(Schema.key(t.table()));
            unenforced.addAll(names(t));
            steppedAside.put(t.name(), String.valueOf(t.sql()));
            statements.add("DROP TRIGGER IF EXISTS " + db.prefix() + id(t.name()));
        }
        db.execute(statements);
        if (installed >= 0) {
            // each of them was read just now: each drop removed one
            installed -= triggers.size();
        }
    }

    /**
     * False only when the trigger's text cannot name {@code key} (a {@link Schema#key}): a name without the quote
     * characters that a quoted identifier doubles stands in the text as written, up to ASCII case. Most triggers of a
     * schema name neither the table nor the column a statement drops; this spares tokenizing them ({@link #names}),
     * which for every trigger of a 200-table schema was most of the CPU of a migration's DROP TABLE.
     */
    private static boolean mayName(Schema.Trigger t, String key) {
        if (key.indexOf('"') >= 0 || key.indexOf('`') >= 0 || key.indexOf(']') >= 0) {
            return true;
        }
        String sql = t.sql();
        if (sql == null || key.isEmpty()) {
            return true;
        }
        // Schema.key(sql).contains(key), without copying the text: at the key's first letter, in either ASCII case,
        // a comparison that folds case (Java folds more than ASCII: it can only find more)
        char first = key.charAt(0);
        char upper = first >= 'a' && first <= 'z' ? (char) (first - ('a' - 'A')) : first;
        for (int i = 0, last = sql.length() - key.length(); i <= last; i++) {
            char c = sql.charAt(i);
            if ((c == first || c == upper) && sql.regionMatches(true, i, key, 0, key.length())) {
                return true;
            }
        }
        return false;
    }

    /** Every identifier in the trigger's text (tables, columns, aliases alike), as {@link Schema#key}. */
    private Set<String> names(Schema.Trigger t) {
        return namesByText.computeIfAbsent(t.sql() == null ? "" : t.sql(), sql -> {
            Set<String> out = new HashSet<>();
            for (SqlText.Token token : SqlText.tokenize(sql)) {
                if (token.word()) {
                    out.add(Schema.key(token.text()));
                }
            }
            return out;
        });
    }
}
