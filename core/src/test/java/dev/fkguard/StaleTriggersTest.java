package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Stale-trigger diagnosis against SQLite itself: the triggers fkguard calls stale are exactly those
 * SQLite refuses when {@code ALTER TABLE ... RENAME} re-resolves the schema, and the statements named
 * as failing do fail.
 */
class StaleTriggersTest {
    private static final Pattern IN_TRIGGER = Pattern.compile("error in trigger (\\S+?): ");

    private static Connection bookshop() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        TestDb.exec(c,
                "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id) ON DELETE CASCADE)",
                "CREATE TABLE review (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES book(id))",
                "INSERT INTO author VALUES (1, 'a')", "INSERT INTO book VALUES (1, 1)", "INSERT INTO review VALUES (1, 1)");
        FkGuard.sync(c, Options.defaults());
        return c;
    }

    /** Triggers SQLite refuses while re-resolving the schema for a RENAME: found one by one, each dropped to find the next. */
    private static Set<String> rejectedBySqlite(Connection c) throws SQLException {
        Set<String> rejected = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        TestDb.exec(c, "CREATE TABLE fkguard_probe (x)");
        while (true) {
            try {
                TestDb.exec(c, "ALTER TABLE fkguard_probe RENAME TO fkguard_probe2", "ALTER TABLE fkguard_probe2 RENAME TO fkguard_probe");
                break;
            } catch (SQLException e) {
                Matcher m = IN_TRIGGER.matcher(e.getMessage());
                assertTrue(m.find(), e.getMessage());
                rejected.add(m.group(1));
                TestDb.exec(c, "DROP TRIGGER " + SqlText.id(m.group(1)));
            }
        }
        TestDb.exec(c, "DROP TABLE fkguard_probe");
        return rejected;
    }

    private static final String RENAME = "ALTER TABLE ... RENAME on any table";

    /** The stale triggers that fkguard says make every RENAME fail. */
    private static Set<String> breakingRename(List<Report.StaleTrigger> stale) {
        return names(stale.stream().filter(s -> s.fails().contains(RENAME)).toList());
    }

    /**
     * Each stale trigger said to make its firing statement fail does, alone: the other stale triggers
     * (the only ones that could fail it too) dropped inside a savepoint that is rolled back. The statement matches no row: triggers are compiled
     * when it is prepared.
     */
    private static void assertFiringStatementsFail(Connection c, List<Report.StaleTrigger> stale, String context)
            throws SQLException {
        for (Report.StaleTrigger s : stale) {
            if (s.fails().isEmpty()) {
                continue;
            }
            String sql;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT sql FROM sqlite_master WHERE name = " + SqlText.literal(s.name()))) {
                rs.next();
                sql = rs.getString(1);
            }
            String t = SqlText.id(s.table());
            String statement = switch (TriggerNames.kindOf(s.name())) {
                case "ins" -> "INSERT INTO " + t + " SELECT * FROM " + t + " WHERE 0";
                case "pdel" -> "DELETE FROM " + t + " WHERE 0";
                default -> {
                    Matcher m = Pattern.compile("UPDATE OF (\"(?:[^\"]|\"\")*\")").matcher(sql);
                    assertTrue(m.find(), sql);
                    yield "UPDATE " + t + " SET " + m.group(1) + " = " + m.group(1) + " WHERE 0";
                }
            };
            TestDb.exec(c, "SAVEPOINT probe");
            try {
                for (Report.StaleTrigger other : stale) {
                    if (other != s) {
                        TestDb.exec(c, "DROP TRIGGER " + SqlText.id(other.name()));
                    }
                }
                assertThrows(SQLException.class, () -> TestDb.exec(c, statement), context + ": " + s.message()
                        + "\n" + statement + "\n" + sql);
            } finally {
                TestDb.exec(c, "ROLLBACK TO probe", "RELEASE probe");
            }
        }
    }

    private static List<Report.StaleTrigger> stale(Connection c) throws SQLException {
        return FkGuard.check(c, Options.defaults()).staleTriggers();
    }

    @Test
    void aDroppedChildTableMakesTheParentsTriggersStaleAndDeletesOnTheParentFail() throws SQLException {
        try (Connection c = bookshop()) {
            TestDb.exec(c, "DROP TABLE review");
            List<Report.StaleTrigger> stale = stale(c);
            assertEquals(2, stale.size(), stale.toString());
            Report.StaleTrigger pdel = stale.stream().filter(s -> s.name().contains("_pdel_")).findFirst().orElseThrow();
            assertEquals("book", pdel.table());
            assertEquals(List.of("review"), pdel.missingTables());
            assertEquals(pdel.name() + " names table review, which no longer exists: DELETE FROM book fails, and ALTER TABLE"
                    + " RENAME / DROP COLUMN fail on every table, until `fkguard sync` replaces it", pdel.message());
            SQLException e = assertThrows(SQLException.class, () -> TestDb.exec(c, "DELETE FROM book WHERE id = 1"));
            assertTrue(e.getMessage().contains("no such table: main.review"), e.getMessage());
            SQLException rename = assertThrows(SQLException.class, () -> TestDb.exec(c, "ALTER TABLE author RENAME TO writer"));
            assertTrue(rename.getMessage().contains("error in trigger fkguard_book_p"), rename.getMessage());
        }
    }

    @Test
    void aColumnRemovedByARebuildMakesTheTriggersNamingItStale() throws SQLException {
        try (Connection c = bookshop()) {
            // the 12-step rebuild, let through by legacy_alter_table as SQLite's page allows
            TestDb.exec(c, "PRAGMA legacy_alter_table = ON",
                    "CREATE TABLE new_review (id INTEGER PRIMARY KEY, body TEXT)",
                    "INSERT INTO new_review (id) SELECT id FROM review",
                    "DROP TABLE review", "ALTER TABLE new_review RENAME TO review",
                    "PRAGMA legacy_alter_table = OFF");
            List<Report.StaleTrigger> stale = stale(c);
            assertEquals(Set.of("review.book_id"), stale.stream().flatMap(s -> s.missingColumns().stream()).collect(Collectors.toSet()));
            assertTrue(stale.stream().allMatch(s -> s.missingTables().isEmpty()));
            assertTrue(stale.get(0).message().contains("names column review.book_id, which no longer exists"), stale.get(0).message());
            SQLException e = assertThrows(SQLException.class, () -> TestDb.exec(c, "DELETE FROM book WHERE id = 1"));
            assertTrue(e.getMessage().contains("no such column"), e.getMessage());
            assertEquals(breakingRename(stale), rejectedBySqlite(c));
        }
    }

    @Test
    void aChildColumnRemovedUnderACascadeLeavesATriggerThatSqliteNeitherRenamesAroundNorRuns() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(c, "CREATE TABLE author (id INTEGER PRIMARY KEY)",
                    "CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author(id) ON DELETE CASCADE)",
                    "INSERT INTO author VALUES (1)", "INSERT INTO book VALUES (1, 1)");
            FkGuard.sync(c, Options.defaults());
            TestDb.exec(c, "PRAGMA legacy_alter_table = ON", "CREATE TABLE new_book (id INTEGER PRIMARY KEY)",
                    "INSERT INTO new_book SELECT id FROM book", "DROP TABLE book", "ALTER TABLE new_book RENAME TO book");
            Report.StaleTrigger pdel = stale(c).stream().filter(s -> s.name().contains("_pdel_")).findFirst().orElseThrow();
            assertEquals(List.of("book.author_id"), pdel.missingColumns());
            assertEquals(List.of(), pdel.fails(), "the cascade's bare \"author_id\" does not stop SQLite from preparing it");
            assertTrue(pdel.message().contains("DELETE FROM author fails, or (where SQLite reads an unknown double-quoted name"
                    + " as a string) silently skips what the trigger does for the key, until `fkguard sync`"), pdel.message());
            // sqlite-jdbc's SQLite reads "author_id" as the string 'author_id': the cascade deletes nothing
            TestDb.exec(c, "DELETE FROM author");
            assertEquals(1, TestDb.count(c, "SELECT count(*) FROM book"));
            assertEquals(Set.of(), rejectedBySqlite(c));
        }
    }

    @Test
    void aSyncReplacesEveryStaleTriggerAndCheckFindsNoneAfterwards() throws SQLException {
        try (Connection c = bookshop()) {
            TestDb.exec(c, "DROP TABLE review");
            assertFalse(FkGuard.check(c, Options.defaults()).healthy());
            Report sync = FkGuard.sync(c, Options.defaults());
            assertEquals(2, sync.staleTriggers().size(), "the sync reports what it found before replacing it");
            assertTrue(stale(c).isEmpty());
            TestDb.exec(c, "DELETE FROM book WHERE id = 1");
            assertEquals(0, TestDb.count(c, "SELECT count(*) FROM book"));
        }
    }

    @Test
    void withEveryTableOfRandomSchemasDroppedInTurnTheStaleTriggersAreExactlyThoseSqliteRejects() throws SQLException {
        int compared = 0;
        for (long seed = 1; seed <= 10; seed++) {
            for (String dropped : RandomSchema.schemaTables(seed)) {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
                    for (String ddl : RandomSchema.schemaDdl(seed)) {
                        TestDb.exec(c, ddl);
                    }
                    FkGuard.sync(c, Options.defaults());
                    TestDb.exec(c, "DROP TABLE " + SqlText.id(dropped));
                    List<Report.StaleTrigger> stale = stale(c);
                    String context = "seed " + seed + ", dropped " + dropped;
                    assertFiringStatementsFail(c, stale, context);
                    assertEquals(rejectedBySqlite(c), breakingRename(stale), context + ": "
                            + String.join(";\n", RandomSchema.schemaDdl(seed)));
                    compared += stale.size();
                }
            }
        }
        assertTrue(compared > 20, "the sweep must meet stale triggers, met " + compared);
    }

    @Test
    void withEveryColumnOfRandomSchemasRemovedInTurnTheStaleTriggersAreExactlyThoseSqliteRejects() throws SQLException {
        int compared = 0;
        for (long seed = 1; seed <= 4; seed++) {
            for (String table : RandomSchema.schemaTables(seed)) {
                List<String> columns = new java.util.ArrayList<>();
                try (Connection c = randomSchema(seed); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT name FROM pragma_table_info(" + SqlText.literal(table) + ")")) {
                    while (rs.next()) {
                        columns.add(rs.getString(1));
                    }
                }
                for (String removed : columns) {
                    try (Connection c = randomSchema(seed)) {
                        FkGuard.sync(c, Options.defaults());
                        // a rebuild without the column, let through by legacy_alter_table (constraints do not matter here)
                        String kept = columns.stream().filter(x -> !x.equals(removed)).map(SqlText::id).collect(Collectors.joining(", "));
                        TestDb.exec(c, "PRAGMA legacy_alter_table = ON",
                                "CREATE TABLE \"fkg new\" AS SELECT " + kept + " FROM " + SqlText.id(table),
                                "DROP TABLE " + SqlText.id(table), "ALTER TABLE \"fkg new\" RENAME TO " + SqlText.id(table),
                                "PRAGMA legacy_alter_table = OFF");
                        List<Report.StaleTrigger> stale = stale(c);
                        String context = "seed " + seed + ", removed " + table + "." + removed;
                        assertFiringStatementsFail(c, stale, context);
                        assertEquals(rejectedBySqlite(c), breakingRename(stale), context);
                        compared += stale.size();
                    }
                }
            }
        }
        assertTrue(compared > 10, "the sweep must meet stale triggers, met " + compared);
    }

    private static Connection randomSchema(long seed) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
        for (String ddl : RandomSchema.schemaDdl(seed)) {
            TestDb.exec(c, ddl);
        }
        return c;
    }

    private static Set<String> names(List<Report.StaleTrigger> stale) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        stale.forEach(s -> out.add(s.name()));
        return out;
    }
}
