package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Chinook sample database, loaded from its script, synced, then attacked from a plain connection. */
class ChinookTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void load() throws Exception {
        file = dir.resolve("chinook.db");
        try (Connection c = TestDb.open(file)) {
            TestDb.runScript(c, TestDb.testdata("Chinook_Sqlite.sql"));
            FkGuard.sync(c, Options.defaults());
        }
    }

    @Test
    void insertingATrackOfAMissingAlbumIsRefusedOnAConnectionWithoutForeignKeys() throws Exception {
        try (Connection plain = TestDb.open(file)) {
            assertEquals(0, TestDb.count(plain, "PRAGMA foreign_keys"));
            SQLException e = assertThrows(SQLException.class, () -> TestDb.exec(plain,
                    "INSERT INTO Track (Name, AlbumId, MediaTypeId, Composer, Milliseconds, Bytes, UnitPrice)"
                            + " VALUES ('lol', 99999, 99999, 99999, 99999, 99999, 99999)"));
            assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed"), e.getMessage());
            assertTrue(e.getMessage().contains("Track(AlbumId) -> Album(AlbumId)"), e.getMessage());
        }
    }

    @Test
    void deletingAGenreThatTracksStillUseIsRefused() throws Exception {
        try (Connection plain = TestDb.open(file)) {
            SQLException e = assertThrows(SQLException.class, () -> TestDb.exec(plain, "DELETE FROM Genre WHERE GenreId=24"));
            assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed: Track(GenreId) -> Genre(GenreId)"),
                    e.getMessage());
            assertEquals(1, TestDb.count(plain, "SELECT count(*) FROM Genre WHERE GenreId = 24"));
        }
    }

    @Test
    void everyForeignKeyOfChinookIsEnforcedAndASecondSyncIsANoOp() throws Exception {
        try (Connection c = TestDb.open(file)) {
            Report again = FkGuard.sync(c, Options.defaults());
            assertEquals(11, again.foreignKeys());
            assertTrue(again.inSync(), again.statements().toString());
            assertEquals(again.kept(), TestDb.fkguardTriggers(c).size());
            assertTrue(FkGuard.check(c, Options.defaults()).healthy());
        }
    }

    @Test
    void validWritesStillWork() throws Exception {
        try (Connection plain = TestDb.open(file)) {
            TestDb.exec(plain, "INSERT INTO Genre (GenreId, Name) VALUES (100, 'Test')",
                    "INSERT INTO Track (Name, AlbumId, MediaTypeId, GenreId, Milliseconds, UnitPrice)"
                            + " VALUES ('ok', 1, 1, 100, 1, 0.99)",
                    "UPDATE Employee SET ReportsTo = 1 WHERE EmployeeId = 2",
                    "DELETE FROM Track WHERE GenreId = 100",
                    "DELETE FROM Genre WHERE GenreId = 100");
            assertEquals(0, TestDb.count(plain, "SELECT count(*) FROM Genre WHERE GenreId = 100"));
        }
    }
}
