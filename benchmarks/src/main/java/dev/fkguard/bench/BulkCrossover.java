package dev.fkguard.bench;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Where fkguard's bulk trigger writer starts to pay: on the generated schema of N tables, synced, n fkguard triggers
 * are dropped (not timed) and the sync that puts them back is timed with plain statements and with the bulk path
 * (system property {@code fkguard.bulkTriggers} = never / always), alternating, medians.
 *
 * <pre>java -cp benchmarks/target/fkguard-benchmarks.jar dev.fkguard.bench.BulkCrossover [--runs N] TABLES...</pre>
 */
public final class BulkCrossover {
    private BulkCrossover() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs")) {
                runs = Integer.parseInt(args[++i]);
            } else {
                sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100, 1000);
        }
        Path dir = Files.createTempDirectory("fkguard-crossover");
        Options options = Options.defaults().withOrphanPolicy(Options.OrphanPolicy.WARN);
        System.out.println("| tables | schema rows | statements | plain (ms) | bulk (ms) | bulk - plain (ms) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (int tables : sizes) {
            Path base = dir.resolve("base.db");
            SyncBench.createSchema(base, tables);
            try (Connection c = Db.open(base, false)) {
                FkGuard.sync(c, options);
            }
            long rows;
            long triggers;
            try (Connection c = Db.open(base, false)) {
                rows = Db.longValue(c, "SELECT count(*) FROM sqlite_schema");
                triggers = Db.longValue(c, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'");
            }
            for (int n : new int[] {5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560}) {
                if (n > triggers) {
                    break;
                }
                Path damaged = dir.resolve("damaged.db");
                Db.copy(base, damaged);
                try (Connection c = Db.open(damaged, false)) {
                    List<String> names = new ArrayList<>();
                    try (var s = c.createStatement(); var rs = s.executeQuery("SELECT name FROM sqlite_schema"
                            + " WHERE type = 'trigger' ORDER BY rowid LIMIT " + n + " OFFSET " + (triggers - n) / 2)) {
                        while (rs.next()) {
                            names.add(rs.getString(1));
                        }
                    }
                    c.setAutoCommit(false);
                    for (String name : names) {
                        Db.exec(c, "DROP TRIGGER \"" + name + "\"");
                    }
                    c.commit();
                }
                List<Long> plain = new ArrayList<>();
                List<Long> bulk = new ArrayList<>();
                int statements = 0;
                for (int r = 0; r < runs + 1; r++) {
                    for (String mode : r % 2 == 0 ? new String[] {"never", "always"} : new String[] {"always", "never"}) {
                        Path f = dir.resolve("run.db");
                        Db.copy(damaged, f);
                        System.setProperty("fkguard.bulkTriggers", mode);
                        try (Connection c = Db.open(f, false)) {
                            long t0 = System.nanoTime();
                            Report report = FkGuard.sync(c, options);
                            long ns = System.nanoTime() - t0;
                            statements = report.statements().size();
                            if (r > 0) {
                                (mode.equals("never") ? plain : bulk).add(ns);
                            }
                        }
                        Db.delete(f);
                    }
                }
                System.clearProperty("fkguard.bulkTriggers");
                double p = median(plain) / 1e6;
                double b = median(bulk) / 1e6;
                System.out.printf("| %d | %d | %d | %.1f | %.1f | %+.1f |%n", tables, rows, statements, p, b, b - p);
                Db.delete(damaged);
            }
            Db.delete(base);
        }
    }

    private static double median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }
}
