package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it, in-process: exit status, output, and the database afterwards. */
class MainTest extends InProcessCli {
    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void database() throws SQLException {
        db = dir.resolve("music.db");
        sql("CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id), title TEXT)",
                "CREATE INDEX album_artist ON album(artist_id)",
                "INSERT INTO artist VALUES (1, 'a')", "INSERT INTO album VALUES (10, 1, 'x')");
    }

    private void sql(String... statements) throws SQLException {
        sql(db, statements);
    }

    private long count(String query) throws SQLException {
        return count(db, query);
    }

    private long triggers() throws SQLException {
        return count("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'fkguard%'");
    }

    @Test
    void syncInstallsTheTriggersAndSaysSoOnOneScreen() throws SQLException {
        assertEquals(0, fkguard("sync", db.toString()));
        assertTrue(out.contains("created 4, dropped 0, kept 0 fkguard triggers for 1 foreign keys"), out);
        assertTrue(out.lines().count() < 25, out);
        assertEquals(4, triggers());
    }

    @Test
    void checkExitsOneWhenTriggersAreMissingAndZeroOnceSynced() {
        assertEquals(1, fkguard("check", db.toString()));
        assertTrue(out.contains("out of sync: 4 trigger(s) missing"), out);
        fkguard("sync", db.toString());
        assertEquals(0, fkguard("check", db.toString()));
        assertTrue(out.startsWith("ok: 4 fkguard triggers in sync"), out);
    }

    @Test
    void checkExitsOneWhenRowsBreakAKeyEvenWithTriggersInSync() throws SQLException {
        sql("INSERT INTO album VALUES (11, 99, 'orphan')");
        fkguard("sync", "--orphans=warn", db.toString());
        assertEquals(1, fkguard("check", db.toString()));
        assertTrue(out.contains("1 row of album breaks foreign key album(artist_id) -> artist(id)"), out);
    }

    @Test
    void planPrintsTheStatementsOfSyncAndNothingOnceInSync() {
        assertEquals(0, fkguard("plan", db.toString()));
        assertEquals(4, out.split("CREATE TRIGGER").length - 1, out);
        fkguard("sync", db.toString());
        assertEquals(0, fkguard("plan", db.toString()));
        assertEquals("", out);
    }

    @Test
    void planAndCheckSpeakJsonForDeploymentTools() {
        assertEquals(0, fkguard("plan", "--json", db.toString()));
        assertTrue(out.startsWith("{\"inSync\":false,\"healthy\":false,\"foreignKeys\":1"), out);
        assertTrue(out.contains("\"statements\":[\"CREATE TRIGGER \\\"fkguard_"), out);
        fkguard("sync", db.toString());
        assertEquals(0, fkguard("check", "--json", db.toString()));
        assertTrue(out.startsWith("{\"inSync\":true,\"healthy\":true"), out);
    }

    @Test
    void orphansMakeSyncRefuseWithExitOneAndChangeNothing() throws SQLException {
        sql("INSERT INTO album VALUES (11, 99, 'orphan')");
        assertEquals(1, fkguard("sync", db.toString()));
        assertTrue(err.contains("refused, nothing was changed"), err);
        assertTrue(err.contains("1 row of album breaks foreign key album(artist_id) -> artist(id): no parent row matches (rowid 11)"), err);
        assertEquals(0, triggers());
    }

    @Test
    void withOrphansWarnSyncInstallsTheTriggersAndReportsTheRows() throws SQLException {
        sql("INSERT INTO album VALUES (11, 99, 'orphan')");
        assertEquals(0, fkguard("sync", "--orphans", "warn", db.toString()));
        assertTrue(out.contains("warning: 1 row of album breaks"), out);
        assertEquals(4, triggers());
    }

    @Test
    void aPathThatDoesNotExistIsAnInputErrorAndNoDatabaseIsCreated() {
        Path missing = dir.resolve("missing.db");
        assertEquals(2, fkguard("sync", missing.toString()));
        assertTrue(err.contains("no such database file"), err);
        assertFalse(Files.exists(missing));
    }

    @Test
    void aJdbcUrlToAMissingFileIsAnInputErrorAndNoDatabaseIsCreated() {
        Path missing = dir.resolve("missing.db");
        assertEquals(2, fkguard("sync", "jdbc:sqlite:" + missing));
        assertFalse(Files.exists(missing));
    }

    @Test
    void aJdbcUrlIsAcceptedAsTheDatabase() throws SQLException {
        assertEquals(0, fkguard("sync", "jdbc:sqlite:" + db));
        assertEquals(4, triggers());
    }

    @Test
    void aFileThatIsNotSqliteIsAnInputErrorAndIsLeftAlone() throws Exception {
        Path text = dir.resolve("notes.db");
        Files.writeString(text, "these are not the pages you are looking for\n".repeat(100));
        String before = Files.readString(text);
        assertEquals(2, fkguard("sync", text.toString()));
        assertTrue(err.contains("is not a SQLite database"), err);
        assertEquals(before, Files.readString(text));
    }

    @Test
    void dropRemovesFkguardTriggersOnly() throws SQLException {
        sql("CREATE TRIGGER audit AFTER INSERT ON album BEGIN SELECT 1; END");
        fkguard("sync", db.toString());
        assertEquals(0, fkguard("drop", db.toString()));
        assertTrue(out.contains("dropped 4 fkguard triggers"), out);
        assertEquals(0, triggers());
        assertEquals(1, count("SELECT count(*) FROM sqlite_master WHERE name = 'audit'"));
    }

    @Test
    void excludedTablesAreLeftAlone() throws SQLException {
        assertEquals(0, fkguard("sync", "--exclude", "album", db.toString()));
        assertEquals(0, triggers());
    }

    @Test
    void quietPrintsNothingOnSuccess() {
        assertEquals(0, fkguard("sync", "--quiet", db.toString()));
        assertEquals("", out);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"plan", "sync", "check", "drop"}) {
            assertEquals(0, fkguard(command, "--help"));
            assertTrue(out.contains("Usage: fkguard " + command), out);
        }
    }

    @Test
    void anUnknownCommandOrOptionIsAUsageError() {
        assertEquals(2, fkguard("frobnicate", db.toString()));
        assertEquals(2, fkguard("sync", "--orphans", "maybe", db.toString()));
        assertTrue(err.contains("orphan policy must be 'fail' or 'warn'"), err);
        assertEquals(2, fkguard("sync"));
    }
}
