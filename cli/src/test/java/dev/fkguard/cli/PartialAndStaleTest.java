package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sync --partial}, and stale triggers named by {@code check} and {@code check --json}. */
class PartialAndStaleTest extends InProcessCli {
    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void database() throws SQLException {
        db = dir.resolve("music.db");
        sql(db, "CREATE TABLE artist (id INTEGER PRIMARY KEY)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id))",
                "CREATE TABLE track (id INTEGER PRIMARY KEY, album_id INTEGER REFERENCES album(id))",
                "INSERT INTO artist VALUES (1)", "INSERT INTO album VALUES (1, 1)");
    }

    @Test
    void syncPartialEnforcesTheCleanKeysReportsTheOrphanedOneAndExitsOne() throws SQLException {
        sql(db, "INSERT INTO track VALUES (5, 99)");
        assertEquals(1, fkguard("sync", "--partial", db.toString()));
        assertTrue(out.contains("for 1 foreign keys"), out);
        assertTrue(err.contains("1 foreign key is left unenforced; every other key is enforced"), err);
        assertTrue(err.contains("problem: 1 row of track breaks foreign key track(album_id) -> album(id): no parent row"
                + " matches (rowid 5)"), err);
        SQLException e = assertThrows(SQLException.class, () -> sql(db, "INSERT INTO album VALUES (2, 99)"));
        assertTrue(e.getMessage().contains("album(artist_id) -> artist(id)"), e.getMessage());
    }

    @Test
    void checkNamesEachStaleTriggerAndWhatItBreaks() throws SQLException {
        assertEquals(0, fkguard("sync", "-q", db.toString()));
        sql(db, "DROP TABLE track");
        assertEquals(1, fkguard("check", db.toString()));
        assertTrue(out.matches("(?s).*stale: fkguard_album_pdel_\\w+ names table track, which no longer exists: DELETE FROM"
                + " album fails, and ALTER TABLE RENAME / DROP COLUMN fail on every table, until `fkguard sync` replaces it.*"), out);
        assertTrue(out.contains("names table track, which no longer exists: UPDATE of album(id) fails"), out);
    }

    @Test
    void checkJsonCarriesTheStaleTriggersAsFacts() throws SQLException {
        assertEquals(0, fkguard("sync", "-q", db.toString()));
        sql(db, "DROP TABLE track");
        assertEquals(1, fkguard("check", "--json", db.toString()));
        assertTrue(out.matches("(?s).*\"staleTriggers\":\\[.*\\{\"name\":\"fkguard_album_pdel_\\w+\",\"table\":\"album\","
                + "\"missingTables\":\\[\"track\"\\],\"missingColumns\":\\[\\],\"fails\":\\[\"DELETE FROM album\","
                + "\"ALTER TABLE ... RENAME on any table\",\"ALTER TABLE ... DROP COLUMN on any table\"\\],\"message\":.*"), out);
        assertEquals(0, fkguard("plan", "--json", db.toString()), "a plan refuses nothing: the stale triggers are replaced");
        assertTrue(out.contains("\"missingTables\":[\"track\"]"), out);
    }

    @Test
    void syncReplacesTheStaleTriggersAndSaysSo() throws SQLException {
        assertEquals(0, fkguard("sync", "-q", db.toString()));
        sql(db, "DROP TABLE track");
        assertEquals(0, fkguard("sync", db.toString()));
        assertTrue(out.contains("replaced stale trigger fkguard_album_pdel_"), out);
        assertEquals(0, fkguard("check", db.toString()), out);
    }
}
