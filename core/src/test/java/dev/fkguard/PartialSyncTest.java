package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code Options.withPartial(true)}: protect what can be protected, report the rest, never refuse the whole sync. */
class PartialSyncTest {
    private static final Options PARTIAL = Options.defaults().withPartial(true);
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = DriverManager.getConnection("jdbc:sqlite::memory:");
        TestDb.exec(c,
                "CREATE TABLE artist (id INTEGER PRIMARY KEY)",
                "CREATE TABLE genre (id INTEGER PRIMARY KEY)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id))",
                "CREATE TABLE track (id INTEGER PRIMARY KEY, album_id INTEGER REFERENCES album(id),"
                        + " genre_id INTEGER REFERENCES genre(id))",
                "INSERT INTO artist VALUES (1)", "INSERT INTO genre VALUES (1)", "INSERT INTO album VALUES (1, 1)");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private void refused(String sql, String key) {
        SQLException e = assertThrows(SQLException.class, () -> TestDb.exec(c, sql), sql);
        assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed: " + key), e.getMessage());
    }

    @Test
    void orphanRowsLeaveOnlyTheirKeyUnenforcedAndAreReportedAsSyncReportsThem() throws SQLException {
        TestDb.exec(c, "INSERT INTO track VALUES (7, 1, 99)");
        Report r = FkGuard.sync(c, PARTIAL);
        assertTrue(r.applied());
        assertEquals(2, r.foreignKeys(), "album(artist_id) and track(album_id) are enforced");
        Report.Problem p = r.problems().get(0);
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertEquals(Report.Problem.Kind.ORPHANS, p.kind());
        assertEquals("track", p.table());
        assertEquals(List.of("genre_id"), p.columns());
        assertEquals("genre", p.parent());
        assertEquals(1, p.orphans());
        assertEquals(List.of("7"), p.sampleRows());
        refused("INSERT INTO track VALUES (8, 42, 1)", "track(album_id) -> album(id)");
        refused("INSERT INTO album VALUES (2, 42)", "album(artist_id) -> artist(id)");
        refused("DELETE FROM album WHERE id = 1", "track(album_id) -> album(id)");
        TestDb.exec(c, "INSERT INTO track VALUES (9, 1, 42)"); // the orphaned key is the one left unenforced
    }

    @Test
    void theSameOrphansWithoutPartialRefuseTheWholeSync() throws SQLException {
        TestDb.exec(c, "INSERT INTO track VALUES (7, 1, 99)");
        FkGuardException e = assertThrows(FkGuardException.class, () -> FkGuard.sync(c, Options.defaults()));
        assertEquals(1, e.report().problems().size());
        assertTrue(TestDb.fkguardTriggers(c).isEmpty());
    }

    @Test
    void aBrokenDeclarationIsReportedAndEveryOtherKeyEnforced() throws SQLException {
        TestDb.exec(c, "CREATE TABLE review (id INTEGER PRIMARY KEY, track_id INTEGER REFERENCES track(id),"
                + " label_id INTEGER REFERENCES label(id))");
        Report r = FkGuard.sync(c, PARTIAL);
        assertEquals(4, r.foreignKeys());
        assertEquals(1, r.problems().size());
        assertEquals(Report.Problem.Kind.SCHEMA, r.problems().get(0).kind());
        assertTrue(r.problems().get(0).message().contains("review(label_id) -> label(id): parent table label does not exist"),
                r.problems().get(0).message());
        refused("INSERT INTO review VALUES (1, 42, NULL)", "review(track_id) -> track(id)");
        refused("INSERT INTO track VALUES (8, 1, 42)", "track(genre_id) -> genre(id)");
    }

    @Test
    void aKeyWhoseOrphansAreRepairedGetsItsTriggersFromTheNextPartialSync() throws SQLException {
        TestDb.exec(c, "INSERT INTO track VALUES (7, 1, 99)");
        FkGuard.sync(c, PARTIAL);
        TestDb.exec(c, "UPDATE track SET genre_id = 1 WHERE id = 7");
        Report r = FkGuard.sync(c, PARTIAL);
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        assertTrue(FkGuard.check(c, Options.defaults()).healthy());
        refused("INSERT INTO track VALUES (8, 1, 42)", "track(genre_id) -> genre(id)");
    }
}
