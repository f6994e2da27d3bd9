package dev.fkguard.liquibase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** liquibase update with the syncForeignKeyTriggers change type, in each changelog format. */
class UpdateTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xml", "yaml", "json"})
    void update_installs_triggers_equal_to_the_plan_that_refuse_violations_on_a_plain_connection(String format)
            throws Exception {
        Path db = Sqlite.chinook(dir);

        Lb.classpath("changelogs/chinook." + format, db).update();

        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.assertChinookViolationsRefused(db);
        Sqlite.assertRefused(db, "INSERT INTO TrackReview (ReviewId, TrackId, Stars) VALUES (2, 99999, 1)");
        Sqlite.assertRefused(db, "INSERT INTO PlaylistNote (NoteId, PlaylistId) VALUES (1, 99999)");
        assertEquals(4, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"));
    }
}
