package dev.fkguard.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The markdown the harness prints: one table per item, then the targets. */
final class Markdown {
    private Markdown() {
    }

    static String render(Config config, Benchmarks.Environment env, DmlBench.Result dml, SyncBench.Result sync,
                         ConnectionBench.Result connection, OrphanBench.Result orphans, AddKeyBench.Result addKey,
                         MigrateBench.Result migrate) {
        StringBuilder md = new StringBuilder();
        md.append("### fkguard benchmarks: ").append(config.smoke ? "SMOKE run (tiny sizes, numbers mean nothing)" : "full run")
            .append(", ").append(env.started()).append("\n\n");
        md.append(Stats.fmt("%s, %d cores, %s; SQLite %s (sqlite-jdbc %s); load average at start %s, at end %s;"
                + " the run took %d s. Database files on disk in a temp dir, SQLite defaults (journal_mode=DELETE,"
                + " synchronous=FULL). Times are medians.%n%n",
            env.os(), env.cpus(), env.java(), env.sqliteVersion(), env.driverVersion(), env.loadAtStart(), env.loadAtEnd(),
            env.took().toSeconds()));
        List<String[]> targets = new ArrayList<>();
        if (dml != null) {
            dml(md, dml, targets);
        }
        if (sync != null) {
            sync(md, sync, targets);
        }
        if (connection != null) {
            connection(md, connection, env, targets);
        }
        if (orphans != null) {
            orphans(md, orphans, targets);
        }
        if (addKey != null) {
            addKey(md, addKey, targets);
        }
        if (migrate != null) {
            migrate(md, migrate, targets, env);
        }
        if (!targets.isEmpty()) {
            md.append("#### Targets").append(config.smoke ? " (smoke sizes: not meaningful)" : "").append("\n\n");
            md.append("| item | target | measured | met |\n| --- | --- | --- | :---: |\n");
            for (String[] t : targets) {
                md.append("| ").append(String.join(" | ", t)).append(" |\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String yes(boolean b) {
        return b ? "yes" : "**no**";
    }

    private static void dml(StringBuilder md, DmlBench.Result r, List<String[]> targets) {
        md.append("#### 1. DML: no enforcement, native foreign_keys=ON, fkguard triggers (foreign_keys=OFF)\n\n");
        md.append(Stats.fmt("%s parent_a rows, %s parent_b rows, %s child rows (2 FKs), %s grandchild rows; ms, median of %d"
                + " runs after %d warm-up, each on a fresh copy of the file, COMMIT included. fkguard: %d triggers"
                + " (%s bytes of SQL) for %d FKs.%n%n",
            Stats.num(r.parentsA()), Stats.num(r.parentsB()), Stats.num(r.children()), Stats.num(r.children()), r.runs(),
            r.warmups(), r.triggers(), Stats.num(r.triggerBytes()), r.foreignKeys()));
        md.append("| workload | statement | no enforcement | native | fkguard | fkguard / native | enforcement only: (fkguard - none) / (native - none) | end state native = fkguard |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | :---: |\n");
        List<String> ratios = new ArrayList<>();
        boolean allRatios = true;
        boolean allEqual = true;
        for (DmlBench.WorkloadResult w : r.workloads()) {
            md.append(Stats.fmt("| %s | `%s` | %s | %s | %s | %s | %s | %s |%n", w.workload().name(), w.workload().sql(),
                Stats.ms(w.stats().get(DmlBench.Variant.NONE).medianMs()),
                Stats.ms(w.stats().get(DmlBench.Variant.NATIVE).medianMs()),
                Stats.ms(w.stats().get(DmlBench.Variant.FKGUARD).medianMs()),
                w.ratio() <= 1.0 ? Stats.ratio(w.ratio()) : "**" + Stats.ratio(w.ratio()) + "**",
                Stats.ratio(w.overheadRatio()), yes(w.nativeEqualsFkguard())));
            ratios.add(w.workload().key() + " " + Stats.ratio(w.ratio()));
            allRatios &= w.ratio() <= 1.0;
            allEqual &= w.nativeEqualsFkguard();
        }
        md.append('\n');
        md.append("Spread of the measured runs, min-max ms: ");
        List<String> spreads = new ArrayList<>();
        for (DmlBench.WorkloadResult w : r.workloads()) {
            spreads.add(w.workload().key() + " none " + w.stats().get(DmlBench.Variant.NONE).rangeMs() + ", native "
                + w.stats().get(DmlBench.Variant.NATIVE).rangeMs() + ", fkguard " + w.stats().get(DmlBench.Variant.FKGUARD).rangeMs());
        }
        md.append(String.join("; ", spreads)).append(".\n\n");
        md.append("An orphan INSERT on the fkguard copy through a connection with foreign_keys=OFF is rejected: ")
            .append(yes(r.fkguardRejectsOrphan())).append(r.fkguardError() == null ? "" : " (`" + oneLine(r.fkguardError()) + "`)")
            .append("; natively with foreign_keys=ON: ").append(yes(r.nativeRejectsOrphan()))
            .append(r.nativeError() == null ? "" : " (`" + oneLine(r.nativeError()) + "`)").append(".\n\n");
        targets.add(new String[] {"1", "fkguard / native <= 1.00 on every workload", String.join(", ", ratios), yes(allRatios)});
        targets.add(new String[] {"1", "end states of native and fkguard copies identical", allEqual ? "identical (SHA-256 of all rows)" : "differ", yes(allEqual)});
    }

    private static void sync(StringBuilder md, SyncBench.Result r, List<String[]> targets) {
        SyncBench.SizeResult big = r.largest();
        md.append("#### 2. Sync cost on generated schemas (3 FKs per table, mixed actions)\n\n");
        md.append(Stats.fmt("In process, JVM warm (warm-up syncs thrown away); first and after-rebuild: median of %d runs,"
                + " no-op: median of %d. \"After rebuild\": table %s rebuilt the SQLite way (create new, copy, drop, rename),"
                + " which drops its triggers; the sync puts them back. \"Plan\" is `FkGuard.plan` on the schema without"
                + " triggers (reads the schema, derives the triggers, changes nothing); \"by hand\" executes the plan's statements"
                + " in one transaction with no fkguard code around them: SQLite's own price for that DDL. \"Bulk-written\" is the"
                + " rows alone (fkguard's sync writes big batches this way too, with its plan and checks around them): the same trigger rows inserted straight into sqlite_schema under"
                + " `PRAGMA writable_schema=ON` with one schema_version bump (then verified: quick_check, triggers load and"
                + " reject an orphan); it shows how much of the DDL price is SQLite's per-statement schema work.%n%n",
            big.first().size(), big.noop().size(), big.rebuiltTable()));
        md.append("| tables | FKs | fkguard triggers | first sync ms | first sync µs per FK | of which: plan ms | same CREATE TRIGGERs by hand ms | reference: same triggers bulk-written ms | no-op sync ms | after 1 table rebuilt ms (triggers created) | allocated by first sync |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (SyncBench.SizeResult s : r.sizes()) {
            md.append(Stats.fmt("| %s | %s | %s | %s | %.0f | %s | %s | %s | %s | %s (%d) | %s |%n", Stats.num(s.tables()), Stats.num(s.foreignKeys()),
                Stats.num(s.triggers()), Stats.ms(s.first().medianMs()), s.firstUsPerFk(), Stats.ms(s.plan().medianMs()),
                Stats.ms(s.rawDdl().medianMs()), Stats.ms(s.bulk().medianMs()), Stats.ms(s.noop().medianMs()),
                Stats.ms(s.rebuilt().medianMs()), s.rebuiltCreated(),
                s.firstSyncAllocatedBytes() < 0 ? "n/a" : Stats.fmt("%.0f MB", s.firstSyncAllocatedBytes() / 1048576.0)));
        }
        md.append('\n');
        md.append("Executed by hand, one CREATE TRIGGER costs (mean of the first and of the last tenth of the statements): ");
        List<String> perStatement = new ArrayList<>();
        for (SyncBench.SizeResult s : r.sizes()) {
            perStatement.add(Stats.fmt("%s tables: %.0f µs with %s schema entries present, %.0f µs with %s", Stats.num(s.tables()),
                s.ddlFirstUs(), Stats.num(s.ddlFirstEntries()), s.ddlLastUs(), Stats.num(s.ddlLastEntries())));
        }
        md.append(String.join("; ", perStatement)).append(".\n\n");
        md.append("Spread of the measured runs, min-max ms: ");
        List<String> spreads = new ArrayList<>();
        for (SyncBench.SizeResult s : r.sizes()) {
            spreads.add(Stats.num(s.tables()) + " tables: first " + s.first().rangeMs() + ", no-op " + s.noop().rangeMs()
                + ", after rebuild " + s.rebuilt().rangeMs());
        }
        md.append(String.join("; ", spreads)).append(".\n\n");
        if (r.heap() != null) {
            md.append("Heap: a child JVM with -Xmx").append(HeapProbe.XMX).append(" ran the first and a no-op sync of ")
                .append(Stats.num(big.tables())).append(" tables: ").append(r.heap()).append(".\n\n");
        }
        String at = Stats.num(big.tables()) + " tables / " + Stats.num(big.foreignKeys()) + " FKs";
        targets.add(new String[] {"2", "first sync <= 1 s (" + at + ")", Stats.ms(big.first().medianMs()) + " ms",
            yes(big.first().medianMs() <= 1000)});
        targets.add(new String[] {"2", "no-op sync <= 50 ms", Stats.ms(big.noop().medianMs()) + " ms", yes(big.noop().medianMs() <= 50)});
        targets.add(new String[] {"2", "one rebuilt table <= 100 ms", Stats.ms(big.rebuilt().medianMs()) + " ms",
            yes(big.rebuilt().medianMs() <= 100)});
        if (r.heap() != null) {
            targets.add(new String[] {"2", "heap <= 64 MB", r.heap().ok()
                ? Stats.fmt("runs under -Xmx64m, peak %.1f MB", r.heap().peakHeapBytes() / 1048576.0) : "fails under -Xmx64m",
                yes(r.heap().ok())});
        }
        if (r.sizes().size() >= 2) {
            SyncBench.SizeResult mid = r.sizes().get(r.sizes().size() - 2);
            double perFkGrowth = big.firstUsPerFk() / mid.firstUsPerFk();
            String perFk = r.sizes().stream().map(s -> Stats.fmt("%.0f", s.firstUsPerFk())).collect(Collectors.joining(" / "));
            targets.add(new String[] {"2", "first sync linear in FKs (µs per FK at " + Stats.num(big.tables()) + " tables <= 1.5x that at "
                + Stats.num(mid.tables()) + ")", "µs per FK " + perFk + " (" + Stats.ratio(perFkGrowth) + "x)", yes(perFkGrowth <= 1.5)});
        }
    }

    private static void connection(StringBuilder md, ConnectionBench.Result r, Benchmarks.Environment env,
                                   List<String[]> targets) {
        PythonSqlite.Outcome py = r.python();
        md.append("#### 3. Connection cost: open + first query + close\n\n");
        md.append(Stats.fmt("%s tables, %s FKs; %d alternating opens of each file (after 5 warm-up opens) per SQLite,"
                + " `SELECT v FROM %s WHERE id = 1` as the first query; median µs. Two SQLite libraries in the same run:"
                + " sqlite-jdbc's (in this JVM) and the one Python's sqlite3 module links (`%s`, one process for the"
                + " whole series).%n%n",
            Stats.num(r.tables()), Stats.num(r.foreignKeys()), r.with().size(), SyncBench.table(r.tables() / 2), py.python()));
        String jdbc = "SQLite " + env.sqliteVersion() + " (sqlite-jdbc)";
        String python = py.ran() ? "SQLite " + py.sqliteVersion() + " (" + py.python() + ")" : null;
        md.append("| schema | " + jdbc + ", µs" + (python == null ? "" : " | " + python + ", µs") + " | file size |\n");
        md.append("| --- | ---: |" + (python == null ? "" : " ---: |") + " ---: |\n");
        md.append(Stats.fmt("| without triggers | %,.0f%s | %s bytes |%n", r.without().medianUs(),
            python == null ? "" : Stats.fmt(" | %,.0f", py.without().medianUs()), Stats.num(r.fileBytesWithout())));
        md.append(Stats.fmt("| with fkguard's %s triggers | %,.0f%s | %s bytes |%n", Stats.num(r.triggers()), r.with().medianUs(),
            python == null ? "" : Stats.fmt(" | %,.0f", py.with().medianUs()), Stats.num(r.fileBytesWith())));
        md.append(Stats.fmt("| **per enforced FK** | **%.2f µs**%s | %.0f bytes of trigger SQL, %.0f bytes of file, %.2f triggers |%n%n",
            r.usPerFk(), python == null ? "" : Stats.fmt(" | **%.2f µs**", r.pythonUsPerFk()), r.schemaBytesPerFk(),
            r.fileBytesPerFk(), (double) r.triggers() / r.foreignKeys()));
        md.append(Stats.fmt("Spread of the measured opens, min-max ms: sqlite-jdbc without %s, with %s", r.without().rangeMs(),
            r.with().rangeMs()));
        md.append(python == null ? Stats.fmt(". Python's sqlite3 not measured: %s.%n%n", py.skipped())
            : Stats.fmt("; Python without %s, with %s.%n%n", py.without().rangeMs(), py.with().rangeMs()));
        double usPerKb = (r.with().medianUs() - r.without().medianUs()) / (r.triggerBytes() / 1024.0);
        md.append(Stats.fmt("Through sqlite-jdbc, parsing fkguard's triggers at every schema load costs %.1f µs per KB of trigger"
                + " SQL, %.1f µs per trigger.%n%n", usPerKb, (r.with().medianUs() - r.without().medianUs()) / r.triggers()));
        targets.add(new String[] {"3", "connection cost <= 15 µs per FK, " + jdbc, Stats.fmt("%.2f µs per FK (%.0f schema bytes per FK)",
            r.usPerFk(), r.schemaBytesPerFk()), yes(r.usPerFk() <= 15)});
        targets.add(new String[] {"3", "connection cost <= 15 µs per FK, " + (python == null ? "Python's sqlite3" : python),
            python == null ? "not measured: " + py.skipped() : Stats.fmt("%.2f µs per FK", r.pythonUsPerFk()),
            python == null ? "n/a" : yes(r.pythonUsPerFk() <= 15)});
    }

    private static void orphans(StringBuilder md, OrphanBench.Result r, List<String[]> targets) {
        md.append("#### 4. Orphan check before installing triggers\n\n");
        md.append(Stats.fmt("Item-1 schema with %s child rows (2 FKs each, indexed); ms, median of %d runs, fresh connection each,"
            + " warm OS cache. `FkGuard.check` counts orphans of every FK and changes nothing; `FkGuard.sync` checks, then"
            + " installs the triggers (COMMIT included) or refuses. The reference column is plain SQL, not fkguard: one"
            + " `count(*) ... WHERE fk NOT IN (SELECT parent key)` per FK, summed.%n%n", Stats.num(r.children()), r.runs()));
        md.append("| database | `PRAGMA foreign_key_check` | `FkGuard.check` | check / pragma | `FkGuard.sync` | sync / pragma | sync outcome | reference: `NOT IN` anti-join per FK | reference / pragma |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
        for (OrphanBench.Case c : r.cases()) {
            md.append(Stats.fmt("| %s | %s (%s rows) | %s (%s orphans) | %s | %s | %s | %s | %s (%s orphans) | %s |%n", c.name(), Stats.ms(c.pragma().medianMs()),
                Stats.num(c.pragmaRows()), Stats.ms(c.check().medianMs()), Stats.num(c.checkOrphans()),
                c.checkRatio() <= 1.0 ? Stats.ratio(c.checkRatio()) : "**" + Stats.ratio(c.checkRatio()) + "**",
                Stats.ms(c.sync().medianMs()), c.syncRatio() <= 1.0 ? Stats.ratio(c.syncRatio()) : "**" + Stats.ratio(c.syncRatio()) + "**",
                c.syncOutcome(), Stats.ms(c.antiJoin().medianMs()), Stats.num(c.antiJoinOrphans()), Stats.ratio(c.antiJoinRatio())));
        }
        md.append('\n');
        for (OrphanBench.Case c : r.cases()) {
            boolean met = c.checkRatio() <= 1.0 && c.syncRatio() <= 1.0;
            targets.add(new String[] {"4", "orphan check <= 1.0x PRAGMA foreign_key_check (" + c.name() + ")",
                Stats.fmt("check %.2fx, sync %.2fx", c.checkRatio(), c.syncRatio()), yes(met)});
        }
    }

    private static void addKey(StringBuilder md, AddKeyBench.Result r, List<String[]> targets) {
        md.append("#### 5. Adding a foreign key to an existing table\n\n");
        md.append(Stats.fmt("`child` with %s rows (INTEGER PRIMARY KEY, an indexed key column, 40-byte payload) and no key;"
            + " 10,000 parents. ms, median of %d runs, each on a fresh copy (the copy is not timed). `FkGuard.addForeignKey`"
            + " checks the rows for orphans, edits the CREATE TABLE text in place, checks that SQLite reads the table back"
            + " as planned and syncs fkguard's triggers (%d created), all in one transaction, COMMIT (fsync) included. The 12-step rebuild creates the new"
            + " table with the key, copies every row, drops the old one, renames, recreates the index, runs"
            + " `PRAGMA foreign_key_check(child)`, then the same `FkGuard.sync`. One orphan check is `FkGuard.check` of"
            + " the result: a read, with no COMMIT. Both end with the same key and the same rows: %s.%n%n", Stats.num(r.children()), r.runs(),
            r.triggersCreated(), r.sameSchema() ? "yes" : "**no**"));
        md.append("| `FkGuard.addForeignKey` | 12-step rebuild + sync | add-key / rebuild | one orphan check | add-key / orphan check |\n");
        md.append("| ---: | ---: | ---: | ---: | ---: |\n");
        md.append(Stats.fmt("| %s | %s | %s | %s | %s |%n%n", Stats.ms(r.addKey().medianMs()), Stats.ms(r.rebuild().medianMs()),
            Stats.ratio(r.addKeyPerRebuild()), Stats.ms(r.orphanCheck().medianMs()), Stats.ratio(r.addKeyPerCheck())));
        targets.add(new String[] {"5", "add a key to a " + Stats.num(r.children()) + "-row table: about one orphan check, not a copy",
            Stats.fmt("%.2fx one orphan check, %.2fx the rebuild", r.addKeyPerCheck(), r.addKeyPerRebuild()),
            yes(r.addKeyPerRebuild() < 1.0 && r.sameSchema())});
    }

    private static void migrate(StringBuilder md, MigrateBench.Result r, List<String[]> targets, Benchmarks.Environment env) {
        md.append("#### 6. Flyway `migrate()` with and without fkguard-flyway\n\n");
        md.append(Stats.fmt("Flyway 13.12.0 Java API, `migrate()` timed in-process; each variant in a class loader of its own, the"
            + " fkguard one with the jar's plugin found by Flyway (no configuration), the other with the jar hidden. SQLite %s."
            + " Cold: the first run, in a fresh class loader (Flyway and fkguard loaded and JIT-compiled from scratch, fkguard's"
            + " memory of synced states empty). Warm: median of the %d runs after it, same class loader. The Liquibase case runs"
            + " in the harness's own class loader, so its first run is cold only for the JVM's first Liquibase run.%n%n", env.sqliteVersion(), r.runs()));
        md.append("| workload | Flyway alone, cold | + fkguard, cold | ratio | Flyway alone, warm | + fkguard, warm | ratio | fkguard triggers at the end, = plan |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (MigrateBench.Case c : r.cases()) {
            md.append(Stats.fmt("| %s | %s ms | %s ms | %s | %s ms | %s ms | %s | %d, %s |%n", c.title(), Stats.ms(c.coldPlainNs() / 1e6),
                Stats.ms(c.coldFkguardNs() / 1e6), Stats.ratio(c.coldRatio()), Stats.ms(c.plain().medianMs()),
                Stats.ms(c.fkguard().medianMs()), Stats.ratio(c.warmRatio()), c.triggers(), c.inSync() ? "yes" : "**no**"));
            targets.add(new String[] {"6", "fkguard adds <= 20 % to migrate (" + c.key() + ", warm / cold)",
                Stats.fmt("%.2fx / %.2fx", c.warmRatio(), c.coldRatio()), yes(c.warmRatio() <= 1.2 && c.coldRatio() <= 1.2)});
        }
        md.append('\n');
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").replace("`", "'").trim();
        return t.length() > 120 ? t.substring(0, 117) + "..." : t;
    }
}
