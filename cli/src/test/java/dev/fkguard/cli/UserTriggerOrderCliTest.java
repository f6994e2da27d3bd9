package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trigger of the user's created after fkguard's on a parent whose key acts: check says so, plan and sync put it right. */
class UserTriggerOrderCliTest extends InProcessCli {
    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void database() throws SQLException {
        db = dir.resolve("music.db");
        sql(db, "CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE RESTRICT)",
                "CREATE INDEX album_artist_id ON album(artist_id)");
        assertEquals(0, fkguard("sync", db.toString()), err);
        sql(db, "CREATE TRIGGER artist_gone AFTER DELETE ON artist BEGIN UPDATE album SET artist_id = NULL WHERE artist_id = old.id; END");
    }

    @Test
    void checkReportsAnActionTriggerOvertakenByAUserTriggerAndThatSyncFixesIt() {
        assertEquals(1, fkguard("check", "-v", db.toString()));
        assertTrue(out.contains("is older than artist_gone, a trigger of yours on AFTER DELETE of artist, so it fires after it")
                && out.contains("ON DELETE RESTRICT of album(artist_id) -> artist(id) runs after your trigger")
                && out.contains("fkguard sync creates"), out);
    }

    @Test
    void planShowsTheActionTriggerCreatedAgainAndSyncLeavesCheckHealthy() {
        assertEquals(0, fkguard("plan", db.toString()), err);
        assertTrue(out.contains("DROP TRIGGER IF EXISTS \"fkguard_artist_pdel_") && out.contains("CREATE TRIGGER \"fkguard_artist_pdel_"), out);
        assertEquals(0, fkguard("sync", db.toString()), err);
        assertEquals(0, fkguard("check", db.toString()), out + err);
    }
}
