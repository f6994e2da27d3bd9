package dev.fkguard;

import static dev.fkguard.StatementClassifier.Kind.ADD_COLUMN;
import static dev.fkguard.StatementClassifier.Kind.CREATE_TABLE;
import static dev.fkguard.StatementClassifier.Kind.DROP_COLUMN;
import static dev.fkguard.StatementClassifier.Kind.DROP_TABLE;
import static dev.fkguard.StatementClassifier.Kind.HARMLESS;
import static dev.fkguard.StatementClassifier.Kind.RENAME_COLUMN;
import static dev.fkguard.StatementClassifier.Kind.RENAME_TABLE;
import static dev.fkguard.StatementClassifier.Kind.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a migration statement does to the tables fkguard's triggers name; when in doubt, UNKNOWN. */
class StatementClassifierTest {

    private static StatementClassifier.Effect only(String sql) {
        List<StatementClassifier.Effect> effects = StatementClassifier.classify(sql);
        assertEquals(1, effects.size(), "one statement in: " + sql);
        return effects.get(0);
    }

    private static List<StatementClassifier.Kind> kinds(String sql) {
        return StatementClassifier.classify(sql).stream().map(StatementClassifier.Effect::kind).toList();
    }

    @Test
    void dataStatementsAreHarmless() {
        for (String sql : List.of("INSERT INTO t VALUES (1)", "update t set a = 1", "DELETE FROM t",
                "WITH x AS (SELECT 1) DELETE FROM t WHERE a IN x", "REPLACE INTO t VALUES (1)", "SELECT 1",
                "VALUES (1)", "BEGIN", "COMMIT", "SAVEPOINT s", "RELEASE s", "ROLLBACK TO s", "ANALYZE", "VACUUM")) {
            assertEquals(HARMLESS, only(sql).kind(), sql);
        }
    }

    @Test
    void dropTableNamesTheTableUnquoted() {
        StatementClassifier.Effect e = only("DROP TABLE IF EXISTS \"Order Line\"");
        assertEquals(DROP_TABLE, e.kind());
        assertEquals("Order Line", e.table());
        assertEquals(null, e.schema());
    }

    @Test
    void bracketAndBacktickQuotesAreIdentifiers() {
        assertEquals("a b", only("DROP TABLE [a b]").table());
        assertEquals("a`b", only("DROP TABLE `a``b`").table());
    }

    @Test
    void aSchemaPrefixIsKeptApartFromTheTable() {
        StatementClassifier.Effect e = only("drop table \"aux\" . \"t\"");
        assertEquals("aux", e.schema());
        assertEquals("t", e.table());
        assertFalse(e.concerns("main"));
        assertTrue(e.concerns("AUX"));
        assertTrue(only("DROP TABLE t").concerns("main"), "no prefix concerns every schema");
    }

    @Test
    void commentsAnywhereAreSkipped() {
        StatementClassifier.Effect e = only("/* drop table x */ -- alter table y\n DROP /* c */ TABLE -- t\n z");
        assertEquals(DROP_TABLE, e.kind());
        assertEquals("z", e.table());
    }

    @Test
    void keywordsInsideStringLiteralsAreNotStatements() {
        assertEquals(List.of(HARMLESS), kinds("INSERT INTO log VALUES ('x; DROP TABLE t')"));
    }

    @Test
    void createTableWithIfNotExistsNamesTheTable() {
        StatementClassifier.Effect e = only("CREATE TABLE IF NOT EXISTS main.track (id INTEGER PRIMARY KEY, a REFERENCES album)");
        assertEquals(CREATE_TABLE, e.kind());
        assertEquals("track", e.table());
        assertEquals("main", e.schema());
        assertEquals(CREATE_TABLE, only("CREATE TEMP TABLE x AS SELECT 1").kind());
    }

    @Test
    void alterTableFormsAreTold() {
        assertEquals(ADD_COLUMN, only("ALTER TABLE t ADD COLUMN c REFERENCES p").kind());
        StatementClassifier.Effect drop = only("ALTER TABLE t DROP COLUMN \"my col\"");
        assertEquals(DROP_COLUMN, drop.kind());
        assertEquals("my col", drop.column());
        assertEquals(DROP_COLUMN, only("alter table t drop c").kind());
        StatementClassifier.Effect rename = only("ALTER TABLE new_t RENAME TO t");
        assertEquals(RENAME_TABLE, rename.kind());
        assertEquals("new_t", rename.table());
        assertEquals("t", rename.newName());
        StatementClassifier.Effect col = only("ALTER TABLE t RENAME COLUMN a TO b");
        assertEquals(RENAME_COLUMN, col.kind());
        assertEquals("a", col.column());
        assertEquals("b", col.newName());
        assertEquals(RENAME_COLUMN, only("ALTER TABLE t RENAME a TO b").kind());
    }

    @Test
    void indexStatementsNameTheirTableOrIndex() {
        StatementClassifier.Effect create = only("CREATE UNIQUE INDEX IF NOT EXISTS main.i ON \"T\" (a)");
        assertEquals(StatementClassifier.Kind.CREATE_INDEX, create.kind());
        assertEquals("T", create.table());
        assertEquals("main", create.schema());
        StatementClassifier.Effect drop = only("DROP INDEX IF EXISTS i");
        assertEquals(StatementClassifier.Kind.DROP_INDEX, drop.kind());
        assertEquals("i", drop.table());
    }

    @Test
    void viewsAreHarmless() {
        for (String sql : List.of("CREATE VIEW v AS SELECT 1", "DROP VIEW v")) {
            assertEquals(HARMLESS, only(sql).kind(), sql);
        }
    }

    @Test
    void aUserTriggerNamesTheTableItIsOnOrForADropItsOwnName() {
        StatementClassifier.Effect create = only("CREATE TRIGGER IF NOT EXISTS main.audit AFTER UPDATE OF \"on\" ON \"T t\" BEGIN SELECT 1; END");
        assertEquals(List.of(StatementClassifier.Kind.USER_TRIGGER, "T t", "audit", "main"),
                List.of(create.kind(), create.table(), create.column(), create.schema()));
        StatementClassifier.Effect drop = only("DROP TRIGGER IF EXISTS audit");
        assertEquals(List.of(StatementClassifier.Kind.USER_TRIGGER, "audit"), List.of(drop.kind(), drop.column()));
    }

    @Test
    void aTriggerBodyIsOneStatementEvenWithCaseEnd() {
        assertEquals(List.of(StatementClassifier.Kind.USER_TRIGGER, DROP_TABLE), kinds("CREATE TRIGGER a AFTER INSERT ON t BEGIN "
                + "SELECT CASE WHEN 1 THEN 2 END; DELETE FROM u; END; DROP TABLE x"));
    }

    @Test
    void severalStatementsAreClassifiedInOrder() {
        assertEquals(List.of(CREATE_TABLE, HARMLESS, DROP_TABLE, RENAME_TABLE),
                kinds("CREATE TABLE n (a); INSERT INTO n SELECT * FROM o; DROP TABLE o; ALTER TABLE n RENAME TO o;"));
        assertEquals(List.of(), kinds("  ; -- nothing\n"));
    }

    @Test
    void touchingFkguardsOwnTriggersIsUnknown() {
        assertEquals(UNKNOWN, only("DROP TRIGGER fkguard_album_ins_0123456789").kind());
        assertEquals(UNKNOWN, only("CREATE TRIGGER \"FKGUARD_x\" AFTER INSERT ON t BEGIN SELECT 1; END").kind());
    }

    @Test
    void schemaEditingPragmasAreUnknownOthersHarmless() {
        assertEquals(UNKNOWN, only("PRAGMA writable_schema = ON").kind());
        assertEquals(UNKNOWN, only("PRAGMA legacy_alter_table=1").kind());
        assertEquals(HARMLESS, only("PRAGMA foreign_keys = OFF").kind());
        assertEquals(HARMLESS, only("PRAGMA main.user_version = 3").kind(),
                "a schema-qualified pragma is read by its name, user_version");
    }

    @Test
    void whatItCannotReadIsUnknown() {
        for (String sql : List.of("UPSERT t", "DROP TABLE 'quoted as string'", "ALTER TABLE t RENAME TO", "DROP TABLE",
                "ALTER TABLE t DROP COLUMN c, d", "DROP TABLE a b", "ALTER INDEX i", "(SELECT 1)", "CREATE SOMETHING x")) {
            assertEquals(UNKNOWN, only(sql).kind(), sql);
        }
    }

    @Test
    void single_dml_statements_take_the_shortcut_and_get_what_the_tokenizer_says() {
        for (String sql : java.util.List.of("INSERT INTO t VALUES (1, 'a')", "  insert into t values(1);", "UPDATE t SET a = 1;\n",
                "DELETE FROM t WHERE id = 2", "REPLACE INTO t VALUES (1)", "SELECT * FROM t", "VALUES(1)",
                "select 'drop table p' from t", "INSERT INTO \"drop\" VALUES (1);;  ")) {
            assertTrue(StatementClassifier.isSingleDml(sql), sql);
            assertEquals(StatementClassifier.tokenized(sql), StatementClassifier.classify(sql), sql);
        }
    }

    @Test
    void text_that_may_hold_more_than_one_dml_statement_goes_through_the_tokenizer() {
        for (String sql : java.util.List.of("INSERT INTO t VALUES (1); DROP TABLE p", "INSERT INTO t VALUES ('a;b')",
                "/* insert */ DROP TABLE p", "-- x\nINSERT INTO t VALUES (1)", "DROP TABLE insert_log", "INSERTS",
                "SELECT", "insert_into", "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "ALTER TABLE t DROP COLUMN c")) {
            assertFalse(StatementClassifier.isSingleDml(sql), sql);
            assertEquals(StatementClassifier.tokenized(sql), StatementClassifier.classify(sql), sql);
        }
        assertEquals(StatementClassifier.Kind.DROP_TABLE, StatementClassifier.classify("INSERT INTO t VALUES (1); DROP TABLE p").get(1).kind());
    }
}
