package dev.fkguard.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A migration that would leave rows breaking a foreign key: refused and rolled back whole, unless told otherwise. */
class FlywayApiOrphanTest {

    private static final String NEW_TABLE_WITH_ORPHAN = """
            CREATE TABLE Review (ReviewId INTEGER PRIMARY KEY, AlbumId INTEGER REFERENCES Album (AlbumId), Stars INTEGER);
            INSERT INTO Review VALUES (1, 1, 5), (2, 999, 1);
            UPDATE Artist SET Name = 'changed by V3' WHERE ArtistId = 1;
            """;

    @TempDir
    Path dir;
    SqliteFixture db;

    @BeforeEach
    void migrateSmallSchema() throws Exception {
        db = new SqliteFixture(dir).small();
        flyway(Map.of()).migrate();
        db.assertTriggersEqualPlan();
    }

    private Flyway flyway(Map<String, String> placeholders) {
        FluentConfiguration c = Flyway.configure()
                .dataSource(db.url(), null, null)
                .locations(db.location());
        if (!placeholders.isEmpty()) {
            c.placeholders(placeholders);
        }
        return c.load();
    }

    private void assertRefusedAndRolledBack(String migration, String refusal, String expectedInMessage) throws Exception {
        Map<String, String> schemaBefore = db.schema();
        Map<String, String> triggersBefore = db.fkguardTriggers();
        List<String> historyBefore = db.historyVersions();

        db.migration("V3__orphans.sql", migration);
        FlywayException e = assertThrows(FlywayException.class, () -> flyway(Map.of()).migrate());

        String messages = messages(e);
        assertTrue(messages.contains(refusal), messages);
        assertTrue(messages.contains(expectedInMessage), messages);
        assertEquals(schemaBefore, db.schema(), "schema as before");
        assertEquals(triggersBefore, db.fkguardTriggers(), "triggers as before");
        assertEquals(historyBefore, db.historyVersions(), "history as before");
        assertEquals(0, db.count("select count(*) from Artist where Name = 'changed by V3'"), "data as before");
        assertEquals(2, db.count("select count(*) from Album"), "data as before");
        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void aNewForeignKeyOverOrphanRowsFailsTheMigrationAndLeavesNothingOfIt() throws Exception {
        assertRefusedAndRolledBack(NEW_TABLE_WITH_ORPHAN, "fkguard refused", "Review(AlbumId) -> Album(AlbumId)");
    }

    @Test
    void anOrphanInsertedIntoAnEnforcedTableFailsTheMigrationAtThatStatementAndLeavesNothingOfIt() throws Exception {
        assertRefusedAndRolledBack("""
                UPDATE Artist SET Name = 'changed by V3' WHERE ArtistId = 1;
                INSERT INTO Album VALUES (3, 'Restless and Wild', 999);
                """, "FOREIGN KEY constraint failed", "Album(ArtistId) -> Artist(ArtistId)");
    }

    @Test
    void withOrphanPolicyWarnTheMigrationCommitsAndTheNewTableIsEnforced() throws Exception {
        db.migration("V3__orphans.sql", NEW_TABLE_WITH_ORPHAN);
        flyway(Map.of("fkguard.orphanPolicy", "warn")).migrate();

        assertEquals(List.of("1:1", "2:1", "3:1"), db.historyVersions());
        assertEquals(2, db.count("select count(*) from Review"));
        db.assertTriggersEqualPlan();
        db.assertRefused("INSERT INTO Review VALUES (3, 998, 1)");
    }

    @Test
    void anExcludedTableIsNeitherCheckedNorEnforced() throws Exception {
        db.migration("V3__orphans.sql", NEW_TABLE_WITH_ORPHAN);
        flyway(Map.of("fkguard.excludedTables", "Review")).migrate();

        assertEquals(List.of("1:1", "2:1", "3:1"), db.historyVersions());
        assertFalse(db.fkguardTriggers().values().stream().anyMatch(sql -> sql.contains("Review")),
                db.fkguardTriggers().keySet().toString());
        db.assertAccepted("INSERT INTO Review VALUES (3, 998, 1)");
        db.assertRefused("INSERT INTO Album VALUES (9, 'x', 999)");
    }
}
