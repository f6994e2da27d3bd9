package dev.fkguard.liquibase;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Liquibase's own addForeignKeyConstraint and dropForeignKeyConstraint on SQLite, with nothing but the jar on the
 * class path: Chinook plus a populated TrackRating table that has an index, a user trigger and a view.
 */
class ForeignKeyChangesTest {
    static final String SETUP_TRACK_RATING[] = {
        "CREATE TABLE TrackRating (RatingId INTEGER PRIMARY KEY, TrackId INTEGER NOT NULL, Stars INTEGER)",
        "INSERT INTO TrackRating (TrackId, Stars) SELECT TrackId, TrackId % 5 FROM Track",
        "CREATE INDEX IFK_RatingTrack ON TrackRating (TrackId)",
        "CREATE TABLE RatingLog (TrackId INTEGER)",
        "CREATE TRIGGER rating_logged AFTER INSERT ON TrackRating BEGIN INSERT INTO RatingLog VALUES (NEW.TrackId); END",
        "CREATE VIEW TrackStars AS SELECT t.Name, r.Stars FROM Track t JOIN TrackRating r ON r.TrackId = t.TrackId",
    };
    static final String BAD_RATING = "INSERT INTO TrackRating (TrackId, Stars) VALUES (99999, 1)";
    static final String KEY_ROWS = "select count(*) from pragma_foreign_key_list('TrackRating')";

    static final String XML = "<changeSet id=\"rating-key\" author=\"test\">\n"
            + "  <addForeignKeyConstraint baseTableName=\"TrackRating\" baseColumnNames=\"TrackId\""
            + " referencedTableName=\"Track\" referencedColumnNames=\"TrackId\" constraintName=\"fk_rating_track\""
            + " onDelete=\"CASCADE\"/>\n</changeSet>";
    static final String YAML = "databaseChangeLog:\n"
            + "  - changeSet:\n"
            + "      id: rating-key\n"
            + "      author: test\n"
            + "      changes:\n"
            + "        - addForeignKeyConstraint:\n"
            + "            baseTableName: TrackRating\n"
            + "            baseColumnNames: TrackId\n"
            + "            referencedTableName: Track\n"
            + "            referencedColumnNames: TrackId\n"
            + "            constraintName: fk_rating_track\n"
            + "            onDelete: CASCADE\n";
    static final String JSON = "{\"databaseChangeLog\": [{\"changeSet\": {\"id\": \"rating-key\", \"author\": \"test\","
            + " \"changes\": [{\"addForeignKeyConstraint\": {\"baseTableName\": \"TrackRating\","
            + " \"baseColumnNames\": \"TrackId\", \"referencedTableName\": \"Track\", \"referencedColumnNames\": \"TrackId\","
            + " \"constraintName\": \"fk_rating_track\", \"onDelete\": \"CASCADE\"}}]}}]}";

    @TempDir
    Path dir;

    /** Chinook with TrackRating, and the add-key changelog in the given format. */
    static Path prepare(Path dir, String format) throws Exception {
        Path db = Sqlite.chinook(dir);
        Sqlite.exec(db, SETUP_TRACK_RATING);
        switch (format) {
            case "xml" -> Changelogs.xml(dir, "changelog.xml", XML);
            case "yaml" -> Changelogs.write(dir, "changelog.yaml", YAML);
            default -> Changelogs.write(dir, "changelog.json", JSON);
        }
        return db;
    }

    private Lb lb(Path db, String format) throws Exception {
        return Lb.directory(dir, "changelog." + format, db);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xml", "yaml", "json"})
    void addForeignKeyConstraintDeclaresTheKeyAndAPlainConnectionIsRefused(String format) throws Exception {
        Path db = prepare(dir, format);

        lb(db, format).update();

        assertEquals(1, Sqlite.count(db, "select count(*) from pragma_foreign_key_list('TrackRating')"
                + " where \"table\" = 'Track' and \"from\" = 'TrackId' and \"to\" = 'TrackId' and on_delete = 'CASCADE'"));
        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.assertRefused(db, BAD_RATING);
        assertEquals(3503, Sqlite.count(db, "select count(*) from TrackRating"), "no row lost");
    }

    @Test
    void theAddedKeyIsEnforcedNativelyOnAForeignKeysOnConnection() throws Exception {
        Path db = prepare(dir, "xml");
        lb(db, "xml").update();
        try (Connection c = Sqlite.plain(db)) {
            FkGuard.drop(c, Options.defaults());
        }

        try (Connection c = DriverManager.getConnection(Sqlite.url(db)); Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = ON");
            SQLException e = assertThrows(SQLException.class, () -> s.execute(BAD_RATING));
            assertTrue(e.getMessage().contains("SQLITE_CONSTRAINT_FOREIGNKEY"), e.getMessage());
            s.execute("INSERT INTO Track (TrackId, Name, MediaTypeId, Milliseconds, UnitPrice) VALUES (5000, 'new', 1, 1, 1)");
            s.execute("INSERT INTO TrackRating (TrackId, Stars) VALUES (5000, 3)");
            s.execute("DELETE FROM Track WHERE TrackId = 5000");
        }
        assertEquals(0, Sqlite.count(db, "select count(*) from TrackRating where TrackId = 5000"), "ON DELETE CASCADE, natively");
        assertEquals(3503, Sqlite.count(db, "select count(*) from TrackRating"));
    }

    @Test
    void theTablesIndexUserTriggerAndViewKeepWorking() throws Exception {
        Path db = prepare(dir, "xml");

        lb(db, "xml").update();

        Sqlite.exec(db, "INSERT INTO TrackRating (TrackId, Stars) VALUES (7, 5)");
        assertEquals(1, Sqlite.count(db, "select count(*) from RatingLog where TrackId = 7"));
        assertEquals(3504, Sqlite.count(db, "select count(*) from TrackStars"));
        assertEquals(1, Sqlite.count(db, "select count(*) from pragma_index_list('TrackRating') where name = 'IFK_RatingTrack'"));
        assertEquals(1, Sqlite.count(db, "select count(*) from pragma_integrity_check where integrity_check = 'ok'"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"xml", "yaml", "json"})
    void rollbackDropsTheKeyAgainAndItsTriggers(String format) throws Exception {
        Path db = prepare(dir, format);
        Lb lb = lb(db, format);
        lb.update();

        lb.rollbackCount(1);

        assertEquals(0, Sqlite.count(db, KEY_ROWS));
        assertEquals(0, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"));
        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.exec(db, BAD_RATING);
        Sqlite.assertChinookViolationsRefused(db);
    }

    @Test
    void dropForeignKeyConstraintRemovesANamedKey() throws Exception {
        Path db = prepare(dir, "xml");
        Changelogs.xml(dir, "changelog.xml", XML + "\n<changeSet id=\"rating-key-gone\" author=\"test\">\n"
                + "  <dropForeignKeyConstraint baseTableName=\"TrackRating\" constraintName=\"fk_rating_track\"/>\n</changeSet>");

        lb(db, "xml").update();

        assertEquals(0, Sqlite.count(db, KEY_ROWS));
        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.exec(db, BAD_RATING);
    }

    @Test
    void orphanRowsFailTheChangeSetWithFkguardsReportAndChangeNothing() throws Exception {
        Path db = prepare(dir, "xml");
        Sqlite.exec(db, BAD_RATING);
        List<String> before = Sqlite.schema(db);

        Exception e = assertThrows(Exception.class, () -> lb(db, "xml").update());

        assertTrue(messages(e).contains("1 row of TrackRating breaks foreign key TrackRating(TrackId) -> Track(TrackId)"),
                messages(e));
        assertEquals(before, Sqlite.schema(db).stream().filter(s -> !s.contains("DATABASECHANGELOG")).toList());
        assertEquals(0, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"));
    }

    @Test
    void aMissingParentFailsTheChangeSetNamingTableAndColumns() throws Exception {
        Path db = prepare(dir, "xml");
        Changelogs.xml(dir, "changelog.xml", XML.replace("referencedTableName=\"Track\"", "referencedTableName=\"Song\""));

        Exception e = assertThrows(Exception.class, () -> lb(db, "xml").update());

        assertTrue(messages(e).contains("foreign key TrackRating(TrackId) -> Song(TrackId): parent table Song does not exist"), messages(e));
        assertEquals(0, Sqlite.count(db, KEY_ROWS));
    }

    @Test
    void updateSqlPrintsTheSchemaEditAndTheTriggersAndChangesNothing() throws Exception {
        Path db = prepare(dir, "xml");

        String sql = lb(db, "xml").updateSql();

        assertTrue(sql.contains("PRAGMA writable_schema = ON;"), sql);
        assertTrue(sql.contains("UPDATE \"main\".sqlite_master SET sql = 'CREATE TABLE TrackRating"), sql);
        assertTrue(sql.contains("CONSTRAINT \"fk_rating_track\" FOREIGN KEY (\"TrackId\") REFERENCES \"Track\""), sql);
        assertTrue(sql.contains("CREATE TRIGGER \"fkguard_TrackRating_ins_"), sql);
        assertTrue(sql.contains("FROM pragma_foreign_key_list('TrackRating', 'main')) <> 1"), sql);
        assertEquals(0, Sqlite.count(db, KEY_ROWS));
        assertTrue(Sqlite.fkguardTriggers(db).isEmpty());
    }

    @Test
    void validationNoLongerRefusesTheChangeOnSqlite() throws Exception {
        Path db = prepare(dir, "xml");

        String out = lb(db, "xml").validate();

        assertTrue(!out.contains("not supported"), out);
    }

    static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
