package dev.fkguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * fkguard's benchmark harness: what enforcement by fkguard's triggers costs, beside no enforcement and
 * native {@code PRAGMA foreign_keys=ON}, in one run. Prints markdown tables on stdout (progress on stderr)
 * and writes the sync-time chart as SVG.
 *
 * <pre>
 *   mvn -B -q -pl benchmarks -am package -DskipTests
 *   java -jar benchmarks/target/fkguard-benchmarks.jar            # full run, about 5 minutes on 2 cores
 *   java -jar benchmarks/target/fkguard-benchmarks.jar --smoke    # tiny sizes, seconds
 * </pre>
 */
public final class Benchmarks {

    /** Everything one run measured. Sections that were not run are null. */
    public record Results(Config config, Environment env, DmlBench.Result dml, SyncBench.Result sync,
                          ConnectionBench.Result connection, OrphanBench.Result orphans, AddKeyBench.Result addKey, MigrateBench.Result migrate,
                          String markdown) {

        /** True when every DML workload left the native and the fkguard copy with identical data. */
        public boolean endStatesIdentical() {
            return dml != null && dml.workloads().stream().allMatch(DmlBench.WorkloadResult::nativeEqualsFkguard);
        }

        public boolean fkguardRejectsOrphan() {
            return dml != null && dml.fkguardRejectsOrphan();
        }

        public int dmlWorkloads() {
            return dml == null ? 0 : dml.workloads().size();
        }

        public int syncSizes() {
            return sync == null ? 0 : sync.sizes().size();
        }

        public boolean hasConnection() {
            return connection != null;
        }

        public boolean hasOrphans() {
            return orphans != null;
        }

        public boolean hasMigrate() {
            return migrate != null;
        }
    }

    record Environment(String started, String sqliteVersion, String driverVersion, String java, String os, int cpus,
                       String loadAtStart, String loadAtEnd, Duration took, Path workDir) {
    }

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Config config;
        try {
            config = Config.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("fkguard-benchmarks: " + e.getMessage());
            }
            System.err.println(Config.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        Results results = run(config, new Progress(System.err));
        System.out.println(results.markdown());
        if (results.dml() != null && !results.endStatesIdentical()) {
            System.err.println("fkguard-benchmarks: the native and fkguard end states differ");
            System.exit(1);
        }
    }

    /** Runs the sections the config asks for. Used by main and by the smoke test. */
    public static Results run(String... args) throws Exception {
        return run(Config.parse(args), new Progress(System.err));
    }

    static Results run(Config config, Progress progress) throws Exception {
        long start = System.nanoTime();
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
        String loadAtStart = loadAverage();
        boolean tempDir = config.workDir == null;
        Path dir = tempDir ? Files.createTempDirectory("fkguard-bench") : Files.createDirectories(config.workDir);
        progress.say("fkguard benchmarks (" + (config.smoke ? "smoke" : "full") + ") in " + dir + ", load " + loadAtStart);
        String sqliteVersion;
        String driverVersion;
        Path probe = dir.resolve("version.db");
        try (Connection c = Db.open(probe)) {
            sqliteVersion = Db.stringValue(c, "SELECT sqlite_version()");
            driverVersion = c.getMetaData().getDriverVersion();
        }
        Db.delete(probe);
        DmlBench.Result dml = null;
        SyncBench.Result sync = null;
        ConnectionBench.Result connection = null;
        OrphanBench.Result orphans = null;
        AddKeyBench.Result addKey = null;
        MigrateBench.Result migrate = null;
        try {
            if (config.sections.contains("dml")) {
                dml = new DmlBench(config, dir).run(progress);
            }
            SyncBench syncBench = new SyncBench(config, dir);
            if (config.sections.contains("sync")) {
                sync = syncBench.run(progress);
            }
            if (config.sections.contains("connection")) {
                int n = config.syncSizes.get(config.syncSizes.size() - 1);
                int fks;
                if (sync == null) {
                    // connection alone: build and sync the largest schema once
                    SyncBench.createSchema(syncBench.template(n), n);
                    Db.copy(syncBench.template(n), syncBench.synced(n));
                    try (Connection c = Db.open(syncBench.synced(n), false)) {
                        fks = dev.fkguard.FkGuard.sync(c, dev.fkguard.Options.defaults()).foreignKeys();
                    }
                } else {
                    fks = sync.largest().foreignKeys();
                }
                connection = new ConnectionBench(config).run(progress, n, fks, syncBench.template(n), syncBench.synced(n));
            }
            if (config.sections.contains("orphans")) {
                orphans = new OrphanBench(config, dir).run(progress);
            }
            if (config.sections.contains("addkey")) {
                addKey = new AddKeyBench(config, dir).run(progress);
            }
            if (config.sections.contains("migrate")) {
                migrate = new MigrateBench(config, dir).run(progress);
            }
        } finally {
            if (tempDir && !config.keep) {
                deleteTree(dir);
            }
        }
        Environment env = new Environment(started, sqliteVersion, driverVersion,
            System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
            System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
            Runtime.getRuntime().availableProcessors(), loadAtStart, loadAverage(), Duration.ofNanos(System.nanoTime() - start),
            dir);
        if (config.chart != null && sync != null) {
            writeChart(config.chart, sync, env);
            progress.say("chart written to " + config.chart.toAbsolutePath());
        }
        String markdown = Markdown.render(config, env, dml, sync, connection, orphans, addKey, migrate);
        if (config.markdownOut != null) {
            if (config.markdownOut.getParent() != null) {
                Files.createDirectories(config.markdownOut.getParent());
            }
            Files.writeString(config.markdownOut, markdown, StandardCharsets.UTF_8);
        }
        progress.say("done in " + env.took().toSeconds() + " s, load " + env.loadAtEnd());
        return new Results(config, env, dml, sync, connection, orphans, addKey, migrate, markdown);
    }

    private static void writeChart(Path file, SyncBench.Result sync, Environment env) throws IOException {
        List<SyncBench.SizeResult> sizes = sync.sizes();
        int k = sizes.size();
        double[] x = new double[k];
        double[] first = new double[k];
        double[] noop = new double[k];
        double[] rebuilt = new double[k];
        double[] linear = new double[k];
        double[] ddl = new double[k];
        List<SvgChart.XNote> notes = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            SyncBench.SizeResult s = sizes.get(i);
            x[i] = s.foreignKeys();
            first[i] = s.first().medianMs();
            noop[i] = s.noop().medianMs();
            rebuilt[i] = s.rebuilt().medianMs();
            ddl[i] = s.rawDdl().medianMs();
            notes.add(new SvgChart.XNote(x[i], Stats.num(s.tables()) + " tables"));
        }
        // linear in FKs, anchored at the middle size's first sync
        int anchor = k > 1 ? 1 : 0;
        for (int i = 0; i < k; i++) {
            linear[i] = first[anchor] * x[i] / x[anchor];
        }
        double xmax = x[k - 1];
        List<SvgChart.Series> series = List.of(
            new SvgChart.Series("first sync", "#1f77b4", false, x, first, true, -8),
            new SvgChart.Series("same DDL by hand", "#9467bd", false, x, ddl, true, 14),
            new SvgChart.Series("after 1 table rebuilt", "#ff7f0e", false, x, rebuilt, true, -8),
            new SvgChart.Series("no-op sync", "#2ca02c", false, x, noop, true, 14),
            new SvgChart.Series("linear in FKs (reference)", "#999999", true, x, linear, false, 0));
        List<SvgChart.Target> targets = List.of(
            new SvgChart.Target("target first: 1 s", "#1f77b4", xmax, 1000),
            new SvgChart.Target("target rebuilt: 100 ms", "#ff7f0e", xmax, 100),
            new SvgChart.Target("target no-op: 50 ms", "#2ca02c", xmax, 50));
        String tables = String.join(" / ", sizes.stream().map(s -> Stats.num(s.tables())).toList());
        SvgChart.write(file, "fkguard sync time against schema size",
            tables + " tables, 3 FKs each; median ms; SQLite " + env.sqliteVersion() + ", " + env.cpus() + " cores, " + env.started(),
            "foreign keys in the schema (log)", "sync time, ms (log)", series, targets, notes);
    }

    static String loadAverage() {
        try {
            String s = Files.readString(Path.of("/proc/loadavg")).trim();
            String[] parts = s.split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
