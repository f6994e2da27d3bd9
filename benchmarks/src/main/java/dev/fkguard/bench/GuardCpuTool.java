package dev.fkguard.bench;

import dev.fkguard.MigrationGuard;
import dev.fkguard.Options;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * fkguard's own CPU in a migration, without Flyway around it: the migrate section's "200 migrations on a new file"
 * workload (each a table with two keys and 100 one-row INSERTs, one transaction per migration) run through
 * {@link MigrationGuard} ({@code begin}, {@code beforeStatement} for each statement, {@code finish}), timed in this
 * thread's CPU time, which a loaded machine disturbs far less than wall time. With {@code none}, the same
 * statements without the guard. With {@code rebuild}, each migration first rebuilds the table the one before it
 * created, the SQLite way (create the new table, copy, drop the old, rename), while that table is still a leaf.
 * To time another build of core with this tool, put its jar first on the class path.
 *
 * <pre>java -cp benchmarks/target/fkguard-benchmarks.jar dev.fkguard.bench.GuardCpuTool [migrations] [none] [rebuild]</pre>
 */
public final class GuardCpuTool {
    private GuardCpuTool() {
    }

    /** Table {@code name} as the workload's table {@code i} is defined: two keys, to tables i - 1 and (i + 1) / 2. */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<String> modes = List.of(args).subList(Math.min(1, args.length), args.length);
        boolean guard = !modes.contains("none");
        boolean rebuild = modes.contains("rebuild");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("fkguard-guard-cpu");
        Path file = dir.resolve("migrations.db");
        long begin = 0;
        long classify = 0;
        long finish = 0;
        long statements = 0;
        long commit = 0;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 1; i <= n; i++) {
                List<String> sql = new ArrayList<>();
                if (rebuild && i > 2) {
                    int r = i - 1;
                    sql.add(MigrateBench.freshTable("new_t" + r, r));
                    sql.add("INSERT INTO new_t" + r + " SELECT * FROM t" + r);
                    sql.add("DROP TABLE t" + r);
                    sql.add("ALTER TABLE new_t" + r + " RENAME TO t" + r);
                }
                sql.addAll(MigrateBench.freshMigration(i, 100));
                long t0 = cpu.getCurrentThreadCpuTime();
                MigrationGuard g = guard ? MigrationGuard.begin(c, Options.defaults()) : null;
                begin += cpu.getCurrentThreadCpuTime() - t0;
                for (String q : sql) {
                    long t1 = cpu.getCurrentThreadCpuTime();
                    if (g != null) {
                        g.beforeStatement(q);
                    }
                    long t2 = cpu.getCurrentThreadCpuTime();
                    st.execute(q);
                    classify += t2 - t1;
                    statements += cpu.getCurrentThreadCpuTime() - t2;
                }
                long t3 = cpu.getCurrentThreadCpuTime();
                if (g != null) {
                    g.finish();
                }
                long t4 = cpu.getCurrentThreadCpuTime();
                c.commit();
                finish += t4 - t3;
                commit += cpu.getCurrentThreadCpuTime() - t4;
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
        System.out.printf("%d migrations%s, %s: thread CPU ms: guard begin %.0f, beforeStatement %.0f, finish %.0f;"
                        + " the statements %.0f, commits %.0f%n", n, rebuild ? " (each rebuilding a table)" : "", guard ? "with MigrationGuard" : "without fkguard",
                begin / 1e6, classify / 1e6, finish / 1e6, statements / 1e6, commit / 1e6);
    }
}
