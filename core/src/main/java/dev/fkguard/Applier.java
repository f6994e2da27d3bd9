package dev.fkguard;

import static dev.fkguard.SqlText.id;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/** Reads, plans, checks and applies, for one connection and one set of options. */
final class Applier {
    private static final int SAMPLE = 5;

    private final Database db;
    private final Options options;

    Applier(Connection connection, Options options) {
        this.db = new Database(connection, options.schema());
        this.options = options;
    }

    /**
     * The plan and the problems a sync would meet. With {@code everyKey}, orphans are counted for
     * every foreign key (check); otherwise only for keys whose triggers would be (re)created (plan).
     */
    Report plan(boolean everyKey) throws SQLException {
        if (!everyKey && !options.partial()) {
            // check (everyKey) asks about every key's rows, and a stamp cannot answer that: see SyncStamp
            SchemaReader.SchemaRows rows = db.reader().schemaRows();
            Optional<SyncStamp.InSync> stamped = SyncStamp.answer(rows, SyncStamp.digests(rows, options));
            if (stamped.isPresent()) {
                SyncStamp.InSync s = stamped.get();
                return new Report(List.of(), List.of(), List.of(), s.kept(), s.foreignKeys(), s.warnings(), List.of(), false);
            }
        }
        Assessment a = assess(everyKey, false);
        return report(a, false);
    }

    Report sync() throws SQLException {
        return sync(null);
    }

    /**
     * Sync; of the keys whose triggers it creates, only those {@code mustScan} accepts are checked for orphan
     * rows (all when null). A schema state remembered as in sync ({@link SyncMemory}) or stamped as in sync
     * ({@link SyncStamp}) is answered by one query; a sync that ends in sync leaves the stamp saying so.
     */
    Report sync(Predicate<TriggerPlanner.Resolved> mustScan) throws SQLException {
        return db.atomically(() -> {
            // a partial sync reports the keys it leaves out every time: never answered from memory
            SchemaReader.SchemaRows rows = options.partial() ? null : db.reader().schemaRows();
            SyncStamp.Digests digests = rows == null ? null : SyncStamp.digests(rows, options);
            String before = digests == null ? null : digests.state();
            SyncMemory.InSync known = before == null ? null : SyncMemory.lookup(options, before);
            if (known != null) {
                return known.report();
            }
            Optional<SyncStamp.InSync> stamped = rows == null ? Optional.empty() : SyncStamp.answer(rows, digests);
            if (stamped.isPresent()) {
                return stamped.get().report();
            }
            boolean warn = options.orphanPolicy() == Options.OrphanPolicy.WARN;
            Assessment a = options.partial() ? assessPartial(warn) : assess(false, warn, mustScan);
            if (!a.problems().isEmpty() && !options.partial()) {
                throw new FkGuardException(report(a, false));
            }
            Report report = report(a, true);
            new BulkTriggerWriter(db).apply(a.diff().drop(), a.diff().create(), report.statements());
            if (before != null && a.problems().isEmpty()) {
                int kept = report.kept() + report.created().size();
                SchemaReader.SchemaRows after = report.statements().isEmpty() ? rows : db.reader().schemaRows();
                SyncStamp.Digests now = after == rows ? digests : SyncStamp.digests(after, options);
                db.execute(SyncStamp.write(after, now,
                        new SyncStamp.InSync(kept, report.foreignKeys(), a.plan().warnings()), db.prefix()));
                // the stamp's own rewrite leaves both digests as they are (they strip stamps and keep group order)
                SyncMemory.remember(options, now.state(),
                        new SyncMemory.InSync(kept, report.foreignKeys(), a.plan().warnings(),
                                MigrationGuard.Key.all(a.plan().foreignKeys())));
            }
            return report;
        });
    }

    /**
     * Where a migration starts from: the fkguard triggers that are not what the plan wants (edited, stale, left
     * dangling by a dropped table or column), and, when there are none, the keys the installed triggers enforce and
     * the number of fkguard triggers installed. Changes nothing, counts no orphans.
     */
    record Start(List<Schema.Trigger> stale, java.util.Set<MigrationGuard.Key> enforced, int triggers) {
        boolean inSync() {
            return enforced != null;
        }
    }

    Start start() throws SQLException {
        String fingerprint = SyncStamp.digests(db.reader().schemaRows(), options).state();
        SyncMemory.InSync known = SyncMemory.lookup(options, fingerprint);
        if (known != null) {
            return new Start(List.of(), known.keys(), known.kept());
        }
        Schema schema = db.reader().readSchema();
        TriggerPlanner.Plan plan = TriggerPlanner.plan(schema, options);
        TriggerPlanner.Diff diff = TriggerPlanner.diff(plan, schema);
        if (diff.drop().isEmpty() && diff.create().isEmpty() && plan.problems().isEmpty()) {
            SyncMemory.InSync state = new SyncMemory.InSync(diff.kept(), plan.foreignKeys().size(), plan.warnings(),
                    MigrationGuard.Key.all(plan.foreignKeys()));
            SyncMemory.remember(options, fingerprint, state);
            return new Start(List.of(), state.keys(), diff.kept());
        }
        return new Start(diff.drop(), null, -1);
    }

    /**
     * What a scoped sync did, the keys enforced afterwards, and the foreign-key graph of the schema it left (the next
     * migration's {@code cached}).
     */
    record Scoped(Report report, EnforcedKeys enforced, KeyGraph graph) {
    }

    /**
     * A sync that re-plans only the tables a migration touched and their foreign-key neighbours, for a schema whose
     * other tables are known to be in sync ({@code enforced}: the keys their triggers enforce). Triggers on every other
     * table stay as they are, unread. Returns null, changing nothing, where the scope cannot be told apart from the
     * rest: a touched table or neighbour lies on a cycle of two or more tables. When it returns a result, it has
     * updated {@code enforced} (the caller's own set) in place to the keys enforced afterwards; when it returns null
     * or throws, {@code enforced} is as it was. {@code present} is the number of
     * fkguard triggers installed before this sync when the caller knows it (-1 when not: then they are counted).
     */
    Scoped syncScoped(java.util.Set<String> touched, Predicate<TriggerPlanner.Resolved> mustScan,
                      EnforcedKeys enforced, KeyGraph cached,
                      java.util.Set<String> changed, int present) throws SQLException {
        return db.atomically(() -> {
            KeyGraph g;
            if (cached == null) {
                g = db.reader().graph(options);
            } else {
                // the changed tables, and their children: a renamed parent renames the children's REFERENCES too
                java.util.Set<String> reread = new java.util.HashSet<>(changed);
                for (String t : changed) {
                    reread.addAll(cached.children().getOrDefault(t, java.util.Set.of()));
                }
                g = db.reader().graph(options, cached, reread);
            }
            java.util.function.Function<String, java.util.Set<String>> neighbours = t -> {
                java.util.Set<String> n = new java.util.HashSet<>(g.parents().getOrDefault(t, java.util.Set.of()));
                n.addAll(g.children().getOrDefault(t, java.util.Set.of()));
                return n;
            };
            java.util.Set<String> scope = new java.util.HashSet<>();
            for (String t : touched) {
                if (g.tables().contains(t)) {
                    scope.add(t);
                }
            }
            for (String touchedTable : touched) {
                // a key whose table is gone or renamed away had triggers on the other end
                for (MigrationGuard.Key k : enforced.touching(touchedTable)) {
                    for (String t : List.of(k.child(), k.parent())) {
                        if (g.tables().contains(t)) {
                            scope.add(t);
                        }
                    }
                }
            }
            for (String t : List.copyOf(scope)) {
                scope.addAll(neighbours.apply(t));
            }
            // self references are planned right from the scope (the table is in it); longer cycles are not
            for (String t : scope) {
                if (g.cycles().contains(t)) {
                    return null;
                }
            }
            java.util.Set<String> read = new java.util.HashSet<>(scope);
            for (String t : scope) {
                read.addAll(neighbours.apply(t));
            }
            Schema schema = db.reader().readSchema(read);
            // the neighbours outside the scope are read for their keys; their triggers are not planned
            TriggerPlanner.Plan full = TriggerPlanner.plan(schema, options, t -> scope.contains(Schema.key(t)));
            List<TriggerPlanner.Planned> triggers = full.triggers();
            List<TriggerPlanner.Resolved> keys = full.foreignKeys().stream()
                    .filter(r -> scope.contains(Schema.key(r.child().name())) || scope.contains(Schema.key(r.parent().name())))
                    .toList();
            List<Report.Problem> problems = new ArrayList<>(full.problems().stream()
                    .filter(p -> scope.contains(Schema.key(p.table()))).toList());
            TriggerPlanner.Plan plan = new TriggerPlanner.Plan(triggers, keys, full.warnings(), problems);
            Schema onScope = new Schema(schema.name(), schema.tables(), schema.triggers().stream()
                    .filter(t -> scope.contains(Schema.key(t.table()))).toList());
            TriggerPlanner.Diff diff = TriggerPlanner.diff(plan, onScope);
            List<String> warnings = new ArrayList<>(plan.warnings());
            List<TriggerPlanner.Resolved> scanned = keysOf(diff).stream().filter(mustScan).toList();
            for (Report.Problem orphans : orphans(scanned)) {
                if (options.orphanPolicy() == Options.OrphanPolicy.WARN) {
                    warnings.add(orphans.message());
                } else {
                    problems.add(orphans);
                }
            }
            Assessment a = new Assessment(plan, diff, warnings, problems, List.of());
            if (!problems.isEmpty()) {
                throw new FkGuardException(report(a, false));
            }
            Report partial = report(a, true);
            db.execute(partial.statements());
            // the sync drops only triggers it read, and every statement succeeded
            int total = present < 0 ? db.reader().managedTriggerCount()
                    : present - partial.dropped().size() + partial.created().size();
            Report report = new Report(partial.statements(), partial.created(), partial.dropped(),
                    total - partial.created().size(), g.foreignKeys(), partial.warnings(), partial.problems(), true);
            // the keys of the scope are replaced by what the plan enforces now; every other key is as it was
            enforced.removeTouching(scope);
            enforced.addAll(MigrationGuard.Key.all(keys));
            return new Scoped(report, enforced, g);
        });
    }

    Database database() {
        return db;
    }

    /** What plan, check and sync all start from: the schema read, planned, diffed, and its orphans counted. */
    private record Assessment(TriggerPlanner.Plan plan, TriggerPlanner.Diff diff, List<String> warnings,
                              List<Report.Problem> problems, List<Report.StaleTrigger> stale) {
    }

    private Assessment assess(boolean everyKey, boolean orphansAreWarnings) throws SQLException {
        return assess(everyKey, orphansAreWarnings, null);
    }

    private Assessment assess(boolean everyKey, boolean orphansAreWarnings, Predicate<TriggerPlanner.Resolved> mustScan)
            throws SQLException {
        Schema schema = db.reader().readSchema();
        TriggerPlanner.Plan plan = TriggerPlanner.plan(schema, options);
        TriggerPlanner.Diff diff = TriggerPlanner.diff(plan, schema);
        List<Report.Problem> problems = new ArrayList<>(plan.problems());
        List<String> warnings = new ArrayList<>(plan.warnings());
        List<TriggerPlanner.Resolved> scanned = everyKey ? plan.foreignKeys() : keysOf(diff);
        if (mustScan != null) {
            scanned = scanned.stream().filter(mustScan).toList();
        }
        for (Report.Problem orphans : orphans(scanned)) {
            if (orphansAreWarnings) {
                warnings.add(orphans.message());
            } else {
                problems.add(orphans);
            }
        }
        return new Assessment(plan, diff, warnings, problems, StaleTriggers.find(schema, diff.drop()));
    }

    /**
     * Protect what it can ({@link Options#partial()}): plans without every key whose rows break it,
     * until the keys about to get triggers are all clean. Leaving a key out can change a merged trigger
     * of another key, which then needs its own orphan check, hence the loop; each key is counted once.
     * Broken declarations are already left out of every plan and stay in the problems.
     */
    private Assessment assessPartial(boolean orphansAreWarnings) throws SQLException {
        Schema schema = db.reader().readSchema();
        Map<String, Report.Problem> orphaned = new LinkedHashMap<>();
        List<Schema.ForeignKey> unenforced = new ArrayList<>();
        java.util.Set<String> counted = new java.util.HashSet<>();
        List<String> warnings = new ArrayList<>();
        while (true) {
            TriggerPlanner.Plan plan = TriggerPlanner.plan(schema.withoutForeignKeys(unenforced), options);
            TriggerPlanner.Diff diff = TriggerPlanner.diff(plan, schema);
            boolean leftOut = false;
            for (TriggerPlanner.Resolved r : keysOf(diff)) {
                if (!counted.add(r.identity())) {
                    continue;
                }
                for (Report.Problem p : orphans(List.of(r))) {
                    if (orphansAreWarnings) {
                        warnings.add(p.message());
                    } else {
                        orphaned.put(r.identity(), p);
                        unenforced.add(r.declared());
                        leftOut = true;
                    }
                }
            }
            if (!leftOut) {
                List<Report.Problem> problems = new ArrayList<>(plan.problems());
                problems.addAll(orphaned.values());
                warnings.addAll(0, plan.warnings());
                return new Assessment(plan, diff, warnings, problems, StaleTriggers.find(schema, diff.drop()));
            }
        }
    }

    Report drop() throws SQLException {
        return db.atomically(() -> {
            Schema schema = db.reader().readSchema();
            List<String> statements = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            List<Schema.Trigger> drops = new ArrayList<>();
            for (Schema.Trigger t : schema.triggers()) {
                if (TriggerNames.isManaged(t.name())) {
                    statements.add(dropStatement(t.name()));
                    dropped.add(t.name());
                    drops.add(t);
                }
            }
            new BulkTriggerWriter(db).apply(drops, List.of(), statements);
            return new Report(statements, List.of(), dropped, 0, 0, List.of(), List.of(), true);
        });
    }

    /** Keys whose triggers are about to be created: only their rows can hold orphans (the others are enforced). */
    private static List<TriggerPlanner.Resolved> keysOf(TriggerPlanner.Diff diff) {
        Map<String, TriggerPlanner.Resolved> keys = new LinkedHashMap<>();
        for (TriggerPlanner.Planned p : diff.create()) {
            for (TriggerPlanner.Resolved r : p.enforces()) {
                keys.putIfAbsent(r.identity(), r);
            }
        }
        return new ArrayList<>(keys.values());
    }

    List<Report.Problem> orphans(List<TriggerPlanner.Resolved> keys) throws SQLException {
        List<Report.Problem> out = new ArrayList<>();
        long[] counts = db.orphanCounts(keys);
        for (int i = 0; i < keys.size(); i++) {
            TriggerPlanner.Resolved r = keys.get(i);
            Database.Orphans o = db.orphans(r, SAMPLE, counts[i]);
            if (o.count() > 0) {
                List<String> cols = r.from().stream().map(Schema.Column::name).toList();
                out.add(new Report.Problem(Report.Problem.Kind.ORPHANS, r.child().name(), cols, r.parent().name(),
                        o.count(), o.sample(), o.count() + (o.count() == 1 ? " row of " : " rows of ")
                        + r.child().name() + (o.count() == 1 ? " breaks" : " break") + " foreign key " + r.describe() + ": no parent row matches ("
                        + (r.child().rowidName() != null ? "rowid " : "primary key ")
                        + String.join(", ", o.sample()) + (o.count() > o.sample().size() ? ", ..." : "") + ")"));
            }
        }
        return out;
    }

    private Report report(Assessment a, boolean applied) {
        TriggerPlanner.Diff diff = a.diff();
        List<String> statements = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        List<String> created = new ArrayList<>();
        for (Schema.Trigger t : diff.drop()) {
            statements.add(dropStatement(t.name()));
            dropped.add(t.name());
        }
        for (TriggerPlanner.Planned p : diff.create()) {
            statements.add(createStatement(p));
            created.add(p.name());
        }
        return new Report(statements, created, dropped, diff.kept(), a.plan().foreignKeys().size(), a.warnings(),
                a.problems(), applied, a.stale());
    }

    private String dropStatement(String name) {
        return "DROP TRIGGER IF EXISTS " + db.prefix() + id(name);
    }

    /** The planned text, with the schema name put before the trigger name when it is not {@code main}. */
    private String createStatement(TriggerPlanner.Planned p) {
        String head = "CREATE TRIGGER ";
        return head + db.prefix() + p.sql().substring(head.length());
    }
}
