package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ALTER TABLE ... ADD COLUMN ... REFERENCES} with a non-NULL default, shown to {@link MigrationGuard} before it
 * runs: fkguard refuses what SQLite refuses under {@code foreign_keys=ON} and lets through what it lets through. Each
 * statement runs on a native copy (foreign_keys=ON) and, through the guard, on an fkguard copy; native is the oracle.
 * The first three are e_fkey-56.1 to 56.3 of SQLite's e_fkey.test (a table {@code tbl(a, b)} with one row).
 */
class AddColumnReferencesTest {
    private static final String NATIVE = AddColumnReferencesCheck.NATIVE_ERROR;
    private static final String[] TABLE_WITH_A_ROW = {"CREATE TABLE tbl(a, b)", "INSERT INTO tbl VALUES(1, 2)"};

    /** SQLite's text for a refusal, without the driver's wrapping; fkguard's refusal as the native message it starts with. */
    private static String outcome(Connection c, MigrationGuard guard, String sql) {
        try (Statement st = c.createStatement()) {
            if (guard != null) {
                guard.beforeStatement(sql);
            }
            st.execute(sql);
            return null;
        } catch (FkGuardException e) {
            assertTrue(e.getMessage().startsWith("fkguard refused the statement: " + NATIVE + ": "), e.getMessage());
            return NATIVE;
        } catch (SQLException e) {
            String m = e.getMessage();
            return m.substring(m.indexOf('(') + 1, m.lastIndexOf(')'));
        }
    }

    /** Runs {@code sql} on both copies after {@code setup}; both must give {@code expected} (null: accepted) and end alike. */
    private static void agrees(String sql, String expected, String... setup) throws SQLException {
        try (NativePair p = new NativePair(setup)) {
            assertEquals(expected, outcome(p.nat, null, sql), "native, " + sql);
            assertEquals(expected, outcome(p.fkg, MigrationGuard.begin(p.fkg, Options.defaults()), sql), "fkguard, " + sql);
            assertEquals(TestDb.dump(p.nat), TestDb.dump(p.fkg), "rows after " + sql);
            assertEquals(tableSql(p.nat), tableSql(p.fkg), "schema after " + sql);
        }
    }

    private static String tableSql(Connection c) throws SQLException {
        return String.join("\n", new Database(c, "main").column("SELECT sql FROM sqlite_master WHERE type = 'table' ORDER BY name"));
    }

    @Test
    void theAddColumnCasesOfSqlitesEFkeyTestAgreeWithNative() throws SQLException {
        agrees("ALTER TABLE tbl ADD COLUMN c REFERENCES xx", null, TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT NULL REFERENCES xx", null, TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT 0 REFERENCES xx", NATIVE, TABLE_WITH_A_ROW);
    }

    @Test
    void aDefaultCountsAsNullOnlyWhereSqliteReadsTheLiteralNull() throws SQLException {
        for (String dflt : List.of("(NULL)", "((NULL))", "+NULL", "NuLl", "null /* a comment */", "NULL -- a comment\n")) {
            agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT " + dflt + " REFERENCES xx", null, TABLE_WITH_A_ROW);
        }
        for (String dflt : List.of("-NULL", "(+NULL)", "'NULL'", "\"NULL\"", "[NULL]", "(NULL + 1)", "''", "1.5", "-1",
                "1e-5", "x'00'", "TRUE", "abc", "CURRENT_TIME", "(CASE WHEN 1 THEN NULL END)")) {
            agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT " + dflt + " REFERENCES xx", NATIVE, TABLE_WITH_A_ROW);
        }
    }

    @Test
    void everyPlaceOfTheClausesInTheColumnDefinitionIsRead() throws SQLException {
        for (String def : List.of("c INTEGER DEFAULT 1 CONSTRAINT fk REFERENCES xx", "c REFERENCES xx DEFAULT 1",
                "\"c d\" VARCHAR(10) NOT NULL DEFAULT 'a' REFERENCES \"x x\" (id) ON DELETE SET DEFAULT NOT DEFERRABLE",
                "'c' DEFAULT 1 CHECK (c > 0) COLLATE NOCASE REFERENCES xx MATCH FULL",
                "c DEFAULT NULL REFERENCES xx DEFAULT 1", "c DEFAULT 1 REFERENCES xx REFERENCES yy",
                "/* c */ c DEFAULT 1 REFERENCES [xx]")) {
            agrees("ALTER TABLE tbl ADD COLUMN " + def, NATIVE, TABLE_WITH_A_ROW);
        }
        agrees("ALTER TABLE tbl ADD c DEFAULT 1 REFERENCES xx", NATIVE, TABLE_WITH_A_ROW);
        agrees("ALTER TABLE main.tbl ADD COLUMN c DEFAULT 1 REFERENCES xx", NATIVE, TABLE_WITH_A_ROW);
        agrees("ALTER TABLE TBL ADD COLUMN c DEFAULT 1 REFERENCES xx", NATIVE, TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT 1 REFERENCES xx DEFAULT NULL", null, TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT 1", null, TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c AS (1) REFERENCES xx", null, TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c GENERATED ALWAYS AS (1) VIRTUAL REFERENCES xx", null, TABLE_WITH_A_ROW);
    }

    @Test
    void aDefaultThatHasAParentRowIsRefusedAsNativeRefusesIt() throws SQLException {
        agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT 0 REFERENCES p(id)", NATIVE, "CREATE TABLE p(id PRIMARY KEY, name)",
                "INSERT INTO p VALUES (0, 'zero')", "CREATE TABLE tbl(a, b)", "INSERT INTO tbl VALUES(1, 2)");
    }

    @Test
    void anEmptyTableTakesTheColumnAsNativeTakesIt() throws SQLException {
        agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT 0 REFERENCES xx", null, "CREATE TABLE tbl(a, b)");
    }

    @Test
    void sqlitesOwnRefusalsOfTheStatementComeFirstWithItsOwnMessage() throws SQLException {
        agrees("ALTER TABLE tbl ADD COLUMN a DEFAULT 1 REFERENCES xx", "duplicate column name: a", TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c UNIQUE DEFAULT 1 REFERENCES xx", "Cannot add a UNIQUE column", TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c PRIMARY KEY DEFAULT 1 REFERENCES xx", "Cannot add a PRIMARY KEY column", TABLE_WITH_A_ROW);
        agrees("ALTER TABLE nosuch ADD COLUMN c DEFAULT 1 REFERENCES xx", "no such table: nosuch", TABLE_WITH_A_ROW);
        agrees("ALTER TABLE tbl ADD COLUMN c DEFAULT NULL foo REFERENCES xx", "near \"foo\": syntax error", TABLE_WITH_A_ROW);
    }

    @Test
    void theRefusalNamesTableColumnAndParentAndLeavesTheDatabaseAsItWas() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p(id INTEGER PRIMARY KEY)", "CREATE TABLE \"my table\"(a REFERENCES p)",
                "INSERT INTO p VALUES (1)", "INSERT INTO \"my table\" VALUES (1)")) {
            String before = tableSql(p.fkg);
            var triggers = TestDb.fkguardTriggers(p.fkg);
            MigrationGuard guard = MigrationGuard.begin(p.fkg, Options.defaults());
            FkGuardException e = assertThrows(FkGuardException.class,
                    () -> guard.beforeStatement("ALTER TABLE \"my table\" ADD COLUMN \"new col\" INTEGER DEFAULT 1 REFERENCES p"));
            Report.Problem problem = e.report().problems().get(0);
            assertEquals(List.of("my table", List.of("new col"), "p"), List.of(problem.table(), problem.columns(), problem.parent()));
            assertTrue(e.getMessage().contains("table my table, column new col (DEFAULT 1, REFERENCES p)"), e.getMessage());
            assertEquals(before, tableSql(p.fkg));
            assertEquals(triggers, TestDb.fkguardTriggers(p.fkg), "no trigger stepped aside");
        }
    }

    @Test
    void aGuardWhoseTriggersSteppedAsideRefusesItToo() throws SQLException {
        try (NativePair p = new NativePair(TABLE_WITH_A_ROW)) {
            MigrationGuard guard = MigrationGuard.suspend(p.fkg, Options.defaults());
            assertEquals(NATIVE, outcome(p.fkg, guard, "ALTER TABLE tbl ADD COLUMN c DEFAULT 0 REFERENCES xx"));
        }
    }

    @Test
    void aTableLeftOutByTheOptionsIsNotChecked() throws SQLException {
        try (NativePair p = new NativePair(TABLE_WITH_A_ROW)) {
            Options excluded = Options.defaults().withExcludedTables(java.util.Set.of("TBL"));
            assertNull(outcome(p.fkg, MigrationGuard.begin(p.fkg, excluded), "ALTER TABLE tbl ADD COLUMN c DEFAULT 0 REFERENCES xx"));
        }
    }
}
