package dev.fkguard.bench;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The part of a migration's cost that is SQLite's alone, on the migrate section's "migrations on a new file"
 * workload (each a table with two keys and 100 one-row INSERTs): for migration k, on a file holding the k - 1 tables
 * before it with fkguard's triggers, the CPU time of the migration's own statements and of the trigger statements
 * fkguard's plan then needs (the new table's checks and its parents' triggers), executed one by one, without any of
 * fkguard's code around them. Each of those runs the statement and re-reads {@code sqlite_schema}, so their cost grows
 * with the schema; it is what no change to fkguard's Java can remove. Thread CPU, median of 31 rolled-back repetitions.
 *
 * <pre>java -cp benchmarks/target/fkguard-benchmarks.jar dev.fkguard.bench.DdlFloorTool [k ...]</pre>
 */
public final class DdlFloorTool {
    private static final int REPEATS = 31;

    private DdlFloorTool() {
    }

    public static void main(String[] args) throws Exception {
        int[] ks = args.length == 0 ? new int[] {50, 100, 150, 200} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("fkguard-ddl-floor");
        System.out.println("| migration k | its own statements, ms CPU | fkguard's trigger statements | their SQLite time, ms CPU | ratio |");
        System.out.println("|---:|---:|---:|---:|---:|");
        for (int k : ks) {
            Path file = dir.resolve("k" + k + ".db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                for (int i = 1; i < k; i++) {
                    for (String q : MigrateBench.freshMigration(i, 100)) {
                        st.execute(q);
                    }
                }
                FkGuard.sync(c, Options.defaults());
                c.commit();
                long[] own = new long[REPEATS];
                long[] ddl = new long[REPEATS];
                int statements = 0;
                for (int r = 0; r < REPEATS; r++) {
                    // a first statement after a rollback of DDL reloads the schema: not part of either time
                    st.executeQuery("SELECT count(*) FROM sqlite_master").close();
                    long t0 = cpu.getCurrentThreadCpuTime();
                    for (String q : MigrateBench.freshMigration(k, 100)) {
                        st.execute(q);
                    }
                    own[r] = cpu.getCurrentThreadCpuTime() - t0;
                    Report plan = FkGuard.plan(c, Options.defaults());
                    statements = plan.statements().size();
                    long t1 = cpu.getCurrentThreadCpuTime();
                    for (String q : plan.statements()) {
                        st.execute(q);
                    }
                    ddl[r] = cpu.getCurrentThreadCpuTime() - t1;
                    c.rollback();
                }
                Arrays.sort(own);
                Arrays.sort(ddl);
                double o = own[REPEATS / 2] / 1e6;
                double d = ddl[REPEATS / 2] / 1e6;
                System.out.println(Stats.fmt("| %d | %.2f | %d | %.2f | %.2f |", k, o, statements, d, d / o));
            }
            Files.deleteIfExists(file);
        }
        Files.deleteIfExists(dir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            System.out.println("SQLite " + rs.getString(1) + "; median of " + REPEATS + " repetitions, thread CPU time");
        }
    }
}
