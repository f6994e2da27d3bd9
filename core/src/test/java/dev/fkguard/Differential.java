package dev.fkguard;

import static dev.fkguard.SqlText.id;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The oracle: one random schema and one random workload ({@link RandomSchema}; the user's own triggers in one schema in
 * three, {@link RandomUserTriggers}), run against two databases. "native" has
 * {@code PRAGMA foreign_keys=ON} and no triggers; "fkguard" has foreign keys off and fkguard's
 * triggers. After every statement both must agree on the outcome and on every row.
 *
 * <p>Where they may differ for reasons the README documents, the divergence is put in a named
 * class ({@link Known}); anything else is a failure that prints the schema, the seed rows and the
 * statement.
 */
final class Differential {

    /** Divergences the README lists under "Differences from native enforcement". */
    enum Known {
        /**
         * Native accepted, fkguard refused, and the statement changed several rows (directly or through
         * cascades): native checks at the end of the statement, triggers at each row.
         */
        MULTI_ROW_STATEMENT,
        /** REPLACE removing a referenced parent row: its implicit delete fires delete triggers only with recursive_triggers ON. */
        REPLACE_OF_PARENT_ROW,
        /** Native enforcement accepted a statement after which its own foreign_key_check reports orphans; fkguard refused it. */
        NATIVE_LEAVES_ORPHANS,
        /**
         * Native refused, fkguard accepted and left no orphan (foreign_key_check is empty afterwards). Native's
         * statement counter over-counts in some cases: keys whose child and parent columns have different
         * affinity classes (values compared three ways), and setting a self-referenced key to its own value.
         */
        NATIVE_REFUSES_RESULT_WITHOUT_ORPHANS,
        /**
         * With recursive_triggers OFF, a DELETE on a table in a cycle of ON DELETE CASCADE keys through two or
         * more tables: a cascade that comes back round to the same key does not fire its trigger again, so
         * rows native would delete stay (the planner warns; fkguard check reports them).
         */
        CASCADE_CYCLE,
        /**
         * An UPSERT inserting a row that references itself only after affinity or collation: native looks the
         * parent up after the row is in place (for a plain INSERT, before), accepts, and leaves no orphan;
         * fkguard, like a plain INSERT, refuses.
         */
        UPSERT_SELF_REFERENCE,
        /**
         * A statement that may need a broken key but writes no row that does (a DELETE or UPDATE that matches nothing, a
         * cascade or an UPSERT's DO UPDATE that is compiled but does not run): native refuses it when it prepares it,
         * fkguard's triggers fire only for rows written (README difference 12). Recognised from the rows: the broken
         * key's child is still empty and every row its parent had is still there, unchanged.
         */
        BROKEN_KEY_NOT_REACHED,
        /** INSERT OR REPLACE into the parent of a mismatched key: refused natively, seen by triggers only as a delete with recursive_triggers ON (README difference 12). */
        BROKEN_KEY_REPLACE_ON_PARENT,
        /**
         * Both refuse a statement that needs a broken key and writes a non-integer INTEGER PRIMARY KEY: SQLite checks
         * that before any BEFORE trigger fires, so fkguard reports "datatype mismatch" where native reports the broken
         * key (README difference 12).
         */
        BROKEN_KEY_AFTER_DATATYPE_MISMATCH,
        /**
         * Native accepted, fkguard refused with a key whose check trigger the sync reported as newer than a trigger
         * of the user's on the same table and event (created before the first sync): the check fires before that
         * trigger and misses the repair it makes, which native counts at the end of the statement (README
         * difference 16). Native's foreign_key_check is empty afterwards, and the README's workaround (the user's
         * triggers created again after fkguard's sync), tried and undone, makes fkguard agree with native.
         */
        CHECK_BEFORE_OLDER_USER_TRIGGER,
        /**
         * Both refused and left the rows as they were, native with an error of a trigger of the user's (its RAISE, or a
         * constraint its write breaks), fkguard with a key whose check the sync reported as newer than a trigger of the
         * user's on the same table and event: the check fires first, so its error comes first (README difference 16).
         * The workaround, tried and undone, makes fkguard give native's error.
         */
        CHECK_REFUSES_BEFORE_OLDER_USER_TRIGGER_FAILS,
        /**
         * Both refused and left the rows as they were; the statement fired a trigger of the user's that writes rows into a
         * table with keys, or a foreign key action (CASCADE, SET NULL, SET DEFAULT) that does, and fkguard refused with a key
         * of that table. Native counts a violation and checks at the end of the statement, so it failed on a later error
         * first (a RAISE of the user's, a constraint); fkguard checks each row as it is written and failed on the key
         * (README difference 1).
         */
        ROW_CHECK_BEFORE_A_LATER_ERROR,
        /**
         * An INSERT OR REPLACE fired a trigger of the user's that writes rows: SQLite applies the outer statement's
         * conflict policy to the trigger's statements too (it overrides their own OR IGNORE), so they may replace a
         * referenced parent row, whose implicit delete fires delete triggers only with recursive_triggers ON (README
         * difference 2, as {@link #REPLACE_OF_PARENT_ROW}).
         */
        REPLACE_IN_A_USER_TRIGGER
    }

    /** One schema in this many gets a broken foreign key declaration, enforced with {@link Options.BrokenKeys#ENFORCE}. */
    static final int BROKEN_KEY_RATE = 4;
    /** How both copies are synced: broken declarations enforced as SQLite does. */
    private static final Options OPTIONS = Options.defaults().withBrokenKeys(Options.BrokenKeys.ENFORCE);

    record Outcome(int statements, Map<Known, Integer> known, String failure) {
    }


    private final long seed;
    private java.util.Set<String> cascadeCycleTables = java.util.Set.of();
    /** The enforced foreign keys of the schema. */
    private List<TriggerPlanner.Resolved> resolvedKeys = List.of();
    private java.util.Set<String> selfReferencing = java.util.Set.of();
    /** Statements both copies refused for the broken key. */
    private int brokenKeyRefusals;
    /** The user's own triggers of this seed's schema (on both copies), or null. */
    private RandomUserTriggers userTriggers;
    /** The warnings of the fkguard copy's last sync: which checks fire before an older user trigger. */
    private List<String> syncWarnings = List.of();

    /** True when this seed's schema has triggers of the user's own. */
    boolean hasUserTriggers() {
        return userTriggers != null;
    }

    /** True when this seed's schema declares a broken key. */
    boolean hasBrokenKey() {
        return gen.brokenChild != null;
    }

    /** How many statements both copies refused with the broken key's error. */
    int brokenKeyRefusals() {
        return brokenKeyRefusals;
    }
    /** The schema, seed rows and statements of this seed. */
    private final RandomSchema gen;
    private final boolean recursiveTriggers;
    private final List<String> seedRows = new ArrayList<>();
    private final List<String> history = new ArrayList<>();

    Differential(long seed, boolean recursiveTriggers) {
        this.seed = seed;
        this.gen = new RandomSchema(seed);
        this.recursiveTriggers = recursiveTriggers;
    }

    // ------------------------------------------------------------------ running

    Outcome run(int statements) throws SQLException {
        gen.generateSchema(true);
        // not next to a broken key: natively every statement whose trigger program may reach it is refused when prepared
        userTriggers = gen.brokenChild != null ? null : RandomUserTriggers.of(seed,
                gen.tables.stream().map(t -> new RandomUserTriggers.Table(t.name, t.columns)).toList(),
                gen.tables.stream().flatMap(t -> t.keys.stream()).toList(), RandomSchema.VALUES);
        if (userTriggers != null) {
            gen.ddl.add(userTriggers.auditTable());
        }
        Map<Known, Integer> known = new LinkedHashMap<>();
        try (Connection nat = DriverManager.getConnection("jdbc:sqlite::memory:");
             Connection fkg = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(nat, "PRAGMA foreign_keys = ON");
            if (userTriggers != null) {
                // the user's triggers must run alike on both copies (native's foreign key actions ignore the setting)
                TestDb.exec(nat, "PRAGMA recursive_triggers = " + (recursiveTriggers ? "ON" : "OFF"));
            }
            TestDb.exec(fkg, "PRAGMA foreign_keys = OFF", "PRAGMA recursive_triggers = " + (recursiveTriggers ? "ON" : "OFF"));
            for (String s : gen.ddl) {
                TestDb.exec(nat, s);
                TestDb.exec(fkg, s);
            }
            for (int i = 0; i < 40; i++) {
                RandomSchema.TableSpec t = gen.tables.get(gen.rnd.nextInt(gen.tables.size()));
                String ins = gen.randomInsert(t, "INSERT");
                if (tryExec(nat, ins) == null) {
                    seedRows.add(ins);
                    TestDb.exec(fkg, ins);
                }
            }
            try {
                syncWithUserTriggers(nat, fkg, OPTIONS);
            } catch (SQLException e) {
                return new Outcome(0, known, describe("sync failed: " + e.getMessage(), null));
            }
            selfReferencing = new java.util.TreeSet<>();
            List<TriggerPlanner.Resolved> keys = TriggerPlanner.plan(new Database(fkg, "main").reader().readSchema(), OPTIONS).foreignKeys();
            for (TriggerPlanner.Resolved r : keys) {
                if (r.selfReferencing()) {
                    selfReferencing.add(r.child().name());
                }
            }
            cascadeCycleTables = cascadeCycles(keys);
            resolvedKeys = keys;
            for (int i = 0; i < statements; i++) {
                String sql = gen.randomStatement();
                long touched = touchedRows(nat, sql);
                long changesBefore = TestDb.count(nat, "SELECT total_changes()") + auditRows(nat);
                String a = tryExec(nat, sql);
                // rows the statement changed, its cascades and the user's triggers included, audit rows not
                long changed = TestDb.count(nat, "SELECT total_changes()") - auditRows(nat) - changesBefore;
                java.util.Set<String> brokenParentRows = brokenParentRows(fkg);
                String b = tryExec(fkg, sql);
                history.add(sql + ";" + (a == null ? "" : " -- native: " + a.replaceAll("\\s+", " ")));
                // both refusing is the same outcome; which error comes first may differ when several rows
                // are written, because native checks keys at the end of the statement and triggers per row
                boolean sameOutcome = (a == null) == (b == null)
                        && (a == null || touched > 1 || errorClass(a).equals(errorClass(b)));
                boolean sameRows = rows(nat).equals(rows(fkg));
                if (sameOutcome && a != null && isBrokenKeyError(a)) {
                    brokenKeyRefusals++;
                }
                long nativeOrphanRows = orphanRows(nat);
                boolean nativeOrphans = nativeOrphanRows > 0;
                if (nativeOrphans) {
                    // fkguard's orphan check must count what SQLite's own foreign_key_check reports
                    long counted = FkGuard.check(nat, OPTIONS).problems().stream()
                            .mapToLong(Report.Problem::orphans).sum();
                    if (counted != nativeOrphanRows) {
                        return new Outcome(i + 1, known, describe("fkguard check counts " + counted
                                + " orphan rows, PRAGMA foreign_key_check reports " + nativeOrphanRows, sql));
                    }
                }
                if (sameOutcome && sameRows) {
                    if (nativeOrphans) {
                        // native's statement counter is unreliable once violations exist: end this run here
                        return new Outcome(i + 1, known, null);
                    }
                    continue;
                }
                boolean brokenKeyError = a != null && isBrokenKeyError(a);
                Known k = brokenKeyError && b != null && b.contains("(datatype mismatch)") ? Known.BROKEN_KEY_AFTER_DATATYPE_MISMATCH
                        : brokenKeyError && b == null && gen.brokenParent != null
                        && sql.startsWith("INSERT OR REPLACE INTO " + id(gen.brokenParent) + " ") ? Known.BROKEN_KEY_REPLACE_ON_PARENT
                        : brokenKeyError && brokenKeyNotReached(fkg, brokenParentRows) ? Known.BROKEN_KEY_NOT_REACHED
                        : a == null && b != null && nativeOrphans ? Known.NATIVE_LEAVES_ORPHANS
                        : a == null && b != null && checkFiresBeforeAnOlderUserTrigger(b)
                        && agreesOnceUserTriggersAreCreatedAgain(nat, fkg, sql, a) ? Known.CHECK_BEFORE_OLDER_USER_TRIGGER
                        : a != null && b != null && sameRows && !errorClass(a).equals("FOREIGN KEY") && checkFiresBeforeAnOlderUserTrigger(b)
                        && agreesOnceUserTriggersAreCreatedAgain(nat, fkg, sql, a) ? Known.CHECK_REFUSES_BEFORE_OLDER_USER_TRIGGER_FAILS
                        : a != null && b != null && sameRows && !errorClass(a).equals("FOREIGN KEY") && errorClass(b).equals("FOREIGN KEY")
                        && userTriggers != null && writtenOn(targetTable(sql), events(sql)).contains(childOf(b))
                        ? Known.ROW_CHECK_BEFORE_A_LATER_ERROR
                        : a == null && b != null && sql.contains(" ON CONFLICT ") && selfReferencing.contains(targetTable(sql))
                        ? Known.UPSERT_SELF_REFERENCE
                        : a != null && b == null
                        && orphanRows(fkg) == 0 ? Known.NATIVE_REFUSES_RESULT_WITHOUT_ORPHANS
                        : !recursiveTriggers && cascadeCycleTables.contains(targetTable(sql))
                        && sql.toUpperCase(Locale.ROOT).startsWith("DELETE") ? Known.CASCADE_CYCLE
                        : classify(sql, a == null && b != null ? Math.max(touched, changed) : 0);
                if (k == null && sql.startsWith("INSERT OR REPLACE ") && userTriggers != null
                        && !userTriggers.writtenOn(targetTable(sql), events(sql)).isEmpty()) {
                    k = Known.REPLACE_IN_A_USER_TRIGGER;
                }
                if (k == null) {
                    return new Outcome(i + 1, known, describe("statement " + (i + 1) + " diverged", sql)
                            + "\nnative:  " + (a == null ? "ok" : a) + "\nfkguard: " + (b == null ? "ok" : b)
                            + "\nnative rows:\n" + TestDb.dump(nat) + "fkguard rows:\n" + TestDb.dump(fkg)
                            + "fkguard's last sync warned:\n" + String.join("\n", syncWarnings));
                }
                known.merge(k, 1, Integer::sum);
                if (nativeOrphans) {
                    return new Outcome(i + 1, known, null);
                }
                // re-align the two copies so the workload can go on: copy native's rows into fkguard's database
                if (!sameRows) {
                    realign(nat, fkg);
                }
            }
            return new Outcome(statements, known, null);
        }
    }

    /**
     * The rows {@code PRAGMA foreign_key_check} reports, table by table: for the table of a broken key it fails
     * ("foreign key mismatch") or, for a missing parent, would report its rows, but that table stays empty.
     */
    private long orphanRows(Connection c) throws SQLException {
        if (gen.brokenChild == null) {
            return TestDb.count(c, "SELECT count(*) FROM pragma_foreign_key_check");
        }
        long n = 0;
        for (RandomSchema.TableSpec t : gen.tables) {
            if (!t.name.equals(gen.brokenChild)) {
                n += TestDb.count(c, "SELECT count(*) FROM pragma_foreign_key_check(" + SqlText.literal(t.name) + ")");
            }
        }
        return n;
    }

    /** Every row of the broken key's parent, as text (empty without a mismatched key). */
    private java.util.Set<String> brokenParentRows(Connection c) throws SQLException {
        java.util.Set<String> rows = new java.util.HashSet<>();
        if (gen.brokenParent != null) {
            try (Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT quote(" + String.join(") || '|' || quote(",
                         gen.tables.stream().filter(t -> t.name.equals(gen.brokenParent)).findFirst().orElseThrow().columns.stream()
                                 .map(SqlText::id).toList()) + ") FROM " + id(gen.brokenParent))) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    /** The broken key's child is still empty and every row its parent had before is still there, unchanged. */
    private boolean brokenKeyNotReached(Connection fkg, java.util.Set<String> parentRowsBefore) throws SQLException {
        return TestDb.count(fkg, "SELECT count(*) FROM " + id(gen.brokenChild)) == 0
                && brokenParentRows(fkg).containsAll(parentRowsBefore)
                && orphanRows(fkg) == 0;
    }

    /** SQLite's refusal of a statement that needs a broken key (fkguard's triggers raise the same text). */
    private static boolean isBrokenKeyError(String message) {
        return message.contains("foreign key mismatch - ") || message.contains("no such table: ");
    }

    /** Tables on a cycle of ON DELETE CASCADE keys through two or more tables. */
    private static java.util.Set<String> cascadeCycles(List<TriggerPlanner.Resolved> keys) {
        Map<String, java.util.Set<String>> edges = new java.util.TreeMap<>();
        for (TriggerPlanner.Resolved r : keys) {
            if (!r.selfReferencing() && r.declared().onDelete() == Schema.Action.CASCADE) {
                edges.computeIfAbsent(r.parent().name(), k -> new java.util.TreeSet<>()).add(r.child().name());
            }
        }
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String start : edges.keySet()) {
            java.util.Deque<String> todo = new java.util.ArrayDeque<>(edges.get(start));
            java.util.Set<String> seen = new java.util.TreeSet<>();
            while (!todo.isEmpty()) {
                String t = todo.pop();
                if (t.equals(start)) {
                    out.add(start);
                    break;
                }
                if (seen.add(t)) {
                    todo.addAll(edges.getOrDefault(t, java.util.Set.of()));
                }
            }
        }
        return out;
    }

    private static final java.util.regex.Pattern TARGET = java.util.regex.Pattern.compile(
            "^(?:INSERT(?: OR \\w+)? INTO|UPDATE|DELETE FROM) \"((?:[^\"]|\"\")*)\"");

    /**
     * The tables that the user's triggers firing on these events of the table, and the foreign key actions (CASCADE, SET
     * NULL, SET DEFAULT) of the keys that reference it, write rows into.
     */
    private java.util.Set<String> writtenOn(String table, java.util.Set<String> events) {
        java.util.Set<String> out = new java.util.HashSet<>(userTriggers.writtenOn(table, events));
        for (TriggerPlanner.Resolved r : resolvedKeys) {
            if (r.parent().name().equals(table)
                    && (events.contains("DELETE") && acts(r.onDelete()) || events.contains("UPDATE") && acts(r.onUpdate()))) {
                out.add(r.child().name());
            }
        }
        return out;
    }

    private static boolean acts(Schema.Action a) {
        return a == Schema.Action.CASCADE || a == Schema.Action.SET_NULL || a == Schema.Action.SET_DEFAULT;
    }

    /** The child table of the key an fkguard refusal names ({@code FOREIGN KEY constraint failed: C(c) -> P(p)}), or "". */
    private static String childOf(String fkguardError) {
        String marker = "FOREIGN KEY constraint failed: ";
        int at = fkguardError.indexOf(marker);
        int paren = at < 0 ? -1 : fkguardError.indexOf('(', at + marker.length());
        return paren < 0 ? "" : fkguardError.substring(at + marker.length(), paren);
    }

    /** The trigger events a statement fires on its table: an UPSERT's update, a REPLACE's delete too. */
    private static java.util.Set<String> events(String sql) {
        if (sql.startsWith("UPDATE")) {
            return java.util.Set.of("UPDATE");
        }
        if (sql.startsWith("DELETE")) {
            return java.util.Set.of("DELETE");
        }
        return sql.startsWith("INSERT OR REPLACE") ? java.util.Set.of("INSERT", "DELETE")
                : sql.contains(" ON CONFLICT ") ? java.util.Set.of("INSERT", "UPDATE") : java.util.Set.of("INSERT");
    }

    private static String targetTable(String sql) {
        java.util.regex.Matcher m = TARGET.matcher(sql);
        return m.find() ? m.group(1).replace("\"\"", "\"") : "";
    }

    /** Documented divergences, recognised from the statement. */
    private Known classify(String sql, long touched) {
        String upper = sql.toUpperCase(Locale.ROOT);
        if (upper.startsWith("INSERT OR REPLACE")) {
            for (RandomSchema.TableSpec t : gen.tables) {
                if (t.isParent && sql.startsWith("INSERT OR REPLACE INTO " + id(t.name) + " ")) {
                    return Known.REPLACE_OF_PARENT_ROW;
                }
            }
        }
        if (touched > 1) {
            return Known.MULTI_ROW_STATEMENT;
        }
        return null;
    }

    /** Rows an UPDATE or DELETE will touch directly (before cascades), counted on the native copy. */
    private long touchedRows(Connection nat, String sql) throws SQLException {
        String upper = sql.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("UPDATE") && !upper.startsWith("DELETE")) {
            return 1;
        }
        for (RandomSchema.TableSpec t : gen.tables) {
            String table = id(t.name);
            if (sql.startsWith("UPDATE " + table + " SET") || sql.equals("DELETE FROM " + table)
                    || sql.startsWith("DELETE FROM " + table + " WHERE")) {
                int w = sql.indexOf(" WHERE ");
                String where = w < 0 ? "" : sql.substring(w);
                return TestDb.count(nat, "SELECT count(*) FROM " + table + where);
            }
        }
        return 1;
    }

    /**
     * Syncs the fkguard copy; with user triggers, creates those of before the first sync on both copies (on the
     * fkguard copy only when {@code nat} is null), syncs, creates the others and syncs again.
     */
    private void syncWithUserTriggers(Connection nat, Connection fkg, Options options) throws SQLException {
        if (userTriggers == null) {
            syncWarnings = FkGuard.sync(fkg, options).warnings();
            return;
        }
        for (RandomUserTriggers.Trigger t : userTriggers.beforeSync()) {
            if (nat != null) {
                TestDb.exec(nat, t.sql());
            }
            TestDb.exec(fkg, t.sql());
        }
        Report r = FkGuard.sync(fkg, options);
        for (RandomUserTriggers.Trigger t : userTriggers.afterSync()) {
            if (nat != null) {
                TestDb.exec(nat, t.sql());
            }
            TestDb.exec(fkg, t.sql());
        }
        if (!userTriggers.afterSync().isEmpty()) {
            r = FkGuard.sync(fkg, options);
        }
        syncWarnings = r.warnings();
    }

    /** Rows in the audit table (0 without user triggers): the audit triggers only ever add rows. */
    private long auditRows(Connection c) throws SQLException {
        return userTriggers == null ? 0 : TestDb.count(c, "SELECT count(*) FROM " + id(RandomUserTriggers.AUDIT));
    }

    /**
     * fkguard's refusal names a key whose check the last sync warned fires before an older trigger of the user's
     * (README difference 16), and native's foreign_key_check is empty (the caller has checked that).
     */
    private boolean checkFiresBeforeAnOlderUserTrigger(String fkguardError) {
        String marker = "FOREIGN KEY constraint failed: ";
        int at = fkguardError.indexOf(marker);
        if (userTriggers == null || at < 0 || !fkguardError.endsWith(")")) {
            return false;
        }
        String key = fkguardError.substring(at + marker.length(), fkguardError.length() - 1);
        return syncWarnings.stream().anyMatch(w -> WarningKind.of(w) == WarningKind.CHECK_BEFORE_USER_TRIGGER
                && (w.contains("(" + key + ")") || w.contains("(" + key + ", ") || w.contains(", " + key + ")") || w.contains(", " + key + ", ")));
    }

    /**
     * README difference 16's workaround, tried on the fkguard copy and undone: every user trigger dropped and created
     * again in its order, fkguard synced (its checks now older than them all), the statement run. It must then agree
     * with native, outcome and rows.
     */
    private boolean agreesOnceUserTriggersAreCreatedAgain(Connection nat, Connection fkg, String sql, String nativeError)
            throws SQLException {
        fkg.setAutoCommit(false);
        try (Statement st = fkg.createStatement()) {
            for (RandomUserTriggers.Trigger t : userTriggers.triggers()) {
                st.execute("DROP TRIGGER " + id(t.name()));
            }
            for (RandomUserTriggers.Trigger t : userTriggers.triggers()) {
                st.execute(t.sql());
            }
            FkGuard.sync(fkg, OPTIONS.withOrphanPolicy(Options.OrphanPolicy.WARN));
            String b = tryExec(fkg, sql);
            return (b == null) == (nativeError == null) && (b == null || errorClass(b).equals(errorClass(nativeError)))
                    && rows(nat).equals(rows(fkg));
        } finally {
            fkg.rollback();
            fkg.setAutoCommit(true);
        }
    }

    /** Every table and its columns: the schema's, and the audit table when there are user triggers. */
    private Map<String, List<String>> allTables() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (RandomSchema.TableSpec t : gen.tables) {
            all.put(t.name, t.columns);
        }
        if (userTriggers != null) {
            all.put(RandomUserTriggers.AUDIT, RandomUserTriggers.AUDIT_COLUMNS);
        }
        return all;
    }

    /** The rows query, prepared once per connection (SQLite prepares it again by itself after a schema change). */
    private final Map<Connection, java.sql.PreparedStatement> rowsQueries = new java.util.HashMap<>();

    /**
     * Every row of every table as text, each table's rows sorted, in one query (what {@link TestDb#dump} shows, read
     * in SQLite): {@code quote()} keeps the storage class apart as the dump's Java types do (1, 1.0, '1', X'01', NULL).
     */
    private String rows(Connection c) throws SQLException {
        java.sql.PreparedStatement q = rowsQueries.get(c);
        if (q == null) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, List<String>> t : allTables().entrySet()) {
                parts.add("(SELECT coalesce(group_concat(r, char(10) ORDER BY r), '') FROM (SELECT "
                        + String.join(" || '|' || ", t.getValue().stream().map(col -> "quote(" + id(col) + ")").toList())
                        + " AS r FROM " + id(t.getKey()) + "))");
            }
            q = c.prepareStatement("SELECT " + String.join(" || char(10) || '==' || char(10) || ", parts));
            rowsQueries.put(c, q);
        }
        try (java.sql.ResultSet rs = q.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void realign(Connection nat, Connection fkg) throws SQLException {
        TestDb.exec(fkg, "PRAGMA recursive_triggers = OFF");
        Map<String, List<String>> all = allTables();
        try (Statement st = fkg.createStatement()) {
            // fkguard's triggers and the user's would police the copy itself: drop them, copy, create and sync again
            FkGuard.drop(fkg, OPTIONS);
            if (userTriggers != null) {
                for (RandomUserTriggers.Trigger t : userTriggers.triggers()) {
                    st.execute("DROP TRIGGER " + id(t.name()));
                }
            }
            for (String t : all.keySet()) {
                st.execute("DELETE FROM " + id(t));
            }
        }
        for (Map.Entry<String, List<String>> t : all.entrySet()) {
            List<String> rows = new ArrayList<>();
            try (Statement st = nat.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT " + RandomSchema.join(t.getValue())
                         + " FROM " + id(t.getKey()))) {
                while (rs.next()) {
                    List<String> vals = new ArrayList<>();
                    for (int i = 1; i <= t.getValue().size(); i++) {
                        Object o = rs.getObject(i);
                        vals.add(o == null ? "NULL" : o instanceof byte[] b ? "x'" + java.util.HexFormat.of().formatHex(b) + "'"
                                : o instanceof String s ? SqlText.literal(s) : String.valueOf(o));
                    }
                    rows.add("INSERT INTO " + id(t.getKey()) + " (" + RandomSchema.join(t.getValue()) + ") VALUES (" + String.join(", ", vals) + ")");
                }
            }
            for (String r : rows) {
                TestDb.exec(fkg, r);
            }
        }
        // native enforcement can itself leave orphans behind (see KnownDifferencesTest): warn, do not refuse
        syncWithUserTriggers(null, fkg, OPTIONS.withOrphanPolicy(Options.OrphanPolicy.WARN));
        TestDb.exec(fkg, "PRAGMA recursive_triggers = " + (recursiveTriggers ? "ON" : "OFF"));
    }

    private static String tryExec(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    /** Foreign key errors compare as one class (fkguard adds the key to the message); other errors by text. */
    private static String errorClass(String message) {
        if (message.contains("FOREIGN KEY constraint failed")) {
            return "FOREIGN KEY";
        }
        if (isBrokenKeyError(message)) {
            // native's own text, which the broken key's triggers raise word for word
            return message.substring(message.indexOf('(') + 1, message.lastIndexOf(')'));
        }
        return message.replaceAll("\\(.*?\\)", "").trim();
    }

    private String describe(String what, String sql) {
        StringBuilder sb = new StringBuilder("differential seed " + seed + " (recursive_triggers "
                + (recursiveTriggers ? "ON" : "OFF") + (gen.alignedTypes ? ", key columns typed like their parents" : "")
                + "): " + what + "\n-- schema\n");
        gen.ddl.forEach(s -> sb.append(s).append(";\n"));
        sb.append("-- seed rows\n");
        seedRows.forEach(s -> sb.append(s).append(";\n"));
        if (userTriggers != null) {
            sb.append("-- user triggers created before fkguard's first sync\n");
            userTriggers.beforeSync().forEach(t -> sb.append(t.sql()).append(";\n"));
            sb.append("-- fkguard sync; then user triggers created after it, and fkguard sync again\n");
            userTriggers.afterSync().forEach(t -> sb.append(t.sql()).append(";\n"));
        }
        if (sql != null) {
            sb.append("-- workload up to and including the statement that diverged\n");
            history.forEach(s -> sb.append(s).append("\n"));
        }
        return sb.toString();
    }
}
