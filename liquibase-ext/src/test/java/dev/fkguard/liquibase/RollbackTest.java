package dev.fkguard.liquibase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** liquibase rollback: the triggers follow the schema back, by a sync in the rollback block or by the next update. */
class RollbackTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xml", "yaml", "json"})
    void rollback_block_ending_with_a_sync_leaves_the_triggers_matching_the_schema(String format) throws Exception {
        Path db = Sqlite.chinook(dir);
        Lb lb = Lb.classpath("changelogs/chinook." + format, db);
        lb.update();

        lb.rollbackCount(4);

        assertEquals(0, Sqlite.count(db, "select count(*) from sqlite_master where name in ('TrackReview', 'PlaylistNote')"));
        assertEquals(0, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"));
        Sqlite.assertTriggersMatchPlan(db);
        assertTrue(Sqlite.fkguardTriggers(db).values().stream()
                .noneMatch(sql -> sql.contains("TrackReview") || sql.contains("PlaylistNote")));
        Sqlite.assertChinookViolationsRefused(db);
    }

    @Test
    void rollback_without_a_sync_leaves_stale_triggers_that_the_next_update_removes() throws Exception {
        Path db = Sqlite.chinook(dir);
        Lb lb = Lb.classpath("changelogs/chinook.xml", db);
        lb.update();

        lb.rollbackCount(2); // the runAlways sync, then playlist-note, whose rollback is Liquibase's own dropTable

        assertFalse(Sqlite.plan(db).inSync(), "triggers on Playlist still check the dropped PlaylistNote");
        assertTrue(Sqlite.fkguardTriggers(db).values().stream().anyMatch(sql -> sql.contains("PlaylistNote")));
        SQLException stale = assertThrows(SQLException.class,
                () -> Sqlite.exec(db, "DELETE FROM Playlist WHERE PlaylistId = 2")); // a playlist without tracks
        assertTrue(stale.getMessage().contains("no such table"), stale.getMessage());

        lb.update();

        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.assertChinookViolationsRefused(db);
        Sqlite.assertRefused(db, "INSERT INTO PlaylistNote (NoteId, PlaylistId) VALUES (1, 99999)");
    }
}
