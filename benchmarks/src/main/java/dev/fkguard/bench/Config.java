package dev.fkguard.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Sizes and switches of one benchmark run. {@link #full()} is the documented run, {@link #smoke()} the
 * tiny one that CI runs so the harness cannot rot.
 */
final class Config {
    boolean smoke;
    /** measured runs per DML workload / orphan check / first sync / rebuilt-table sync (median reported) */
    int runs;
    /** runs before the measured ones, thrown away (JIT, page cache) */
    int warmups;
    int dmlParentsA;
    int dmlParentsB;
    int dmlChildren;
    List<Integer> syncSizes;
    int noopRuns;
    int connectionOpens;
    /** child rows of the orphan check and of adding a key to an existing table */
    int orphanChildren;
    /** migrate section: migrations on a new file, rows each; small migrations on a database with this many child rows */
    int migrateTables;
    int migrateRows;
    int migrateSmall;
    long migrateChildren;
    boolean heapProbe = true;
    /** the interpreter whose sqlite3 module (the system SQLite) the connection benchmark also measures */
    String python = "python3";
    boolean keep;
    Path workDir;
    Path chart = Paths.get("docs", "benchmarks-sync.svg");
    Path markdownOut;
    Set<String> sections = new LinkedHashSet<>(List.of("dml", "sync", "connection", "orphans", "addkey", "migrate"));

    static Config full() {
        Config c = new Config();
        c.smoke = false;
        c.runs = 5;
        c.warmups = 1;
        c.dmlParentsA = 10_000;
        c.dmlParentsB = 1_000;
        c.dmlChildren = 500_000;
        c.syncSizes = List.of(10, 100, 1000);
        c.noopRuns = 21;
        c.connectionOpens = 41;
        c.orphanChildren = 1_000_000;
        c.migrateTables = 200;
        c.migrateRows = 100;
        c.migrateSmall = 20;
        c.migrateChildren = 2_000_000;
        return c;
    }

    static Config smoke() {
        Config c = new Config();
        c.smoke = true;
        c.runs = 1;
        c.warmups = 0;
        c.dmlParentsA = 100;
        c.dmlParentsB = 10;
        c.dmlChildren = 2_000;
        c.syncSizes = List.of(5, 10, 20);
        c.noopRuns = 3;
        c.connectionOpens = 3;
        c.orphanChildren = 5_000;
        c.migrateTables = 10;
        c.migrateRows = 10;
        c.migrateSmall = 3;
        c.migrateChildren = 5_000;
        c.chart = null;
        return c;
    }

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar benchmarks/target/fkguard-benchmarks.jar [options]",
            "  --smoke            tiny sizes (what CI runs), finishes in seconds",
            "  --runs N           measured runs per case (default 5; smoke 1)",
            "  --only LIST        comma-separated subset of: dml,sync,connection,orphans,addkey,migrate",
            "  --dir PATH         where the database files go (default: a new temp dir, deleted at the end)",
            "  --keep             keep the database files",
            "  --chart PATH       the SVG chart of sync time against schema size (default docs/benchmarks-sync.svg;",
            "                     'none' to skip; smoke writes none unless asked)",
            "  --markdown PATH    also write the markdown tables to this file",
            "  --no-heap-probe    skip the child JVM run under -Xmx64m",
            "  --python CMD       the Python whose sqlite3 module (the system SQLite) the connection benchmark",
            "                     also measures (default python3; skipped with a note when it cannot run)",

            "  --migrate-tables N migrations on a new file in the migrate section (default 200; smoke 10)");

    static Config parse(String... args) {
        boolean smoke = false;
        for (String a : args) {
            if (a.equals("--smoke")) {
                smoke = true;
            }
        }
        Config c = smoke ? smoke() : full();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--smoke" -> { }
                case "--runs" -> c.runs = Integer.parseInt(value(args, ++i, a));
                case "--only" -> {
                    Set<String> only = new LinkedHashSet<>();
                    for (String s : value(args, ++i, a).split(",")) {
                        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
                        if (!c.sections.contains(t)) {
                            throw new IllegalArgumentException("unknown section '" + t + "' (dml, sync, connection, orphans, addkey, migrate)");
                        }
                        only.add(t);
                    }
                    c.sections = only;
                }
                case "--dir" -> c.workDir = Paths.get(value(args, ++i, a));
                case "--keep" -> c.keep = true;
                case "--chart" -> {
                    String v = value(args, ++i, a);
                    c.chart = v.equals("none") ? null : Paths.get(v);
                }
                case "--markdown" -> c.markdownOut = Paths.get(value(args, ++i, a));
                case "--no-heap-probe" -> c.heapProbe = false;
                case "--python" -> c.python = value(args, ++i, a);
                case "--migrate-tables" -> c.migrateTables = Integer.parseInt(value(args, ++i, a));
                case "-h", "--help" -> throw new IllegalArgumentException("");
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (c.runs < 1) {
            throw new IllegalArgumentException("--runs must be at least 1");
        }
        return c;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
