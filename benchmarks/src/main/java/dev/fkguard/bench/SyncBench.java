package dev.fkguard.bench;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Item 2: what {@link FkGuard#sync} costs on generated schemas of N tables with 3 foreign keys each and
 * mixed actions: first sync (no trigger yet), no-op sync (everything in place) and the sync after one
 * table went through SQLite's table rebuild (create new, copy, drop old, rename), which loses the
 * rebuilt table's triggers. In process, after warm-up runs.
 */
final class SyncBench {

    private static final String[] ON_DELETE = {"CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT"};
    private static final String[] ON_UPDATE = {"NO ACTION", "CASCADE", "SET NULL", "RESTRICT"};

    record SizeResult(int tables, int foreignKeys, long triggers, long triggerBytes, long fileBytesWithout,
                      long fileBytesWith, int warnings, Stats first, Stats noop, Stats rebuilt, int rebuiltCreated,
                      int rebuiltDropped, long firstSyncAllocatedBytes, String rebuiltTable, Stats plan, Stats rawDdl,
                      Stats bulk, double ddlFirstUs, long ddlFirstEntries, double ddlLastUs, long ddlLastEntries,
                      int ddlSampled) {
        double firstUsPerFk() {
            return first.medianNanos() / 1e3 / foreignKeys;
        }
    }

    record Result(List<SizeResult> sizes, HeapProbe.Outcome heap) {
        SizeResult largest() {
            return sizes.get(sizes.size() - 1);
        }
    }

    static String table(int i) {
        return String.format("t%04d", i);
    }

    /**
     * The generated schema: table i has three foreign keys to tables chosen at random (fixed seed) among the
     * tables before it; every 50th table's third key points at itself (a tree). Actions rotate through all
     * five ON DELETE and four ON UPDATE actions. Every child column has an index, as it should.
     */
    static List<String> schema(int n) {
        Random rnd = new Random(20261121L + n);
        List<String> sql = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("CREATE TABLE ").append(table(i)).append(" (id INTEGER PRIMARY KEY");
            for (int k = 1; k <= 3; k++) {
                int parent = i == 0 ? 0 : rnd.nextInt(i);
                if (k == 3 && i % 50 == 0) {
                    parent = i;
                }
                sb.append(", f").append(k).append(" INTEGER REFERENCES ").append(table(parent)).append(" (id)")
                    .append(" ON DELETE ").append(ON_DELETE[(i + k) % ON_DELETE.length])
                    .append(" ON UPDATE ").append(ON_UPDATE[(i * 3 + k) % ON_UPDATE.length]);
            }
            sb.append(", v TEXT)");
            sql.add(sb.toString());
            for (int k = 1; k <= 3; k++) {
                sql.add("CREATE INDEX " + table(i) + "_f" + k + " ON " + table(i) + " (f" + k + ")");
            }
        }
        return sql;
    }

    static void createSchema(Path file, int n) throws SQLException, IOException {
        Db.delete(file);
        try (Connection c = Db.open(file, false)) {
            c.setAutoCommit(false);
            Db.exec(c, schema(n).toArray(String[]::new));
            // a few rows in every table, all satisfying their keys (row 1 of every table exists first)
            for (int i = 0; i < n; i++) {
                Db.exec(c, "INSERT INTO " + table(i) + " (id, v) VALUES (1, 'one'), (2, 'two')");
            }
            for (int i = 0; i < n; i++) {
                Db.exec(c, "UPDATE " + table(i) + " SET f1 = 1, f2 = 1, f3 = 2 WHERE id = 2");
            }
            c.commit();
        }
    }

    /**
     * SQLite's documented table rebuild (create new, copy, drop old, rename new), with the table's indexes
     * recreated. PRAGMA legacy_alter_table=ON because the triggers left on other tables mention the dropped
     * table, and RENAME refuses a schema with such triggers otherwise (Django's schema editor does the same).
     */
    static void rebuild(Connection c, String table) throws SQLException {
        String create = Db.stringValue(c, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = '" + table + "'");
        List<String> indexes = new ArrayList<>();
        try (var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = '" + table + "' AND sql IS NOT NULL")) {
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
        }
        // after a first rebuild, RENAME has stored the name quoted: CREATE TABLE "t0500" (...)
        java.util.regex.Matcher m = create == null ? null
            : java.util.regex.Pattern.compile("^CREATE TABLE\\s+(\"?)" + table + "\\1\\s*\\(").matcher(create);
        if (m == null || !m.find()) {
            throw new IllegalStateException("unexpected schema of " + table + ": " + create);
        }
        String body = create.substring(m.end());
        boolean auto = c.getAutoCommit();
        Db.exec(c, "PRAGMA legacy_alter_table=ON");
        c.setAutoCommit(false);
        Db.exec(c, "CREATE TABLE " + table + "_new (" + body,
            "INSERT INTO " + table + "_new SELECT * FROM " + table,
            "DROP TABLE " + table,
            "ALTER TABLE " + table + "_new RENAME TO " + table);
        Db.exec(c, indexes.toArray(String[]::new));
        c.commit();
        c.setAutoCommit(auto);
        Db.exec(c, "PRAGMA legacy_alter_table=OFF");
    }

    private static List<String[]> triggerRows(Connection c) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT name, tbl_name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY rowid")) {
            while (rs.next()) {
                rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return rows;
    }

    /**
     * A reference, not what fkguard does: the same trigger rows written straight into sqlite_schema with
     * PRAGMA writable_schema=ON and one schema_version bump, so SQLite parses the new schema once instead of
     * doing its per-statement DDL work 8,000 times. Verified afterwards: quick_check ok, the triggers load
     * and an orphan insert is rejected. Returns the nanoseconds of the write and its COMMIT.
     */
    static long bulkWrite(Path file, List<String[]> rows) throws SQLException {
        long ns;
        try (Connection c = Db.open(file, false)) {
            c.setAutoCommit(false);
            long t0 = System.nanoTime();
            Db.exec(c, "PRAGMA writable_schema=ON");
            try (var ps = c.prepareStatement("INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('trigger', ?, ?, 0, ?)")) {
                for (String[] r : rows) {
                    ps.setString(1, r[0]);
                    ps.setString(2, r[1]);
                    ps.setString(3, r[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            long version = Db.longValue(c, "PRAGMA schema_version");
            Db.exec(c, "PRAGMA schema_version=" + (version + 1), "PRAGMA writable_schema=OFF");
            c.commit();
            ns = System.nanoTime() - t0;
            c.setAutoCommit(true);
        }
        try (Connection c = Db.open(file, false)) {
            String check = Db.stringValue(c, "PRAGMA quick_check");
            long triggers = Db.longValue(c, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'");
            if (!"ok".equals(check) || triggers != rows.size()) {
                throw new IllegalStateException("bulk-written schema broken: " + check + ", " + triggers + " triggers");
            }
            try {
                Db.exec(c, "INSERT INTO t0001 (id, f1) VALUES (-1, -42)");
                throw new IllegalStateException("bulk-written triggers did not reject an orphan");
            } catch (SQLException expected) {
                // the triggers are there and work
            }
        }
        return ns;
    }

    private final Config config;
    private final Path dir;

    SyncBench(Config config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    Path template(int n) {
        return dir.resolve("schema-" + n + ".db");
    }

    Path synced(int n) {
        return dir.resolve("synced-" + n + ".db");
    }

    Result run(Progress progress) throws SQLException, IOException, InterruptedException {
        for (int n : config.syncSizes) {
            progress.say("sync: generating " + n + " tables");
            createSchema(template(n), n);
        }
        // JVM warm-up on the small schemas: the whole cycle a few times, not recorded
        if (!config.smoke) {
            progress.say("sync: JVM warm-up");
            for (int w = 0; w < 5; w++) {
                for (int n : config.syncSizes.subList(0, Math.min(2, config.syncSizes.size()))) {
                    cycle(n, 1, 3, 1, null);
                }
            }
        }
        List<SizeResult> results = new ArrayList<>();
        for (int n : config.syncSizes) {
            progress.say("sync: " + n + " tables");
            SizeResult r = cycle(n, config.runs, config.noopRuns, config.warmups, progress);
            results.add(r);
        }
        HeapProbe.Outcome heap = null;
        if (config.heapProbe) {
            int n = config.syncSizes.get(config.syncSizes.size() - 1);
            progress.say("sync: heap probe, child JVM with -Xmx" + HeapProbe.XMX + " on " + n + " tables");
            heap = HeapProbe.runChild(template(n), dir.resolve("heap-probe.db"));
            progress.say("sync: heap probe " + heap);
        }
        return new Result(results, heap);
    }

    private SizeResult cycle(int n, int runs, int noopRuns, int warmups, Progress progress) throws SQLException, IOException {
        Path template = template(n);
        Path file = synced(n);
        Stats first = new Stats();
        Report firstReport = null;
        long allocated = -1;
        // the parts: FkGuard.plan (read the schema, derive the triggers, change nothing), and the same
        // CREATE TRIGGER statements executed by hand in one transaction (what SQLite alone charges for them)
        Stats plan = new Stats();
        Stats rawDdl = new Stats();
        Stats bulk = new Stats();
        double[] ddlHead = null;
        double[] ddlTail = null;
        List<String[]> triggerRows = List.of();
        for (int r = 0; r < warmups + runs; r++) {
            Db.copy(template, file);
            try (Connection c = Db.open(file, false)) {
                long t0 = System.nanoTime();
                Report planned = FkGuard.plan(c, Options.defaults());
                long planNs = System.nanoTime() - t0;
                long entries = Db.longValue(c, "SELECT count(*) FROM sqlite_schema");
                c.setAutoCommit(false);
                List<String> statements = planned.statements();
                int tenth = Math.max(1, statements.size() / 10);
                long headNs = 0;
                long tailNs = 0;
                t0 = System.nanoTime();
                try (var st = c.createStatement()) {
                    for (int i = 0; i < statements.size(); i++) {
                        long s0 = System.nanoTime();
                        st.execute(statements.get(i));
                        long s1 = System.nanoTime();
                        if (i < tenth) {
                            headNs += s1 - s0;
                        }
                        if (i >= statements.size() - tenth) {
                            tailNs += s1 - s0;
                        }
                    }
                }
                c.commit();
                long ddlNs = System.nanoTime() - t0;
                ddlHead = new double[] {headNs / 1e3 / tenth, entries, tenth};
                ddlTail = new double[] {tailNs / 1e3 / tenth, entries + statements.size() - tenth};
                c.setAutoCommit(true);
                if (r >= warmups) {
                    plan.add(planNs);
                    rawDdl.add(ddlNs);
                }
                triggerRows = triggerRows(c);
            }
            Path bulkFile = dir.resolve("bulk-" + n + ".db");
            Db.copy(template, bulkFile);
            long ns = bulkWrite(bulkFile, triggerRows);
            if (r >= warmups) {
                bulk.add(ns);
            }
            Db.delete(bulkFile);
        }
        com.sun.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t ? t : null;
        for (int r = 0; r < warmups + runs; r++) {
            Db.copy(template, file);
            try (Connection c = Db.open(file, false)) {
                long a0 = threads != null ? threads.getCurrentThreadAllocatedBytes() : -1;
                long t0 = System.nanoTime();
                Report report = FkGuard.sync(c, Options.defaults());
                long ns = System.nanoTime() - t0;
                long a1 = threads != null ? threads.getCurrentThreadAllocatedBytes() : -1;
                if (!report.applied() || report.created().isEmpty()) {
                    throw new IllegalStateException("first sync of " + n + " tables created nothing: " + report.describe());
                }
                if (r >= warmups) {
                    first.add(ns);
                    firstReport = report;
                    if (a0 >= 0) {
                        allocated = a1 - a0;
                    }
                }
            }
        }
        if (progress != null) {
            progress.say("sync: " + n + " tables first sync " + Stats.ms(first.medianMs()) + " ms (plan " + Stats.ms(plan.medianMs())
                + " ms, same DDL by hand " + Stats.ms(rawDdl.medianMs()) + " ms, bulk-written " + Stats.ms(bulk.medianMs())
                + " ms), " + firstReport.summary());
        }
        Stats noop = new Stats();
        Stats rebuilt = new Stats();
        int rebuiltCreated = 0;
        int rebuiltDropped = 0;
        long triggers;
        long triggerBytes;
        String rebuiltTable = table(n / 2);
        try (Connection c = Db.open(file, false)) {
            triggers = Db.fkguardTriggers(c);
            triggerBytes = Db.fkguardTriggerBytes(c);
            for (int r = 0; r < 2 + noopRuns; r++) {
                long t0 = System.nanoTime();
                Report report = FkGuard.sync(c, Options.defaults());
                long ns = System.nanoTime() - t0;
                if (!report.inSync()) {
                    throw new IllegalStateException("no-op sync of " + n + " tables was not a no-op: " + report.describe());
                }
                if (r >= 2) {
                    noop.add(ns);
                }
            }
            for (int r = 0; r < warmups + runs; r++) {
                rebuild(c, rebuiltTable);
                long t0 = System.nanoTime();
                Report report = FkGuard.sync(c, Options.defaults());
                long ns = System.nanoTime() - t0;
                if (!report.applied() || report.created().isEmpty()) {
                    throw new IllegalStateException("sync after rebuilding " + rebuiltTable + " created nothing: " + report.describe());
                }
                if (r >= warmups) {
                    rebuilt.add(ns);
                    rebuiltCreated = report.created().size();
                    rebuiltDropped = report.dropped().size();
                }
            }
            if (Db.fkguardTriggers(c) != triggers) {
                throw new IllegalStateException("after rebuild + sync, " + Db.fkguardTriggers(c) + " triggers instead of " + triggers);
            }
        }
        if (progress != null) {
            progress.say(Stats.fmt("sync: %d tables no-op %s ms, after rebuild %s ms (created %d, dropped %d)",
                n, Stats.ms(noop.medianMs()), Stats.ms(rebuilt.medianMs()), rebuiltCreated, rebuiltDropped));
        }
        return new SizeResult(n, firstReport.foreignKeys(), triggers, triggerBytes, Files.size(template), Files.size(file),
            firstReport.warnings().size(), first, noop, rebuilt, rebuiltCreated, rebuiltDropped, allocated, rebuiltTable,
            plan, rawDdl, bulk, ddlHead[0], (long) ddlHead[1], ddlTail[0], (long) ddlTail[1], (int) ddlHead[2]);
    }
}
