package dev.fkguard.flyway;

import dev.fkguard.FkGuard;
import dev.fkguard.ForeignKeySpec;
import dev.fkguard.Options;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Flyway route for a key on an existing table: a Java migration that calls FkGuard.addForeignKey. */
class FlywayJavaMigrationAddKeyTest {
    private static final String RATINGS = """
            CREATE TABLE TrackRating (RatingId INTEGER PRIMARY KEY, TrackId INTEGER NOT NULL, Stars INTEGER);
            INSERT INTO TrackRating (TrackId, Stars) SELECT TrackId, TrackId % 5 FROM Track;
            """;
    private static final String BAD_RATING = "INSERT INTO TrackRating (TrackId, Stars) VALUES (99999, 1)";

    /** V4: declares TrackRating(TrackId) -> Track(TrackId) on the migration's own connection, in its transaction. */
    static final class V4__rating_track_key extends BaseJavaMigration {
        @Override
        public void migrate(Context context) throws Exception {
            FkGuard.addForeignKey(context.getConnection(), ForeignKeySpec.of("TrackRating", List.of("TrackId"), "Track",
                    List.of("TrackId")).withName("fk_rating_track").withOnDelete("CASCADE"), Options.defaults());
        }
    }

    @TempDir
    Path dir;

    private void migrate(SqliteFixture db) {
        Flyway.configure().dataSource(db.url(), null, null).locations(db.location())
                .javaMigrations(new V4__rating_track_key()).load().migrate();
    }

    @Test
    void aJavaMigrationAddsAKeyToAPopulatedTableAndAPlainConnectionIsRefused() throws Exception {
        SqliteFixture db = new SqliteFixture(dir).chinook().migration("V3__ratings.sql", RATINGS);

        migrate(db);

        assertEquals(1, db.count("select count(*) from pragma_foreign_key_list('TrackRating') where on_delete = 'CASCADE'"));
        assertEquals(List.of("1:1", "2:1", "3:1", "4:1"), db.historyVersions());
        db.assertTriggersEqualPlan();
        db.assertRefused(BAD_RATING);
        db.assertRefused(SqliteFixture.TRACK_VIOLATION);
    }

    @Test
    void orphanRowsFailTheJavaMigrationAndFlywayRollsItBack() throws Exception {
        SqliteFixture db = new SqliteFixture(dir).chinook().migration("V3__ratings.sql", RATINGS + BAD_RATING + ";\n");

        FlywayException e = assertThrows(FlywayException.class, () -> migrate(db));

        String all = e.getMessage() + (e.getCause() == null ? "" : e.getCause().getMessage());
        assertTrue(all.contains("1 row of TrackRating breaks foreign key TrackRating(TrackId) -> Track(TrackId)"), all);
        assertEquals(0, db.count("select count(*) from pragma_foreign_key_list('TrackRating')"));
        assertEquals(List.of("1:1", "2:1", "3:1"), db.historyVersions());
    }
}
