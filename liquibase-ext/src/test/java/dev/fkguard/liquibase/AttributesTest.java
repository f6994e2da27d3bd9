package dev.fkguard.liquibase;

import dev.fkguard.Options;
import liquibase.exception.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** schemaName, orphanPolicy, excludeTables and brokenKeys: what they do, and how wrong values are reported. */
class AttributesTest {
    @TempDir
    Path dir;

    @Test
    void unknown_orphan_policy_fails_validation_naming_the_allowed_values_and_runs_nothing() throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "c.xml",
                "<changeSet id=\"s\" author=\"t\"><fkguard:syncForeignKeyTriggers orphanPolicy=\"ignore\"/></changeSet>");

        Exception e = assertThrows(CommandExecutionException.class, () -> Lb.directory(dir, "c.xml", db).update());

        assertTrue(e.getMessage().contains("orphan policy must be 'fail' or 'warn', not 'ignore'"), e.getMessage());
        assertTrue(Sqlite.fkguardTriggers(db).isEmpty());
    }

    @Test
    void exclude_tables_with_an_empty_entry_fails_validation_with_the_list_quoted() throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "c.xml",
                "<changeSet id=\"s\" author=\"t\"><fkguard:syncForeignKeyTriggers excludeTables=\"Track,,Album\"/></changeSet>");

        Exception e = assertThrows(CommandExecutionException.class, () -> Lb.directory(dir, "c.xml", db).update());

        assertTrue(e.getMessage().contains("excludeTables") && e.getMessage().contains("'Track,,Album'"), e.getMessage());
    }

    @Test
    void blank_schema_name_fails_validation() throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.write(dir, "c.yaml", """
                databaseChangeLog:
                  - changeSet: { id: s, author: t, changes: [ { syncForeignKeyTriggers: { schemaName: " " } } ] }
                """);

        Exception e = assertThrows(CommandExecutionException.class, () -> Lb.directory(dir, "c.yaml", db).update());

        assertTrue(e.getMessage().contains("schemaName"), e.getMessage());
    }

    @Test
    void an_attribute_the_xsd_does_not_declare_is_rejected_when_the_xml_changelog_is_parsed() throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "c.xml",
                "<changeSet id=\"s\" author=\"t\"><fkguard:syncForeignKeyTriggers orphanPolicyy=\"warn\"/></changeSet>");

        Exception e = assertThrows(CommandExecutionException.class, () -> Lb.directory(dir, "c.xml", db).update());

        assertTrue(e.getMessage().contains("orphanPolicyy"), e.getMessage());
    }

    @Test
    void excluded_tables_get_no_triggers_as_child_or_as_parent() throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "c.xml", "<changeSet id=\"s\" author=\"t\">"
                + "<fkguard:syncForeignKeyTriggers schemaName=\"main\" orphanPolicy=\"FAIL\" excludeTables=\"Genre, PlaylistTrack\"/>"
                + "</changeSet>");

        Lb.directory(dir, "c.xml", db).update();

        Options options = Options.defaults().withExcludedTables(Set.of("Genre", "PlaylistTrack"));
        Sqlite.assertTriggersMatchPlan(db, options);
        assertTrue(Sqlite.fkguardTriggers(db).values().stream()
                .noneMatch(sql -> java.util.regex.Pattern.compile("\\b(Genre|PlaylistTrack)\\b").matcher(sql).find()));
        Sqlite.assertRefused(db, Sqlite.BAD_TRACK); // Album and MediaType are still guarded
        Sqlite.exec(db, Sqlite.DELETE_USED_GENRE); // Genre is left alone
        assertEquals(0, Sqlite.count(db, "select count(*) from Genre where GenreId = 24"));
        assertFalse(Sqlite.fkguardTriggers(db).isEmpty());
    }

    @Test
    void broken_keys_enforce_installs_every_valid_key_and_refuses_writes_that_need_the_broken_one_with_sqlites_message()
            throws Exception {
        Path db = Sqlite.chinook(dir);
        Sqlite.exec(db, "CREATE TABLE LeftOver (Id INTEGER PRIMARY KEY, GoneId INTEGER REFERENCES Gone (Id))");
        Changelogs.xml(dir, "c.xml",
                "<changeSet id=\"s\" author=\"t\"><fkguard:syncForeignKeyTriggers brokenKeys=\"enforce\"/></changeSet>");

        Lb.directory(dir, "c.xml", db).update();

        Sqlite.assertTriggersMatchPlan(db, Options.defaults().withBrokenKeys(Options.BrokenKeys.ENFORCE));
        Sqlite.assertRefused(db, Sqlite.BAD_TRACK);
        Exception e = assertThrows(java.sql.SQLException.class, () -> Sqlite.exec(db, "INSERT INTO LeftOver VALUES (1, NULL)"));
        assertTrue(e.getMessage().contains("no such table: main.Gone"), e.getMessage());
    }

    @Test
    void unknown_broken_keys_value_fails_validation_naming_the_allowed_values() throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "c.xml",
                "<changeSet id=\"s\" author=\"t\"><fkguard:syncForeignKeyTriggers brokenKeys=\"skip\"/></changeSet>");

        Exception e = assertThrows(CommandExecutionException.class, () -> Lb.directory(dir, "c.xml", db).update());

        assertTrue(e.getMessage().contains("broken keys must be 'refuse' or 'enforce', not 'skip'"), e.getMessage());
    }
}
