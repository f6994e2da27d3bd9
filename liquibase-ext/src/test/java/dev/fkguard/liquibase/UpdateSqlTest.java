package dev.fkguard.liquibase;

import dev.fkguard.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** liquibase update-sql: prints what the sync would run, and runs nothing. */
class UpdateSqlTest {
    private static final String VOLATILE_NOTE =
            "WARNING The following SQL may change each run and therefore is possibly incorrect and/or invalid:";

    @TempDir
    Path dir;

    @Test
    void update_sql_prints_every_planned_trigger_statement_after_liquibases_note_that_it_depends_on_the_live_database()
            throws Exception {
        Path db = Sqlite.chinook(dir);
        Report plan = Sqlite.plan(db);

        String sql = Lb.classpath("changelogs/chinook.xml", db).updateSql();

        int syncChangeSet = sql.indexOf("-- Changeset changelogs/chinook.xml::fkguard-sync::fkguard");
        assertTrue(syncChangeSet >= 0, sql);
        int note = sql.indexOf(VOLATILE_NOTE, syncChangeSet);
        assertTrue(note > syncChangeSet, "no volatility note in the sync changeSet:\n" + sql);
        assertFalse(plan.statements().isEmpty());
        for (String statement : plan.statements()) {
            assertTrue(sql.indexOf(statement, note) > note, () -> "missing from update-sql: " + statement);
        }
    }

    @Test
    void update_sql_changes_nothing_in_the_database() throws Exception {
        Path db = Sqlite.chinook(dir);
        List<String> before = Sqlite.schema(db);

        Lb.classpath("changelogs/chinook.xml", db).updateSql();

        List<String> after = Sqlite.schema(db);
        after.removeIf(row -> row.contains("DATABASECHANGELOG")); // Liquibase creates its own tables even here
        assertEquals(before, after);
        assertTrue(Sqlite.fkguardTriggers(db).isEmpty());
    }

    @Test
    void update_sql_says_when_update_would_refuse_because_of_orphan_rows() throws Exception {
        Path db = Sqlite.chinook(dir);
        Sqlite.exec(db, Sqlite.BAD_TRACK);

        String sql = Lb.classpath("changelogs/chinook.xml", db).updateSql();

        assertTrue(sql.contains("-- fkguard: update would refuse (ORPHANS)"), sql);
        assertTrue(sql.contains("Track"), sql);
    }

    @Test
    void update_sql_with_an_offline_url_prints_a_comment_instead_of_a_plan() throws Exception {
        String url = "offline:sqlite?changeLogFile=" + dir.resolve("databasechangelog.csv").toAbsolutePath();

        String sql = Lb.runOnUrl(new liquibase.resource.ClassLoaderResourceAccessor(), "changelogs/chinook.xml", url,
                "updateSql");

        assertTrue(sql.contains("-- fkguard: no live database connection, so no trigger plan"), sql);
        assertFalse(sql.contains("CREATE TRIGGER"), sql);
    }
}
