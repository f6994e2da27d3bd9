package dev.fkguard.liquibase;

import liquibase.exception.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A changeSet that breaks a foreign key fails as a whole: database and DATABASECHANGELOG stay as they were. */
class RefusalTest {
    private static final String ORPHAN_REVIEWS = """
            <changeSet id="reviews" author="t">
                <createTable tableName="TrackReview">
                    <column name="ReviewId" type="INTEGER"><constraints primaryKey="true"/></column>
                    <column name="TrackId" type="INTEGER"><constraints foreignKeyName="FK_TrackReview_Track" references="Track(TrackId)"/></column>
                </createTable>
                <insert tableName="TrackReview">
                    <column name="ReviewId" valueNumeric="1"/>
                    <column name="TrackId" valueNumeric="99999"/>
                </insert>
                <fkguard:syncForeignKeyTriggers%s/>
            </changeSet>
            """;

    @TempDir
    Path dir;

    @Test
    void sync_refuses_rows_that_break_a_foreign_key_failing_the_changeSet_with_fkguards_report_and_changing_nothing()
            throws Exception {
        Path db = synced();
        List<String> schema = Sqlite.schema(db);
        long ran = Sqlite.count(db, "select count(*) from DATABASECHANGELOG");
        Changelogs.xml(dir, "orphans.xml", String.format(ORPHAN_REVIEWS, ""));

        CommandExecutionException e = assertThrows(CommandExecutionException.class,
                () -> Lb.directory(dir, "orphans.xml", db).update());

        assertTrue(e.getMessage().contains("fkguard refused to sync"), e.getMessage());
        assertTrue(e.getMessage().contains("TrackReview"), e.getMessage());
        assertEquals(schema, Sqlite.schema(db));
        assertEquals(ran, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"));
        Sqlite.assertTriggersMatchPlan(db);
    }

    @Test
    void orphan_policy_warn_installs_the_triggers_despite_existing_orphans() throws Exception {
        Path db = synced();
        Changelogs.xml(dir, "orphans.xml", String.format(ORPHAN_REVIEWS, " orphanPolicy=\"warn\""));

        Lb.directory(dir, "orphans.xml", db).update();

        assertTrue(Sqlite.plan(db).inSync());
        assertFalse(Sqlite.check(db).healthy(), "the orphan row is still there and reported");
        Sqlite.assertRefused(db, "INSERT INTO TrackReview (ReviewId, TrackId) VALUES (2, 88888)");
    }

    @Test
    void data_changeSet_that_violates_a_foreign_key_fails_and_leaves_database_and_changelog_table_as_before()
            throws Exception {
        Path db = synced();
        List<String> schema = Sqlite.schema(db);
        long ran = Sqlite.count(db, "select count(*) from DATABASECHANGELOG");
        long tracks = Sqlite.count(db, "select count(*) from Track");
        Changelogs.xml(dir, "bad-data.xml", """
                <changeSet id="bad-track" author="t">
                    <insert tableName="Genre">
                        <column name="GenreId" valueNumeric="26"/>
                        <column name="Name" value="Chiptune"/>
                    </insert>
                    <sql>INSERT INTO Track (Name, AlbumId, MediaTypeId, Composer, Milliseconds, Bytes, UnitPrice) VALUES ('lol', 99999, 99999, 99999, 99999, 99999, 99999)</sql>
                </changeSet>
                """);

        CommandExecutionException e = assertThrows(CommandExecutionException.class,
                () -> Lb.directory(dir, "bad-data.xml", db).update());

        assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed"), e.getMessage());
        assertEquals(schema, Sqlite.schema(db));
        assertEquals(ran, Sqlite.count(db, "select count(*) from DATABASECHANGELOG"));
        assertEquals(tracks, Sqlite.count(db, "select count(*) from Track"));
        assertEquals(0, Sqlite.count(db, "select count(*) from Genre where GenreId = 26"));
    }

    /** Chinook with fkguard's triggers installed by a first update. */
    private Path synced() throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "sync.xml", "<changeSet id=\"sync\" author=\"t\"><fkguard:syncForeignKeyTriggers/></changeSet>");
        Lb.directory(dir, "sync.xml", db).update();
        Sqlite.assertTriggersMatchPlan(db);
        return db;
    }
}
