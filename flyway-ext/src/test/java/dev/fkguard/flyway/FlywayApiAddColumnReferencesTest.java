package dev.fkguard.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An SQL migration with {@code ALTER TABLE ... ADD COLUMN ... REFERENCES} through the real Flyway API: a non-NULL
 * default on a table with rows is refused before the statement runs, with SQLite's message, as Flyway on a
 * {@code foreign_keys=true} connection without fkguard refuses it; the migration leaves nothing. With no default the
 * column is added and its key enforced.
 */
class FlywayApiAddColumnReferencesTest {
    private static final String NATIVE = "Cannot add a REFERENCES column with non-NULL default value";
    private static final String V3 = """
            UPDATE Artist SET Name = 'changed by V3' WHERE ArtistId = 1;
            ALTER TABLE Album ADD COLUMN ProducerId INTEGER DEFAULT 1 REFERENCES Artist (ArtistId);
            """;

    @TempDir
    Path dir;
    SqliteFixture db;

    @BeforeEach
    void migrateSmallSchema() throws Exception {
        db = new SqliteFixture(dir).small();
        flyway(db.url(), Map.of()).migrate();
    }

    private Flyway flyway(String url, Map<String, String> placeholders) {
        return Flyway.configure().dataSource(url, null, null).locations(db.location())
                .loggers(CapturedLog.LOGGER).placeholders(placeholders).load();
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void aReferencesColumnWithANonNullDefaultIsRefusedWithSqlitesMessageNamingTableAndColumnAndV3LeavesNothing() throws Exception {
        db.migration("V3__producer.sql", V3);
        FlywayException e = assertThrows(FlywayException.class, () -> flyway(db.url(), Map.of()).migrate());

        String messages = messages(e);
        assertTrue(messages.contains("fkguard refused a statement of migration V3 (producer)"), messages);
        assertTrue(messages.contains(NATIVE + ": table Album, column ProducerId (DEFAULT 1, REFERENCES Artist)"), messages);
        assertEquals(List.of("1:1", "2:1"), db.historyVersions(), "history as before");
        assertEquals(0, db.count("select count(*) from Artist where Name = 'changed by V3'"), "data as before");
        assertEquals(0, db.count("select count(*) from pragma_table_info('Album') where name = 'ProducerId'"), "schema as before");
        db.assertTriggersEqualPlan();
    }

    @Test
    void flywayWithoutFkguardOnAForeignKeysConnectionRefusesTheSameMigrationWithTheSameMessage() throws Exception {
        db.migration("V3__producer.sql", V3);
        FlywayException e = assertThrows(FlywayException.class,
                () -> flyway(db.url() + "?foreign_keys=true", Map.of("fkguard.mode", "off")).migrate());

        assertTrue(messages(e).contains(NATIVE), messages(e));
        assertEquals(List.of("1:1", "2:1"), db.historyVersions());
    }

    @Test
    void aReferencesColumnWithoutADefaultIsAddedAndItsKeyEnforced() throws Exception {
        db.migration("V3__producer.sql", """
                ALTER TABLE Album ADD COLUMN ProducerId INTEGER REFERENCES Artist (ArtistId);
                UPDATE Album SET ProducerId = 2;
                """);
        flyway(db.url(), Map.of()).migrate();

        assertEquals(List.of("1:1", "2:1", "3:1"), db.historyVersions());
        db.assertTriggersEqualPlan();
        db.assertRefused("UPDATE Album SET ProducerId = 99");
    }
}
