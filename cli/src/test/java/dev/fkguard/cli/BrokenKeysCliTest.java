package dev.fkguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --broken-keys}: a leftover table whose parent is gone next to a valid key. */
class BrokenKeysCliTest extends InProcessCli {
    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void database() throws SQLException {
        db = dir.resolve("music.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id))");
            st.execute("CREATE TABLE left_over (id INTEGER PRIMARY KEY, gone_id INTEGER REFERENCES gone(id))");
        }
    }

    private static String error(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    @Test
    void byDefaultSyncRefusesAndNamesTheBrokenKey() {
        assertEquals(1, fkguard("sync", db.toString()));
        assertTrue(err.contains("parent table gone does not exist"), err);
    }

    @Test
    void enforceInstallsEveryValidKeyAndRefusesWritesThatNeedTheBrokenOneWithSqlitesMessage() throws SQLException {
        assertEquals(0, fkguard("sync", "--broken-keys=enforce", db.toString()));
        assertTrue(out.contains("warning: foreign key left_over(gone_id) -> gone(id) is broken and enforced as SQLite does:"
                + " parent table gone does not exist; every write that needs it is refused with 'no such table: main.gone'"), out);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            assertTrue(error(c, "INSERT INTO album VALUES (1, 99)").contains("FOREIGN KEY constraint failed: album(artist_id) -> artist(id)"));
            assertTrue(error(c, "INSERT INTO left_over VALUES (1, NULL)").contains("no such table: main.gone"));
        }
        assertEquals(0, fkguard("check", "--broken-keys=enforce", db.toString()), out + err);
        assertEquals(1, fkguard("check", db.toString()), "check without the mode wants the broken key's triggers gone");
    }

    @Test
    void anUnknownBrokenKeysValueIsAUsageError() {
        assertEquals(2, fkguard("sync", "--broken-keys=maybe", db.toString()));
        assertTrue(err.contains("broken keys must be 'refuse' or 'enforce', not 'maybe'"), err);
    }
}
