package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fkguard run <db> -- <command>}, in-process, with sh as the command: statuses, arguments, the triggers after. */
class RunCommandTest extends InProcessCli {
    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void database() throws SQLException {
        db = dir.resolve("music.db");
        sql(db, "CREATE TABLE artist (id INTEGER PRIMARY KEY)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id))");
        assertEquals(0, fkguard("sync", "-q", db.toString()));
    }

    private long triggers(Path file) throws SQLException {
        return count(file, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'fkguard%'");
    }

    @Test
    void everythingAfterTheDoubleDashReachesTheCommandUntouched() throws Exception {
        Path args = dir.resolve("args.txt");
        assertEquals(0, fkguard("run", db.toString(), "--", "sh", "-c", "printf '%s\\n' \"$@\" > \"$0\"", args.toString(),
                "--", "--orphans=warn", "@file", "two words", "-q"), err);
        assertEquals(List.of("--", "--orphans=warn", "@file", "two words", "-q"), Files.readAllLines(args));
    }

    @Test
    void theCommandGetsFkguardsWorkingDirectoryAndEnvironment() throws Exception {
        Path seen = dir.resolve("seen.txt");
        assertEquals(0, fkguard("run", "-q", db.toString(), "--", "sh", "-c", "pwd > \"$0\"; printf '%s\\n' \"$PATH\" >> \"$0\"",
                seen.toString()), err);
        assertEquals(List.of(Path.of(System.getProperty("user.dir")).toRealPath().toString(), System.getenv("PATH")),
                Files.readAllLines(seen));
    }

    @Test
    void theTriggersAreDroppedBeforeTheCommandAndPutBackAfterIt() throws Exception {
        Path copy = dir.resolve("during.db");
        assertEquals(0, fkguard("run", "-q", db.toString(), "--", "cp", db.toString(), copy.toString()), err);
        assertEquals(0, triggers(copy), "the command saw no fkguard trigger");
        assertEquals(4, triggers(db));
    }

    @Test
    void aFailingCommandGivesItsOwnStatusAndTheTriggersAreBack() throws SQLException {
        assertEquals(7, fkguard("run", db.toString(), "--", "sh", "-c", "exit 7"));
        assertTrue(err.contains("fkguard run: the command exited with status 7; every foreign key is enforced again"), err);
        assertEquals(4, triggers(db));
    }

    @Test
    void aCommandThatCannotBeStartedExits127AndTheTriggersAreBack() throws SQLException {
        assertEquals(127, fkguard("run", "-q", db.toString(), "--", "no-such-command-fkguard"));
        assertTrue(err.contains("cannot start no-such-command-fkguard"), err);
        assertEquals(4, triggers(db));
    }

    @Test
    void aFileThatIsNotSqliteStopsRunBeforeTheCommandStarts() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.db"), "not a database\n".repeat(100));
        Path marker = dir.resolve("marker");
        assertEquals(2, fkguard("run", text.toString(), "--", "touch", marker.toString()));
        assertTrue(err.contains("is not a SQLite database") && err.contains("the command was not run"), err);
        assertFalse(Files.exists(marker));
    }

    @Test
    void aDatabaseTheCommandCreatesIsSyncedAfterIt() throws SQLException {
        Path fresh = dir.resolve("fresh.db");
        assertEquals(0, fkguard("run", fresh.toString(), "--", "cp", db.toString(), fresh.toString()), err);
        assertTrue(err.contains("does not exist yet"), err);
        assertEquals(4, triggers(fresh));
    }

    @Test
    void aDatabaseTheCommandDoesNotCreateIsAnInputErrorAndStaysUncreated() {
        Path typo = dir.resolve("typo.db");
        assertEquals(2, fkguard("run", "-q", typo.toString(), "--", "true"));
        assertTrue(err.contains("no such database file"), err);
        assertFalse(Files.exists(typo));
    }

    @Test
    void aCommandIsRequired() {
        assertEquals(2, fkguard("run", db.toString()));
        assertTrue(err.contains("<command>"), err);
    }
}
