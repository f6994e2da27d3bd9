package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileStamp} answers plan and sync of a file in sync as the connection's path does, and nothing else. */
class FileStampTest {
    @TempDir
    Path dir;
    Path db;
    String version;

    @BeforeEach
    void synced() throws SQLException {
        db = dir.resolve("t.db");
        try (Connection c = TestDb.open(db)) {
            TestDb.exec(c, "CREATE TABLE p (id INTEGER PRIMARY KEY)",
                    "CREATE TABLE k (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id))");
            FkGuard.sync(c, Options.defaults());
            version = column(c, "SELECT sqlite_version()").get(0);
        }
    }

    private static List<String> column(Connection c, String query) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(query)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private Report viaConnection(boolean sync, Options o) throws SQLException {
        SyncMemory.forget();
        try (Connection c = TestDb.open(db)) {
            return sync ? FkGuard.sync(c, o) : FkGuard.plan(c, o);
        }
    }

    @Test
    void answersPlanAndSyncWithTheReportsTheConnectionGives() throws SQLException {
        Options o = Options.defaults();
        assertEquals(Optional.of(viaConnection(false, o)), FileStamp.plan(db, o, version));
        assertEquals(Optional.of(viaConnection(true, o)), FileStamp.sync(db, o, version));
    }

    @Test
    void answersNothingForAnotherSqliteVersionOtherOptionsOrAPartialSync() {
        Options o = Options.defaults();
        assertTrue(FileStamp.sync(db, o, version).isPresent());
        assertFalse(FileStamp.sync(db, o, "3.0.0").isPresent());
        assertFalse(FileStamp.sync(db, o.withExcludedTables(Set.of("k")), version).isPresent());
        assertFalse(FileStamp.sync(db, o.withPartial(true), version).isPresent());
        assertFalse(FileStamp.plan(db, o.withSchema("aux"), version).isPresent());
    }

    @Test
    void answersNothingOnceATriggerIsEditedOrDroppedByHand() throws SQLException {
        List<String> names;
        try (Connection c = TestDb.open(db)) {
            names = column(c, "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid");
            TestDb.exec(c, "DROP TRIGGER \"" + names.get(0) + "\"");
        }
        assertFalse(FileStamp.plan(db, Options.defaults(), version).isPresent());
        assertEquals(1, viaConnection(true, Options.defaults()).created().size(), "the full path puts it back");
        assertTrue(FileStamp.plan(db, Options.defaults(), version).isPresent());
    }
}
