package dev.fkguard.bench;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Item 1: the price of enforcement on DML. The same database three times: no enforcement
 * (foreign_keys=OFF, no triggers), native (foreign_keys=ON, no triggers) and fkguard (foreign_keys=OFF,
 * fkguard's triggers). Each run works on a fresh file copy of a template; the copy is not timed, the
 * workload and its COMMIT are.
 */
final class DmlBench {

    enum Variant {
        NONE("no enforcement"), NATIVE("native"), FKGUARD("fkguard");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    static final List<String> TABLES = List.of("parent_a", "parent_b", "child", "grandchild");

    /** The schema of items 1 and 4: two parents, a child with two foreign keys, a grandchild. */
    static final String[] SCHEMA = {
        "CREATE TABLE parent_a (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        "CREATE TABLE parent_b (id INTEGER PRIMARY KEY, code TEXT NOT NULL)",
        "CREATE TABLE child (id INTEGER PRIMARY KEY,"
            + " a_id INTEGER NOT NULL REFERENCES parent_a (id) ON UPDATE CASCADE ON DELETE CASCADE,"
            + " b_id INTEGER REFERENCES parent_b (id),"
            + " payload TEXT)",
        "CREATE INDEX child_a_id ON child (a_id)",
        "CREATE INDEX child_b_id ON child (b_id)",
        "CREATE TABLE grandchild (id INTEGER PRIMARY KEY,"
            + " child_id INTEGER NOT NULL REFERENCES child (id) ON DELETE CASCADE,"
            + " note TEXT)",
        "CREATE INDEX grandchild_child_id ON grandchild (child_id)",
    };

    interface Work {
        void run(Connection c) throws SQLException;
    }

    record Workload(String key, String name, String sql, boolean needsChildren, Work work) {
    }

    record WorkloadResult(Workload workload, Map<Variant, Stats> stats, Map<Variant, String> digests) {
        double ratio() {
            return stats.get(Variant.FKGUARD).medianNanos() / stats.get(Variant.NATIVE).medianNanos();
        }

        /** What enforcement adds, fkguard against native: (fkguard - none) / (native - none). */
        double overheadRatio() {
            double none = stats.get(Variant.NONE).medianNanos();
            double nativeCost = stats.get(Variant.NATIVE).medianNanos() - none;
            return nativeCost <= 0 ? Double.NaN : (stats.get(Variant.FKGUARD).medianNanos() - none) / nativeCost;
        }

        boolean nativeEqualsFkguard() {
            return digests.get(Variant.NATIVE) != null && digests.get(Variant.NATIVE).equals(digests.get(Variant.FKGUARD));
        }

        boolean noneEqualsNative() {
            return digests.get(Variant.NONE) != null && digests.get(Variant.NONE).equals(digests.get(Variant.NATIVE));
        }
    }

    record Result(int parentsA, int parentsB, int children, int runs, int warmups, long triggers, int foreignKeys,
                  long triggerBytes, List<WorkloadResult> workloads, boolean fkguardRejectsOrphan, String fkguardError,
                  boolean nativeRejectsOrphan, String nativeError) {
    }

    private final Config config;
    private final Path dir;

    DmlBench(Config config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    private void insertChildren(Connection c) throws SQLException {
        insertChildren(c, config.dmlChildren, config.dmlParentsA, config.dmlParentsB);
    }

    /** The parent rows of {@link #SCHEMA}: parent_a 1..na, parent_b 1..nb. */
    static void insertParents(Connection c, int na, int nb) throws SQLException {
        Db.exec(c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + na + ")"
            + " INSERT INTO parent_a (id, name) SELECT i, 'parent ' || i FROM n");
        Db.exec(c, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + nb + ")"
            + " INSERT INTO parent_b (id, code) SELECT i, 'code ' || i FROM n");
    }

    /** n child rows of {@link #SCHEMA}, every one with a parent; b_id NULL in one row of ten. Batched. */
    static void insertChildren(Connection c, int n, int na, int nb) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO child (id, a_id, b_id, payload) VALUES (?, ?, ?, ?)")) {
            for (int i = 1; i <= n; i++) {
                ps.setInt(1, i);
                ps.setInt(2, i % na + 1);
                if (i % 10 == 0) {
                    ps.setNull(3, Types.INTEGER);
                } else {
                    ps.setInt(3, i % nb + 1);
                }
                ps.setString(4, "row-" + i);
                ps.addBatch();
                if (i % 10_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    List<Workload> workloads() {
        int n = config.dmlChildren;
        int na = config.dmlParentsA;
        String children = Stats.num(n);
        String update = "UPDATE child SET a_id = a_id % " + na + " + 1";
        String cascadeUpdate = "UPDATE parent_a SET id = id + 1000000";
        String cascadeDelete = "DELETE FROM parent_a WHERE id % 2 = 0";
        return List.of(
            new Workload("insert", "bulk insert of " + children + " child rows (2 FKs each)",
                "INSERT INTO child VALUES (?,?,?,?) x " + children + ", batched, one transaction", false,
                this::insertChildren),
            new Workload("update", "update of " + children + " child keys",
                update, true, c -> Db.exec(c, update)),
            new Workload("cascade-update", "parent key update cascading to " + children + " children",
                cascadeUpdate + " (" + Stats.num(na) + " parents)", true, c -> Db.exec(c, cascadeUpdate)),
            new Workload("cascade-delete", "parent delete cascading two levels",
                cascadeDelete + " (" + Stats.num(na / 2) + " parents, " + Stats.num(n / 2) + " children, "
                    + Stats.num(n / 2) + " grandchildren)", true, c -> Db.exec(c, cascadeDelete)));
    }

    Result run(Progress progress) throws SQLException, IOException {
        progress.say("dml: building templates (" + Stats.num(config.dmlChildren) + " children)");
        Path parents = dir.resolve("dml-parents.db");
        Db.delete(parents);
        try (Connection c = Db.open(parents, false)) {
            Db.exec(c, SCHEMA);
            c.setAutoCommit(false);
            insertParents(c, config.dmlParentsA, config.dmlParentsB);
            c.commit();
        }
        Path full = dir.resolve("dml-full.db");
        Db.copy(parents, full);
        try (Connection c = Db.open(full, false)) {
            c.setAutoCommit(false);
            insertChildren(c);
            Db.exec(c, "INSERT INTO grandchild (id, child_id, note) SELECT id, id, 'grandchild ' || id FROM child");
            c.commit();
        }
        Path parentsG = dir.resolve("dml-parents-fkguard.db");
        Path fullG = dir.resolve("dml-full-fkguard.db");
        Db.copy(parents, parentsG);
        Db.copy(full, fullG);
        Report report;
        long triggers;
        long triggerBytes;
        try (Connection c = Db.open(parentsG, false)) {
            FkGuard.sync(c, Options.defaults());
        }
        try (Connection c = Db.open(fullG, false)) {
            report = FkGuard.sync(c, Options.defaults());
            triggers = Db.fkguardTriggers(c);
            triggerBytes = Db.fkguardTriggerBytes(c);
        }
        progress.say("dml: fkguard " + report.summary());

        List<WorkloadResult> results = new ArrayList<>();
        Variant[] variants = Variant.values();
        Map<Variant, Path> runFiles = new EnumMap<>(Variant.class);
        for (Variant v : variants) {
            runFiles.put(v, dir.resolve("dml-run-" + v.name().toLowerCase(java.util.Locale.ROOT) + ".db"));
        }
        for (Workload w : workloads()) {
            Map<Variant, Stats> stats = new EnumMap<>(Variant.class);
            Map<Variant, String> digests = new EnumMap<>(Variant.class);
            for (Variant v : variants) {
                stats.put(v, new Stats());
            }
            int total = config.warmups + config.runs;
            for (int r = 0; r < total; r++) {
                for (int k = 0; k < variants.length; k++) {
                    Variant v = variants[(r + k) % variants.length]; // rotate the order from run to run
                    Path template = v == Variant.FKGUARD ? (w.needsChildren ? fullG : parentsG) : (w.needsChildren ? full : parents);
                    Path file = runFiles.get(v);
                    Db.copy(template, file);
                    try (Connection c = Db.open(file, v == Variant.NATIVE)) {
                        c.setAutoCommit(false);
                        long t0 = System.nanoTime();
                        w.work.run(c);
                        c.commit();
                        long ns = System.nanoTime() - t0;
                        c.setAutoCommit(true);
                        if (r >= config.warmups) {
                            stats.get(v).add(ns);
                        }
                        if (r == total - 1) {
                            digests.put(v, Db.dataDigest(c, TABLES));
                        }
                    }
                }
            }
            WorkloadResult wr = new WorkloadResult(w, stats, digests);
            progress.say(Stats.fmt("dml: %-15s none %s ms, native %s ms, fkguard %s ms, fkguard/native %s, end state native=fkguard: %s",
                w.key, Stats.ms(stats.get(Variant.NONE).medianMs()), Stats.ms(stats.get(Variant.NATIVE).medianMs()),
                Stats.ms(stats.get(Variant.FKGUARD).medianMs()), Stats.ratio(wr.ratio()), wr.nativeEqualsFkguard()));
            results.add(wr);
        }

        // The fkguard copy must really enforce: an orphan insert on a connection with foreign_keys=OFF fails.
        String[] fkguardError = new String[1];
        boolean fkguardRejects = rejectsOrphan(fullG, false, fkguardError);
        String[] nativeError = new String[1];
        boolean nativeRejects = rejectsOrphan(full, true, nativeError);
        if (!config.keep) {
            for (Path p : runFiles.values()) {
                Db.delete(p);
            }
        }
        return new Result(config.dmlParentsA, config.dmlParentsB, config.dmlChildren, config.runs, config.warmups,
            triggers, report.foreignKeys(), triggerBytes, results, fkguardRejects, fkguardError[0], nativeRejects, nativeError[0]);
    }

    private static boolean rejectsOrphan(Path template, boolean foreignKeys, String[] error) throws SQLException {
        try (Connection c = Db.open(template, foreignKeys)) {
            c.setAutoCommit(false);
            try {
                Db.exec(c, "INSERT INTO child (id, a_id, b_id, payload) VALUES (-1, -42, NULL, 'orphan')");
                return false;
            } catch (SQLException e) {
                error[0] = e.getMessage();
                return true;
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }
}
