package dev.fkguard.liquibase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The checksum of a syncForeignKeyTriggers changeSet comes from its declared attributes, never from the schema. */
class ChecksumTest {
    @TempDir
    Path dir;

    @Test
    void checksum_stays_the_same_when_the_schema_changes_between_runs() throws Exception {
        Path db = Sqlite.chinook(dir);
        Lb.classpath("changelogs/chinook.xml", db).update();
        String first = checksum(db, "fkguard-sync");

        Sqlite.exec(db, "CREATE TABLE Lyrics (LyricsId INTEGER PRIMARY KEY, TrackId INTEGER NOT NULL REFERENCES Track(TrackId))");
        Lb.classpath("changelogs/chinook.xml", db).update(); // runAlways: runs again on the new schema
        Lb.classpath("changelogs/chinook.xml", db).validate();

        assertNotNull(first);
        assertEquals(first, checksum(db, "fkguard-sync"));
        Sqlite.assertTriggersMatchPlan(db);
        Sqlite.assertRefused(db, "INSERT INTO Lyrics (LyricsId, TrackId) VALUES (1, 99999)");
    }

    @Test
    void checksum_changes_when_a_declared_attribute_changes() throws Exception {
        Path db = Sqlite.chinook(dir);
        Changelogs.xml(dir, "a.xml", "<changeSet id=\"s\" author=\"t\"><fkguard:syncForeignKeyTriggers/></changeSet>");
        Changelogs.xml(dir, "b.xml",
                "<changeSet id=\"s\" author=\"t\"><fkguard:syncForeignKeyTriggers orphanPolicy=\"warn\"/></changeSet>");
        Path other = dir.resolve("other.db");
        java.nio.file.Files.copy(db, other);

        Lb.directory(dir, "a.xml", db).update();
        Lb.directory(dir, "b.xml", other).update();

        assertNotEquals(checksum(db, "s"), checksum(other, "s"));
    }

    private static String checksum(Path db, String id) throws Exception {
        try (Connection c = Sqlite.plain(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select MD5SUM from DATABASECHANGELOG where ID = '" + id + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
