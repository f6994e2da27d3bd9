package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identifiers are written bare only where SQLite reads them back as the same name. */
class SqlTextTest {

    @Test
    void plainAsciiNamesThatAreNoKeywordAreWrittenBare() {
        assertEquals("Track", SqlText.id("Track"));
        assertEquals("album_id", SqlText.id("album_id"));
        assertEquals("_t0", SqlText.id("_t0"));
    }

    @Test
    void keywordsAndEverythingElseAreQuoted() {
        for (String name : List.of("order", "Group", "KEY", "true", "", "1abc", "a b", "größe", "a-b", "x$", "say \"hi\"")) {
            assertTrue(SqlText.id(name).startsWith("\""), name + " -> " + SqlText.id(name));
        }
        assertEquals("\"say \"\"hi\"\"\"", SqlText.id("say \"hi\""));
    }

    @Test
    void everyNameSqliteReadsBackUnchangedWhateverTheQuoting(@TempDir Path dir) throws Exception {
        List<String> names = new java.util.ArrayList<>(List.of("Track", "_x1", "a b", "größe", "say \"hi\"", "1abc", "rowid"));
        names.addAll(SqlText.KEYWORDS);
        try (Connection c = TestDb.open(dir.resolve("ids.db")); Statement s = c.createStatement()) {
            for (String name : names) {
                String t = SqlText.id(name);
                s.execute("CREATE TABLE " + t + " (" + t + " INTEGER)");
                s.execute("INSERT INTO " + t + " (" + t + ") VALUES (7)");
                try (ResultSet rs = s.executeQuery("SELECT " + t + " FROM " + t + " WHERE " + t + " = 7")) {
                    assertTrue(rs.next(), name);
                    assertEquals(name, rs.getMetaData().getColumnName(1), name);
                }
                try (ResultSet rs = s.executeQuery("SELECT name FROM pragma_table_list WHERE name = '"
                        + name.replace("'", "''") + "'")) {
                    assertTrue(rs.next(), "table " + name + " exists under its own name");
                }
                s.execute("DROP TABLE " + t);
            }
        }
        assertFalse(SqlText.needsQuotes("t0500"));
    }
}
