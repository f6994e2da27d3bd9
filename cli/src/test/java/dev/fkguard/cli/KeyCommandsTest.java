package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** add-key and drop-key in-process: exit statuses, messages, and the declaration SQLite reads afterwards. */
class KeyCommandsTest extends InProcessCli {
    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void database() throws SQLException {
        db = dir.resolve("music.db");
        sql(db, "CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER, title TEXT)",
                "INSERT INTO artist VALUES (1, 'a')",
                "INSERT INTO album VALUES (10, 1, 'x')");
    }

    private long keys() throws SQLException {
        return count(db, "SELECT count(*) FROM pragma_foreign_key_list('album')");
    }

    @Test
    void addKeyDeclaresTheKeyAndSaysWhatItDid() throws SQLException {
        int status = fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist_id", "--parent", "artist");

        assertEquals(0, status, err);
        assertTrue(out.contains("added foreign key album(artist_id) -> artist; created "), out);
        assertEquals(1, keys());
    }

    @Test
    void dropKeyByColumnsRemovesTheDeclaration() throws SQLException {
        assertEquals(0, fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist_id", "--parent", "artist"));

        assertEquals(0, fkguard("drop-key", db.toString(), "--table", "album", "--columns", "artist_id"), err);

        assertEquals(0, keys());
    }

    @Test
    void dryRunPrintsTheEditAndChangesNothing() throws SQLException {
        int status = fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist_id", "--parent", "artist",
                "--dry-run");

        assertEquals(0, status, err);
        assertTrue(out.startsWith("PRAGMA writable_schema = ON;"), out);
        assertEquals(0, keys());
    }

    @Test
    void aRefusedKeyExitsOneAndNamesTheProblem() throws SQLException {
        int status = fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist", "--parent", "artist");

        assertEquals(1, status);
        assertTrue(err.contains("refused, nothing was changed"), err);
        assertTrue(err.contains("child column album.artist does not exist"), err);
        assertEquals(0, keys());
    }

    @Test
    void anUnknownActionIsAUsageError() {
        int status = fkguard("add-key", db.toString(), "--table", "album", "--columns", "artist_id", "--parent", "artist",
                "--on-delete", "explode");

        assertEquals(2, status);
        assertTrue(err.contains("ON DELETE must be one of NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT, not 'explode'"), err);
    }

    @Test
    void dropKeyNeedsANameOrColumns() {
        assertEquals(2, fkguard("drop-key", db.toString(), "--table", "album"));
        assertTrue(err.contains("give either --name or --columns"), err);
    }
}
