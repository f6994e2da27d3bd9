package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the command line opens what the user names: never creating a database, refusing unsafe URLs, waiting for locks. */
class DatabasesTest extends InProcessCli {
    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void database() throws SQLException {
        db = dir.resolve("music.db");
        sql(db, "CREATE TABLE artist (id INTEGER PRIMARY KEY)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id))");
    }

    private long triggers(Path file) throws SQLException {
        return count(file, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'");
    }

    @Test
    void aPlusInAJdbcUrlIsAPlusAndNoDatabaseIsCreated() throws Exception {
        Files.copy(db, dir.resolve("a b.db"));
        assertEquals(2, fkguard("sync", "jdbc:sqlite:" + dir.resolve("a+b.db")));
        assertTrue(err.contains("no such database file"), err);
        assertFalse(Files.exists(dir.resolve("a+b.db")));
        assertEquals(0, triggers(dir.resolve("a b.db")));
    }

    @Test
    void aFileUriToAMissingFileCreatesNothingWhateverItsMode() {
        Path missing = dir.resolve("missing.db");
        assertEquals(2, fkguard("sync", "jdbc:sqlite:file:" + missing + "?mode=rwc"));
        assertFalse(Files.exists(missing));
        assertEquals(2, fkguard("check", "jdbc:sqlite:file:" + missing));
        assertFalse(Files.exists(missing));
    }

    @Test
    void aPathWithCharactersAUriGivesMeaningToIsOpenedLiterally() throws Exception {
        Path odd = dir.resolve("50% off?#1.db");
        Files.copy(db, odd);
        assertEquals(0, fkguard("sync", odd.toString()));
        assertEquals(4, triggers(odd));
    }

    @Test
    void anEmptyFileIsNotADatabaseAndStaysEmpty() throws Exception {
        Path empty = dir.resolve("empty.db");
        Files.createFile(empty);
        for (String command : new String[] {"sync", "drop", "check", "plan"}) {
            assertEquals(2, fkguard(command, empty.toString()), command);
            assertTrue(err.contains("is not a SQLite database"), err);
            assertEquals(0, Files.size(empty), command);
        }
    }

    @Test
    void aUrlThatTurnsTheRollbackJournalOffIsRefusedForSync() throws SQLException {
        assertEquals(2, fkguard("sync", "jdbc:sqlite:" + db + "?journal_mode=OFF"));
        assertTrue(err.contains("journal_mode is OFF"), err);
        assertEquals(0, triggers(db));
    }

    @Test
    void aUrlThatTurnsFileLockingOffIsRefusedForSyncAndDrop() throws SQLException {
        assertEquals(2, fkguard("sync", "jdbc:sqlite:file:" + db + "?nolock=1"));
        assertTrue(err.contains("nolock"), err);
        assertEquals(2, fkguard("drop", "jdbc:sqlite:file:" + db + "?immutable=1"));
        assertEquals(0, triggers(db));
    }

    @Test
    void aLockedDatabaseExitsThreeWithAHintAfterTheBusyTimeout() throws SQLException {
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = holder.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            assertEquals(3, fkguard("sync", "--busy-timeout=100", db.toString()));
            assertTrue(err.contains("is locked by another connection (waited 100 ms)"), err);
            assertTrue(err.contains("--busy-timeout"), err);
            assertEquals(3, fkguard("check", "--busy-timeout=0", db.toString()));
            st.execute("ROLLBACK");
        }
        assertEquals(0, triggers(db));
    }

    @Test
    void aWriterHoldingTheReservedLockMakesSyncExitThreeWhileCheckStillReads() throws SQLException {
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = holder.createStatement()) {
            st.execute("BEGIN IMMEDIATE");
            assertEquals(3, fkguard("sync", "--busy-timeout=100", db.toString()));
            assertTrue(err.contains("is locked by another connection (waited 100 ms)"), err);
            assertEquals(1, fkguard("check", "--busy-timeout=100", db.toString()));
            assertTrue(out.contains("out of sync"), out);
            st.execute("ROLLBACK");
        }
        assertEquals(0, triggers(db));
    }

    @Test
    void aUrlThatAsksForReadOnlyIsRefusedForSyncAndHonouredForCheck() throws SQLException {
        assertEquals(2, fkguard("sync", "jdbc:sqlite:file:" + db + "?mode=ro"));
        assertTrue(err.contains("mode=ro"), err);
        assertEquals(1, fkguard("check", "jdbc:sqlite:file:" + db + "?mode=ro"));
        assertEquals(0, triggers(db));
    }

    @Test
    void theUrlsBusyTimeoutIsHonoured() throws SQLException {
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = holder.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            long start = System.nanoTime();
            assertEquals(3, fkguard("sync", "jdbc:sqlite:" + db + "?busy_timeout=300"));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 250 && ms < 3000, "waited " + ms + " ms");
            assertTrue(err.contains("waited 300 ms"), err);
            st.execute("ROLLBACK");
        }
    }

    @Test
    void theSchemaOptionIsCaseInsensitive() throws SQLException {
        assertEquals(0, fkguard("sync", "--schema=MAIN", db.toString()));
        assertEquals(4, triggers(db));
    }

    /** The file as a crash in the middle of a write leaves it: pages half written, the hot journal beside it. */
    private Path crashedMidWrite() throws Exception {
        Path crashed = dir.resolve("crashed.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA cache_size = 2");
            st.execute("BEGIN");
            st.execute("CREATE TABLE uncommitted (x)");
            st.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)"
                    + " INSERT INTO uncommitted SELECT randomblob(1000) FROM n");
            Files.copy(db, crashed);
            Files.copy(Path.of(db + "-journal"), Path.of(crashed + "-journal"));
            st.execute("ROLLBACK");
        }
        return crashed;
    }

    @Test
    void checkAfterACrashMidWriteRollsTheHotJournalBackAndSaysSo() throws Exception {
        Path crashed = crashedMidWrite();
        assertEquals(1, fkguard("check", crashed.toString()));
        assertTrue(out.contains("out of sync: 4 trigger(s) missing"), out);
        assertTrue(err.contains("rolled back the interrupted write in " + crashed + "-journal"), err);
        assertFalse(Files.exists(Path.of(crashed + "-journal")));
        assertEquals(0, count(crashed, "SELECT count(*) FROM sqlite_master WHERE name = 'uncommitted'"),
                "the last committed state, without the interrupted write");
    }

    @Test
    void whenTheUrlRulesOutWritingAHotJournalIsLeftAloneAndTheMessageSaysWhatToDo() throws Exception {
        Path crashed = crashedMidWrite();
        assertEquals(2, fkguard("check", "jdbc:sqlite:file:" + crashed + "?mode=ro"));
        assertTrue(err.contains("has a hot journal"), err);
        assertTrue(err.contains("Open it once read-write"), err);
        assertTrue(Files.exists(Path.of(crashed + "-journal")));
    }

    @Test
    void aWalDatabaseInADirectoryThatMayNotBeWrittenGetsAMessageThatSaysSo() throws Exception {
        Path roDir = Files.createDirectory(dir.resolve("readonly"));
        Path wal = roDir.resolve("w.db");
        sql(wal, "PRAGMA journal_mode = WAL", "CREATE TABLE t (x)");
        Files.setPosixFilePermissions(roDir, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // root may write anywhere: there the directory cannot be made read-only, and the check does not apply
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(roDir), "running as a user who may write anywhere");
            assertEquals(2, fkguard("check", wal.toString()));
            assertTrue(err.contains("is in WAL mode: even reading it needs w.db-wal and w.db-shm"), err);
        } finally {
            Files.setPosixFilePermissions(roDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
