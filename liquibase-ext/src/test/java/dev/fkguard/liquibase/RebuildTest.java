package dev.fkguard.liquibase;

import liquibase.exception.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liquibase changes such as addDefaultValue and dropColumn rebuild a SQLite table (rename to X_temporary, create,
 * copy, drop). The rebuilt table's triggers go with the old table, and SQLite rewrites other tables' triggers to
 * point at X_temporary. A sync afterwards puts the triggers back in line with the schema.
 */
class RebuildTest {
    /** Genre is a parent (of Track): its rebuild renames it to Genre_temporary and back. */
    private static final String GENRE_REBUILD =
            "<addDefaultValue tableName=\"Genre\" columnName=\"Name\" defaultValue=\"Unknown\"/>";

    @TempDir
    Path dir;

    /** A sync, then {@code change} (a table rebuild), then a runAlways sync. */
    private static String rebuildBetweenSyncs(String change) {
        return "<changeSet id=\"sync-1\" author=\"t\"><fkguard:syncForeignKeyTriggers/></changeSet>\n"
                + "<changeSet id=\"rebuild\" author=\"t\">" + change + "</changeSet>\n"
                + "<changeSet id=\"sync-2\" author=\"t\" runAlways=\"true\"><fkguard:syncForeignKeyTriggers/></changeSet>";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "<addDefaultValue tableName=\"InvoiceLine\" columnName=\"Quantity\" defaultValueNumeric=\"1\"/>",
        "<dropColumn tableName=\"InvoiceLine\" columnName=\"UnitPrice\"/>"})
    void sync_after_a_rebuild_of_a_child_table_removes_the_stale_triggers_left_on_its_parents(String rebuild)
            throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "c.xml", rebuildBetweenSyncs(rebuild));
        Lb lb = Lb.directory(dir, "c.xml", db);
        lb.run("updateCount", Map.of("count", 2));
        assertTrue(Sqlite.fkguardTriggers(db).values().stream().anyMatch(sql -> sql.contains("InvoiceLine_temporary")),
                "the rebuild left triggers on Invoice and Track that check the dropped InvoiceLine_temporary");
        Path copy = dir.resolve("copy.db");
        Files.copy(db, copy);
        SQLException rename = assertThrows(SQLException.class,
                () -> Sqlite.exec(copy, "ALTER TABLE Playlist RENAME TO Playlist_temporary"));
        assertTrue(rename.getMessage().contains("InvoiceLine_temporary"),
                "stale triggers make the next rebuild fail: " + rename.getMessage());

        lb.update();

        Sqlite.assertTriggersMatchPlan(db);
        assertTrue(Sqlite.fkguardTriggers(db).values().stream().noneMatch(sql -> sql.contains("_temporary")));
        Sqlite.assertChinookViolationsRefused(db);
    }

    @Test
    void sync_after_a_rebuild_of_a_parent_table_restores_its_triggers_when_sqlite_keeps_the_references() throws Exception {
        // legacy_alter_table=ON keeps other tables' REFERENCES "Genre" as written while Liquibase renames Genre away.
        Path db = Sqlite.chinook(dir);
        Path legacyDb = dir.resolve("chinook.db?legacy_alter_table=true");
        Changelogs.xml(dir, "c.xml", rebuildBetweenSyncs(GENRE_REBUILD));
        Lb lb = Lb.directory(dir, "c.xml", legacyDb);
        lb.run("updateCount", Map.of("count", 2));
        assertFalse(Sqlite.plan(db).inSync(), "Genre's own triggers went with the old table");

        lb.update();

        Sqlite.assertTriggersMatchPlan(db);
        assertTrue(Sqlite.fkguardTriggers(db).keySet().stream().anyMatch(name -> name.startsWith("fkguard_Genre_")));
        Sqlite.assertChinookViolationsRefused(db);
    }

    @Test
    void sync_after_a_rebuild_that_broke_the_references_to_the_table_refuses_naming_the_broken_key() throws Exception {
        // By default SQLite rewrites Track's REFERENCES "Genre" to "Genre_temporary", which Liquibase then drops.
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "c.xml", rebuildBetweenSyncs(GENRE_REBUILD));
        Lb lb = Lb.directory(dir, "c.xml", db);
        lb.run("updateCount", Map.of("count", 2));
        List<String> schema = Sqlite.schema(db);

        CommandExecutionException e = assertThrows(CommandExecutionException.class, lb::update);

        assertTrue(e.getMessage().contains("fkguard refused to sync"), e.getMessage());
        assertTrue(e.getMessage().contains("Genre_temporary"), e.getMessage());
        assertEquals(schema, Sqlite.schema(db));
        assertEquals(2, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"));
    }
}
