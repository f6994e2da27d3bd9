package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code plan} or {@code sync} with nothing to change is answered from the file and its stamp before the driver is
 * loaded ({@link NoOpFromFile}), printing byte for byte what the full path prints; anything else takes the full path.
 */
class NoOpFromFileTest extends InProcessCli {
    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void syncedDatabase() throws SQLException {
        db = dir.resolve("shop.db");
        // customer_id has no index: the plan warns, so the no-op output has warning lines to compare
        sql(db, "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer(id) ON DELETE CASCADE)",
                "CREATE TABLE line (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id), sku TEXT)",
                "CREATE INDEX line_order ON line(order_id)");
        assertEquals(0, fkguard("sync", db.toString()));
    }

    @AfterEach
    void enable() {
        NoOpFromFile.enabled = true;
    }

    private record Run(int status, String out, String err) {
    }

    private Run run(String... args) {
        int status = fkguard(args);
        return new Run(status, out, err);
    }

    /** The command by the full path, then as the CLI runs it; asserts the second was answered from the file. */
    private void assertAnsweredFromTheFileAsTheFullPathAnswers(String... args) {
        NoOpFromFile.enabled = false;
        Run full = run(args);
        NoOpFromFile.enabled = true;
        long before = NoOpFromFile.ANSWERED.get();
        Run fast = run(args);
        assertEquals(before + 1, NoOpFromFile.ANSWERED.get(), "answered from the file: " + String.join(" ", args));
        assertEquals(full, fast, String.join(" ", args));
    }

    private boolean answeredFromTheFile(String... args) {
        long before = NoOpFromFile.ANSWERED.get();
        fkguard(args);
        return NoOpFromFile.ANSWERED.get() == before + 1;
    }

    @Test
    void theBundledSqliteVersionIsTheOneTheDriverRuns() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sqlite_version()")) {
            rs.next();
            assertEquals(Optional.of(rs.getString(1)), NoOpFromFile.bundledSqliteVersion());
        }
    }

    @Test
    void aNoOpPlanOrSyncPrintsByteForByteWhatTheFullPathPrints() {
        String file = db.toString();
        for (String[] args : List.of(new String[] {"sync", file}, new String[] {"sync", "-v", file},
                new String[] {"sync", "-q", file}, new String[] {"sync", "--orphans=warn", file},
                new String[] {"plan", file}, new String[] {"plan", "-v", file}, new String[] {"plan", "-q", file},
                new String[] {"plan", "--json", file}, new String[] {"sync", "jdbc:sqlite:" + file})) {
            assertAnsweredFromTheFileAsTheFullPathAnswers(args);
        }
        NoOpFromFile.enabled = false;
        assertTrue(run("plan", file).err().contains("1 warning"), "there are warning lines to compare: " + err);
    }

    @Test
    void excludedTablesAndBrokenKeysTakeTheFullPathUntilASyncWithThemStampsTheFile() {
        String file = db.toString();
        assertFalse(answeredFromTheFile("plan", "--exclude=line", file), "the stamp is for other options");
        assertEquals(0, fkguard("sync", "--exclude=line", file));
        assertAnsweredFromTheFileAsTheFullPathAnswers("sync", "--exclude=line", file);
        assertFalse(answeredFromTheFile("sync", "--broken-keys=enforce", "--exclude=line", file));
    }

    @Test
    void aHandEditedTriggerIsNeverAnsweredFromTheFileAndSyncRecreatesIt() throws SQLException {
        String name;
        String text;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE"
                     + " 'fkguard%' AND sql NOT LIKE '%in-sync stamp%' ORDER BY rowid LIMIT 1")) {
            rs.next();
            name = rs.getString(1);
            text = rs.getString(2);
        }
        String edited = text.replaceFirst("(?s)BEGIN.*END$", "BEGIN SELECT 1; END");
        sql(db, "DROP TRIGGER \"" + name + "\"", edited);
        assertFalse(answeredFromTheFile("sync", db.toString()));
        assertTrue(out.contains("created 1, dropped 1"), out);
        assertEquals(text, triggerText(name), "the full path re-created the planned trigger");
        assertTrue(answeredFromTheFile("sync", db.toString()), "in sync and stamped again");
    }

    private String triggerText(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT sql FROM sqlite_master WHERE name = '" + name + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void checkPartialUrlsWithParametersAndOtherSchemasTakeTheFullPath() {
        String file = db.toString();
        assertFalse(answeredFromTheFile("check", file));
        assertEquals(0, fkguard("check", file));
        assertFalse(answeredFromTheFile("sync", "--partial", file));
        assertFalse(answeredFromTheFile("sync", "jdbc:sqlite:" + file + "?busy_timeout=100"));
        assertFalse(answeredFromTheFile("plan", "jdbc:sqlite:file:" + file));
        assertFalse(answeredFromTheFile("plan", "--schema=other", file));
        assertFalse(answeredFromTheFile("sync", "--busy-timeout=-1", file));
        assertEquals(2, fkguard("sync", "--busy-timeout=-1", file), "refused as before");
    }

    @Test
    void aZeroByteFileIsRefusedExactlyAsBefore() throws Exception {
        Path empty = Files.write(dir.resolve("empty.db"), new byte[0]);
        NoOpFromFile.enabled = false;
        Run full = run("sync", empty.toString());
        NoOpFromFile.enabled = true;
        assertEquals(full, run("sync", empty.toString()));
        assertEquals(2, full.status());
        assertTrue(full.err().contains("the file is empty"), full.err());
        assertEquals(0, Files.size(empty));
    }

    @Test
    void aSyncWhileAnotherProcessHoldsAWriteLockWaitsAndReportsBusyAsBeforeWhilePlanAnswers() throws Exception {
        String file = db.toString();
        if (!sqlite3Installed()) {
            if (System.getenv("FKGUARD_CI") != null) {
                org.junit.jupiter.api.Assertions.fail("the sqlite3 shell is not installed; .ci/run installs it");
            }
            org.junit.jupiter.api.Assumptions.abort("skipped outside CI: the sqlite3 shell is not installed");
        }
        Process shell = new ProcessBuilder("sqlite3", file).redirectErrorStream(true).start();
        try (java.io.Writer in = new java.io.OutputStreamWriter(shell.getOutputStream(), StandardCharsets.UTF_8);
             java.io.BufferedReader out = new java.io.BufferedReader(
                     new java.io.InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
            in.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
            in.flush();
            assertEquals("locked", out.readLine());
            NoOpFromFile.enabled = false;
            Run full = run("sync", "--busy-timeout=100", file);
            NoOpFromFile.enabled = true;
            assertFalse(answeredFromTheFile("sync", "--busy-timeout=100", file));
            assertEquals(full, new Run(fkguard("sync", "--busy-timeout=100", file), this.out, err));
            assertEquals(Main.BUSY, full.status(), full.err());
            assertAnsweredFromTheFileAsTheFullPathAnswers("plan", file);
            in.write("COMMIT;\n");
        } finally {
            assertTrue(shell.waitFor(10, TimeUnit.SECONDS));
        }
    }

    private static boolean sqlite3Installed() {
        try {
            return new ProcessBuilder("sqlite3", "-version").start().waitFor() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theJarsNoOpSyncNeverLoadsTheDriver() throws Exception {
        Path log = dir.resolve("classes.log");
        Run jvm = java(log, "sync", db.toString());
        NoOpFromFile.enabled = false;
        Run full = run("sync", db.toString());
        assertEquals(full, jvm, "the same exit status and output as the full path");
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.fkguard.FileStamp")), "it ran the file path");
        assertFalse(loaded.stream().anyMatch(l -> l.contains("org.sqlite.")), "no class of sqlite-jdbc was loaded");
        // the same log shows the driver when a command needs it
        java(log, "check", db.toString());
        assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.contains("org.sqlite.core.NativeDB")));
    }

    /** fkguard in a JVM of its own, its class loading logged to {@code log}. */
    private static Run java(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }
}
