package dev.fkguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the harness at smoke size so it cannot rot. Asserts that every section ran and that the native and
 * fkguard copies end in the same state; never the speed targets (CI machines are not benchmark machines).
 */
class BenchmarksSmokeTest {

    private static boolean pythonRuns() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sqlite3").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void smokeRunCompletesAndEndStatesMatch(@TempDir Path tmp) throws Exception {
        Path chart = tmp.resolve("chart.svg");
        Path markdown = tmp.resolve("results.md");
        Benchmarks.Results r = Benchmarks.run("--smoke", "--dir", tmp.resolve("db").toString(),
            "--chart", chart.toString(), "--markdown", markdown.toString());

        assertEquals(4, r.dmlWorkloads(), "all four DML workloads ran");
        assertTrue(r.endStatesIdentical(), "native and fkguard end states identical:\n" + r.markdown());
        assertTrue(r.fkguardRejectsOrphan(), "the fkguard copy rejects an orphan on a foreign_keys=OFF connection");
        for (DmlBench.WorkloadResult w : r.dml().workloads()) {
            for (DmlBench.Variant v : DmlBench.Variant.values()) {
                assertEquals(1, w.stats().get(v).size(), w.workload().key() + " " + v + " measured");
            }
        }
        // the cascade workloads really cascaded: without enforcement the data ends differently
        assertTrue(r.dml().workloads().stream().filter(w -> w.workload().key().startsWith("cascade"))
            .noneMatch(DmlBench.WorkloadResult::noneEqualsNative), "cascades changed the native copy");

        assertEquals(3, r.syncSizes(), "three schema sizes synced");
        for (SyncBench.SizeResult s : r.sync().sizes()) {
            assertEquals(3 * s.tables(), s.foreignKeys(), "3 FKs per table");
            assertTrue(s.triggers() > 0);
            assertTrue(s.rebuiltCreated() > 0, "the sync after a rebuild put triggers back");
        }
        assertNotNull(r.sync().heap());
        assertTrue(r.sync().heap().ok(), "heap probe: " + r.sync().heap());
        assertTrue(r.hasConnection());
        PythonSqlite.Outcome py = r.connection().python();
        if (pythonRuns()) {
            assertTrue(py.ran(), "the connection benchmark also ran through Python's sqlite3: " + py.skipped());
            assertEquals(r.connection().with().size(), py.with().size(), "as many Python opens with triggers as JDBC opens");
            assertEquals(r.connection().with().size(), py.without().size(), "as many Python opens without triggers");
            assertTrue(r.markdown().contains("SQLite " + py.sqliteVersion() + " (python3)"), "the table names Python's SQLite");
        } else {
            assertTrue(r.markdown().contains("Python's sqlite3 not measured"), "a missing python3 is said, not hidden");
        }
        assertTrue(r.hasOrphans());
        OrphanBench.Case dirty = r.orphans().cases().get(1);
        assertTrue(dirty.orphans() > 0);
        assertEquals(dirty.orphans(), dirty.checkOrphans(), "FkGuard.check counts the orphans");
        assertEquals(dirty.orphans(), dirty.pragmaRows(), "PRAGMA foreign_key_check lists the orphans");
        assertEquals(dirty.orphans(), dirty.antiJoinOrphans(), "the reference query counts the orphans");
        assertTrue(dirty.syncOutcome().startsWith("refused"), "sync refuses orphans: " + dirty.syncOutcome());

        assertNotNull(r.addKey());
        assertTrue(r.addKey().sameSchema(), "add-key and the rebuild end with the same key and rows");
        assertTrue(r.addKey().triggersCreated() > 0, "add-key synced the key's triggers");

        assertTrue(r.hasMigrate());
        assertEquals(3, r.migrate().cases().size(), "Flyway fresh, Flyway big, Liquibase");
        for (MigrateBench.Case c : r.migrate().cases()) {
            assertTrue(c.triggers() > 0, c.key() + ": fkguard installed triggers");
            assertTrue(c.inSync(), c.key() + ": the fkguard run ends with the triggers of the plan");
            assertEquals(1, c.fkguard().size(), c.key() + " measured");
        }

        assertTrue(Files.readString(chart).contains("<svg"), "chart written");
        assertTrue(Files.readString(markdown).contains("| workload |"), "markdown written");
        assertTrue(r.markdown().contains("#### Targets"));
    }
}
