package dev.fkguard.bench;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;

/**
 * Helpers for {@code benchmarks/cli-cold.sh}, which times the executable jar in a new JVM per command:
 * {@code schema FILE N} writes the harness's N-table schema ({@link SyncBench#schema}) to a new file;
 * {@code rebuild FILE TABLE} rebuilds one table the SQLite way (its triggers are lost, as any migration tool
 * loses them); {@code ddl FILE} executes, in one transaction, exactly the statements a first sync of FILE would
 * run, with no fkguard code around them, and prints SQLite's own price for them: wall and thread CPU milliseconds.
 */
public final class CliColdTool {
    private CliColdTool() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "schema" -> SyncBench.createSchema(Path.of(args[1]), Integer.parseInt(args[2]));
            case "rebuild" -> {
                try (Connection c = Db.open(Path.of(args[1]), false)) {
                    SyncBench.rebuild(c, args[2]);
                }
            }
            case "ddl" -> {
                try (Connection c = Db.open(Path.of(args[1]), false)) {
                    Report plan = FkGuard.plan(c, Options.defaults().withOrphanPolicy(Options.OrphanPolicy.WARN));
                    List<String> statements = plan.statements();
                    c.setAutoCommit(false);
                    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
                    long cpu0 = mx.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    Db.exec(c, statements.toArray(String[]::new));
                    c.commit();
                    long ns = System.nanoTime() - t0;
                    long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                    System.out.printf("%d statements: %.0f ms, CPU %.0f ms%n", statements.size(), ns / 1e6, cpu / 1e6);
                }
            }
            default -> throw new IllegalArgumentException("schema FILE N | rebuild FILE TABLE | ddl FILE");
        }
    }
}
