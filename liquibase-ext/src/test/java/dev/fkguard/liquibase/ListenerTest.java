package dev.fkguard.liquibase;

import dev.fkguard.Options;
import liquibase.exception.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FkGuardChangeExecListener: a sync after every changeSet, for changelogs that do not mention fkguard. */
class ListenerTest {
    private static final String LISTENER = FkGuardChangeExecListener.class.getName();

    @TempDir
    Path dir;

    @Test
    void listener_syncs_after_each_changeSet_of_a_changelog_without_fkguard_changes() throws Exception {
        Path db = Sqlite.chinook(dir);

        Lb.classpath("changelogs/chinook-plain.yaml", db).with("changeExecListenerClass", LISTENER).update();

        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.assertChinookViolationsRefused(db);
        Sqlite.assertRefused(db, "INSERT INTO TrackReview (ReviewId, TrackId, Stars) VALUES (2, 99999, 1)");
        Sqlite.assertRefused(db, "INSERT INTO PlaylistNote (NoteId, PlaylistId) VALUES (1, 99999)");
    }

    @Test
    void without_the_listener_the_same_changelog_installs_no_trigger() throws Exception {
        Path db = Sqlite.chinook(dir);

        Lb.classpath("changelogs/chinook-plain.yaml", db).update();

        assertTrue(Sqlite.fkguardTriggers(db).isEmpty());
    }

    @Test
    void listener_refusal_fails_the_changeSet_that_added_orphans_and_rolls_it_back() throws Exception {
        Path db = Sqlite.chinook(dir);
        Lb.classpath("changelogs/chinook-plain.yaml", db).with("changeExecListenerClass", LISTENER).update();
        List<String> schema = Sqlite.schema(db);
        long ran = Sqlite.count(db, "select count(*) from DATABASECHANGELOG");
        Changelogs.write(dir, "orphans.yaml", """
                databaseChangeLog:
                  - changeSet:
                      id: orphan-table
                      author: t
                      changes:
                        - sql: { sql: "CREATE TABLE Lyrics (LyricsId INTEGER PRIMARY KEY, TrackId INTEGER REFERENCES Track(TrackId))" }
                        - sql: { sql: "INSERT INTO Lyrics VALUES (1, 99999)" }
                """);

        CommandExecutionException e = assertThrows(CommandExecutionException.class, () ->
                Lb.directory(dir, "orphans.yaml", db).with("changeExecListenerClass", LISTENER).update());

        assertTrue(e.getMessage().contains("fkguard refused to sync") && e.getMessage().contains("Lyrics"), e.getMessage());
        assertEquals(schema, Sqlite.schema(db));
        assertEquals(ran, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"));
    }

    @Test
    void listener_syncs_again_after_each_rolled_back_changeSet() throws Exception {
        Path db = Sqlite.chinook(dir);
        Lb lb = Lb.classpath("changelogs/chinook-plain.yaml", db).with("changeExecListenerClass", LISTENER);
        lb.update();

        lb.rollbackCount(1); // playlist-note: Liquibase drops PlaylistNote, the listener removes Playlist's triggers for it

        assertEquals(0, Sqlite.count(db, "select count(*) from sqlite_master where name = 'PlaylistNote'"));
        Sqlite.assertTriggersMatchPlan(db);
        assertTrue(Sqlite.fkguardTriggers(db).values().stream().noneMatch(sql -> sql.contains("PlaylistNote")));
    }

    @Test
    void listener_reads_its_settings_from_the_properties_file() throws Exception {
        Path db = Sqlite.chinook(dir);
        Path properties = Changelogs.write(dir, "fkguard.properties", "excludeTables=Genre\norphanPolicy=warn\n");

        Lb.classpath("changelogs/chinook-plain.yaml", db).with("changeExecListenerClass", LISTENER)
                .with("changeExecListenerPropertiesFile", properties.toString()).update();

        Sqlite.assertTriggersMatchPlan(db, Options.defaults().withExcludedTables(Set.of("Genre")));
        Sqlite.exec(db, Sqlite.DELETE_USED_GENRE); // Genre is left alone
        Sqlite.assertRefused(db, Sqlite.BAD_TRACK);
    }

    @Test
    void listener_rejects_a_bad_setting_with_a_clear_message() throws Exception {
        Path db = Sqlite.chinook(dir);
        Path properties = Changelogs.write(dir, "fkguard.properties", "orphanPolicy=sometimes\n");

        Exception e = assertThrows(Exception.class, () -> Lb.classpath("changelogs/chinook-plain.yaml", db)
                .with("changeExecListenerClass", LISTENER)
                .with("changeExecListenerPropertiesFile", properties.toString()).update());

        Throwable cause = e;
        StringBuilder messages = new StringBuilder();
        while (cause != null) {
            messages.append(cause.getMessage()).append('\n');
            cause = cause.getCause();
        }
        assertTrue(messages.toString().contains("orphan policy must be 'fail' or 'warn', not 'sometimes'"),
                messages.toString());
        assertTrue(Sqlite.fkguardTriggers(db).isEmpty());
    }
}
