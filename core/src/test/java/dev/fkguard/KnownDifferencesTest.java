package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every difference from native enforcement that the README lists, pinned: the same statements run
 * on a native copy and on an fkguard copy, and the test states what each one does.
 */
class KnownDifferencesTest {

    @Test
    void oneStatementDeletingARowAndItsChildrenUnderNoActionIsRefusedRowByRow() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE node (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES node(id))",
                "INSERT INTO node VALUES (1, NULL), (2, 1), (3, 2)")) {
            String[] r = p.run("DELETE FROM node");
            assertNull(r[0], "native checks at the end of the statement: nothing is left dangling");
            assertTrue(r[1].contains("FOREIGN KEY constraint failed: node(parent) -> node(id)"), r[1]);
            assertEquals(0, TestDb.count(p.nat, "SELECT count(*) FROM node"));
            assertEquals(3, TestDb.count(p.fkg, "SELECT count(*) FROM node"));
            // the workaround: children first, or ON DELETE CASCADE
            assertNull(p.run("DELETE FROM node WHERE id = 3")[1]);
        }
    }

    @Test
    void replaceOfAReferencedParentRowIsInvisibleToTriggersWhileRecursiveTriggersIsOff() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE)",
                "INSERT INTO artist VALUES (1, 'a')", "INSERT INTO album VALUES (10, 1)")) {
            String[] r = p.run("INSERT OR REPLACE INTO artist VALUES (1, 'renamed')");
            assertNull(r[0]);
            assertNull(r[1]);
            assertEquals(0, TestDb.count(p.nat, "SELECT count(*) FROM album"), "native: the replaced row's children cascade away");
            assertEquals(1, TestDb.count(p.fkg, "SELECT count(*) FROM album"), "fkguard: no delete trigger fired, the child stays");
            // with recursive_triggers ON the implicit delete fires the delete triggers
            TestDb.exec(p.fkg, "PRAGMA recursive_triggers = ON");
            assertNull(p.run("INSERT OR REPLACE INTO artist VALUES (1, 'again')")[1]);
            assertEquals(0, TestDb.count(p.fkg, "SELECT count(*) FROM album"));
        }
    }

    @Test
    void upsertIsTheExactAlternativeToReplace() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE)",
                "INSERT INTO artist VALUES (1, 'a')", "INSERT INTO album VALUES (10, 1)")) {
            String[] r = p.run("INSERT INTO artist VALUES (1, 'renamed') ON CONFLICT (id) DO UPDATE SET name = excluded.name");
            assertNull(r[0]);
            assertNull(r[1]);
            assertEquals(TestDb.dump(p.nat), TestDb.dump(p.fkg));
        }
    }

    @Test
    void aCascadeGoingRoundATableCycleMoreThanOnceStopsAfterOneLapWhileRecursiveTriggersIsOff() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id) ON DELETE CASCADE)",
                "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id) ON DELETE CASCADE)",
                "INSERT INTO a VALUES (1, NULL)", "INSERT INTO b VALUES (1, 1)", "INSERT INTO a VALUES (2, 1)",
                "INSERT INTO b VALUES (2, 2)", "INSERT INTO a VALUES (3, 2)")) {
            String[] r = p.run("DELETE FROM a WHERE id = 1");
            assertNull(r[0]);
            assertNull(r[1]);
            assertEquals(0, TestDb.count(p.nat, "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)"));
            assertEquals(2, TestDb.count(p.fkg, "SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)"),
                    "b 2 and a 3 survive: the trigger on a does not fire again for a 2");
            assertTrue(FkGuard.plan(p.fkg, Options.defaults()).warnings().stream().anyMatch(w -> w.contains("cycle of ON DELETE CASCADE")));
            // fkguard check finds what was left behind
            assertEquals(1, FkGuard.check(p.fkg, Options.defaults()).problems().size());
        }
    }

    @Test
    void anUpsertedRowThatReferencesItselfOnlyThroughAffinityIsAcceptedNativelyButNotByTriggers() throws SQLException {
        // found by the differential test: ref '1' matches its own code 1.0 only after REAL affinity
        try (NativePair p = new NativePair("CREATE TABLE t (id TEXT PRIMARY KEY, code REAL UNIQUE,"
                + " ref TEXT REFERENCES t(code) ON UPDATE SET NULL)")) {
            String[] plain = p.run("INSERT INTO t VALUES ('A', '1', '1')");
            assertTrue(plain[0] != null && plain[1] != null, "a plain INSERT is refused by both");
            TestDb.exec(p.nat, "DELETE FROM t");
            // with UPSERT native counts instead of halting (+1 missing parent, -1 the new row found as a
            // child of itself): it passes, and leaves no orphan
            String[] upsert = p.run("INSERT INTO t VALUES ('A', '1', '1') ON CONFLICT (id) DO UPDATE SET code = 'a'");
            assertNull(upsert[0]);
            assertEquals(0, TestDb.count(p.nat, "SELECT count(*) FROM pragma_foreign_key_check"));
            assertTrue(upsert[1].contains("FOREIGN KEY constraint failed: t(ref) -> t(code)"), upsert[1]);
            assertEquals(1, TestDb.count(p.nat, "SELECT count(*) FROM t"));
        }
    }

    @Test
    void aCascadeDeeperThanSqlitesTriggerDepthLimitFailsNativelyButCompletesWithRecursiveTriggersOff() throws SQLException {
        StringBuilder rows = new StringBuilder("INSERT INTO node VALUES (1, NULL)");
        for (int i = 2; i <= 1500; i++) {
            rows.append(", (").append(i).append(", ").append(i - 1).append(')');
        }
        try (NativePair p = new NativePair("CREATE TABLE node (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES node(id) ON DELETE CASCADE)",
                rows.toString())) {
            String[] r = p.run("DELETE FROM node WHERE id = 1");
            // SQLite words its depth limit in two ways
            assertTrue(r[0].contains("too many levels of trigger recursion") || r[0].contains("nested too deep"), r[0]);
            assertNull(r[1]);
            assertEquals(1500, TestDb.count(p.nat, "SELECT count(*) FROM node"));
            assertEquals(0, TestDb.count(p.fkg, "SELECT count(*) FROM node"));
        }
    }

    private static final String[] REPLACE_ON_CONFLICT_PARENT = {
        "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE ON CONFLICT REPLACE)",
        "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id))",
        "INSERT INTO p VALUES (1, 'a')", "INSERT INTO c VALUES (1, 1)"};

    @Test
    void aPlainInsertThatReplacesAReferencedRowThroughOnConflictReplaceIsInvisibleWhileRecursiveTriggersIsOff() throws SQLException {
        try (NativePair p = new NativePair(REPLACE_ON_CONFLICT_PARENT)) {
            for (String sql : new String[] {"INSERT INTO p VALUES (2, 'a')", "UPDATE p SET name = 'a' WHERE id = 3"}) {
                TestDb.exec(p.nat, "INSERT OR IGNORE INTO p VALUES (3, 'b')");
                TestDb.exec(p.fkg, "INSERT OR IGNORE INTO p VALUES (3, 'b')");
                String[] r = p.run(sql);
                assertTrue(r[0] != null && r[0].contains("FOREIGN KEY constraint failed"), "native refuses: " + r[0]);
                assertNull(r[1], "fkguard sees no delete: " + sql);
                assertEquals(1, TestDb.count(p.fkg, "SELECT count(*) FROM c WHERE pid NOT IN (SELECT id FROM p)"), sql);
                TestDb.exec(p.fkg, "DELETE FROM p WHERE id <> 1", "INSERT OR IGNORE INTO p VALUES (1, 'a')");
            }
        }
    }

    @Test
    void withRecursiveTriggersOnThePlainInsertThatReplacesAReferencedRowIsRefusedAsNatively() throws SQLException {
        try (NativePair p = new NativePair(REPLACE_ON_CONFLICT_PARENT)) {
            TestDb.exec(p.fkg, "PRAGMA recursive_triggers = ON");
            String[] r = p.run("INSERT INTO p VALUES (2, 'a')");
            assertTrue(r[0] != null && r[1] != null && r[1].contains("c(pid) -> p(id)"), r[0] + " / " + r[1]);
        }
    }

    @Test
    void upsertOnAnOnConflictReplaceParentStaysExact() throws SQLException {
        try (NativePair p = new NativePair(REPLACE_ON_CONFLICT_PARENT)) {
            String[] r = p.run("INSERT INTO p VALUES (2, 'a') ON CONFLICT(name) DO UPDATE SET name = 'a2'");
            assertNull(r[0]);
            assertNull(r[1]);
            String[] rows = p.rows("SELECT id, name FROM p ORDER BY id");
            assertEquals(rows[0], rows[1]);
            assertEquals("1|a2\n", rows[1]);
        }
    }

    @Test
    void syncWarnsAboutAParentWithOnConflictReplaceAndNamesTheStatementsThatEscape() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(c, REPLACE_ON_CONFLICT_PARENT);
            Report r = FkGuard.sync(c, Options.defaults());
            String w = r.warnings().stream().filter(x -> x.contains("ON CONFLICT REPLACE")).findFirst().orElseThrow();
            assertTrue(w.startsWith("p has a UNIQUE or PRIMARY KEY constraint with ON CONFLICT REPLACE: a plain INSERT or UPDATE"), w);
            assertTrue(w.contains("rows of c can be left without parent"), w);
            assertTrue(w.contains("INSERT OR REPLACE, REPLACE and UPDATE OR REPLACE"), w);
            assertTrue(w.contains("INSERT ... ON CONFLICT DO UPDATE"), w);
        }
    }

    @Test
    void notNullOnConflictReplaceDeletesNoRowAndIsNotWarnedAbout() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(c, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL ON CONFLICT REPLACE DEFAULT '' UNIQUE)",
                    "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id))");
            assertTrue(FkGuard.plan(c, Options.defaults()).warnings().stream().noneMatch(x -> x.contains("ON CONFLICT REPLACE")));
        }
    }

    @Test
    void aDeferredKeyIsCheckedAtOnce() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)")) {
            TestDb.exec(p.nat, "BEGIN");
            TestDb.exec(p.fkg, "BEGIN");
            String[] r = p.run("INSERT INTO c VALUES (1, 5)");
            assertNull(r[0], "native waits for COMMIT");
            assertTrue(r[1].contains("FOREIGN KEY constraint failed"), r[1]);
            TestDb.exec(p.nat, "ROLLBACK");
            TestDb.exec(p.fkg, "ROLLBACK");
        }
    }

    @Test
    void triggersReportTheirOwnErrorCodeWithSqlitesMessageInside() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (id INTEGER PRIMARY KEY)", "CREATE TABLE c (p_id INTEGER REFERENCES p(id))")) {
            String[] r = p.run("INSERT INTO c VALUES (5)");
            assertTrue(r[0].contains("SQLITE_CONSTRAINT_FOREIGNKEY"), r[0]);
            assertTrue(r[1].contains("SQLITE_CONSTRAINT_TRIGGER"), r[1]);
            assertTrue(r[1].contains("FOREIGN KEY constraint failed: c(p_id) -> p(id)"), r[1]);
        }
    }

    private static final Options ENFORCE_BROKEN = Options.defaults().withBrokenKeys(Options.BrokenKeys.ENFORCE);

    @Test
    void aStatementThatWritesNoRowIsRefusedNativelyForABrokenKeyButPassesTheTriggers() throws SQLException {
        try (NativePair p = NativePair.seededUnchecked(ENFORCE_BROKEN, "CREATE TABLE q (id PRIMARY KEY, name)",
                "CREATE TABLE c (x REFERENCES q ON DELETE CASCADE, y REFERENCES nope)", "INSERT INTO q VALUES (1, 'a'), (2, 'b')",
                "INSERT INTO c VALUES (1, NULL)")) {
            for (String sql : new String[] {"DELETE FROM c WHERE 0", "UPDATE c SET y = 1 WHERE 0", "INSERT INTO c SELECT 1, 1 WHERE 0",
                    "DELETE FROM q WHERE id = 2"}) {
                String[] r = p.run(sql);
                assertTrue(r[0] != null && r[0].contains("no such table: main.nope"), "native refuses at prepare time: " + sql + ": " + r[0]);
                assertNull(r[1], "no row of c is written, so no trigger fires: " + sql);
            }
            assertEquals(2, TestDb.count(p.nat, "SELECT count(*) FROM q"));
            assertEquals(1, TestDb.count(p.fkg, "SELECT count(*) FROM q"), "q 2 had no child: deleted");
        }
    }

    @Test
    void anUpsertThatInsertsIsRefusedNativelyWhenItsUpdateCouldReachABrokenKeyButPassesTheTriggers() throws SQLException {
        // found by DifferentialTest: native compiles the DO UPDATE, and the actions it would run, whether a row conflicts or not
        try (NativePair p = NativePair.seededUnchecked(ENFORCE_BROKEN, "CREATE TABLE q (id PRIMARY KEY, v)",
                "CREATE TABLE p (a PRIMARY KEY, b, qid REFERENCES q(id) ON UPDATE SET NULL)", "CREATE TABLE c (x REFERENCES p(b), y)",
                "INSERT INTO q VALUES (1, 'a')", "INSERT INTO p VALUES (1, 1, 1)")) {
            String mismatch = "foreign key mismatch - \"c\" referencing \"p\"";
            for (String upsert : new String[] {"INSERT INTO p VALUES (2, 2, NULL) ON CONFLICT (a) DO UPDATE SET b = 7",
                    "INSERT INTO q VALUES (5, 'x') ON CONFLICT (id) DO UPDATE SET id = 6"}) {
                String[] r = p.run(upsert);
                assertTrue(r[0] != null && r[0].contains(mismatch), upsert + ": " + r[0]);
                assertNull(r[1], "no conflict, so no UPDATE reaches p: no trigger refuses " + upsert);
            }
            assertEquals(List.of(1L, 1L), List.of(TestDb.count(p.nat, "SELECT count(*) FROM p"), TestDb.count(p.nat, "SELECT count(*) FROM q")));
            assertEquals(List.of(2L, 2L), List.of(TestDb.count(p.fkg, "SELECT count(*) FROM p"), TestDb.count(p.fkg, "SELECT count(*) FROM q")),
                    "each inserted its row, as a plain INSERT does natively");
        }
    }

    @Test
    void aNonIntegerRowidForTheChildOfABrokenKeyFailsWithDatatypeMismatchBeforeTheBrokenKeysError() throws SQLException {
        // found by DifferentialTest: SQLite checks an INTEGER PRIMARY KEY value before any BEFORE trigger fires
        try (NativePair p = NativePair.seededUnchecked(ENFORCE_BROKEN, "CREATE TABLE c (id INTEGER PRIMARY KEY, x REFERENCES nope, y)")) {
            String[] r = p.run("INSERT INTO c VALUES ('a', 1, 1)");
            assertTrue(r[0].contains("no such table: main.nope"), r[0]);
            assertTrue(r[1].contains("datatype mismatch"), "both refuse, with another reason first: " + r[1]);
            assertTrue(p.run("INSERT INTO c VALUES (1, 1, 1)")[1].contains("no such table: main.nope"));
        }
    }

    @Test
    void aReplaceOnTheParentOfAMismatchedKeyIsRefusedNativelyButSeenByTriggersOnlyWhenItDeletesARowWithRecursiveTriggersOn()
            throws SQLException {
        try (NativePair p = NativePair.seededUnchecked(ENFORCE_BROKEN, "CREATE TABLE p (a PRIMARY KEY, b)",
                "CREATE TABLE c (x REFERENCES p(b))", "INSERT INTO p VALUES (1, 1)")) {
            String mismatch = "foreign key mismatch - \"c\" referencing \"p\"";
            String[] r = p.run("INSERT OR REPLACE INTO p VALUES (2, 2)");
            assertTrue(r[0].contains(mismatch), r[0]);
            assertNull(r[1], "nothing is deleted: no trigger fires");
            r = p.run("INSERT OR REPLACE INTO p VALUES (1, 5)");
            assertTrue(r[0].contains(mismatch), r[0]);
            assertNull(r[1], "the replaced row's delete fires no trigger while recursive_triggers is off");
            TestDb.exec(p.fkg, "PRAGMA recursive_triggers = ON");
            assertTrue(p.run("INSERT OR REPLACE INTO p VALUES (1, 6)")[1].contains(mismatch));
        }
    }

    @Test
    void aMultiRowInsertIntoTheParentOfAMismatchedKeyIsRefusedNativelyButPassesTheTriggers() throws SQLException {
        try (NativePair p = NativePair.seededUnchecked(ENFORCE_BROKEN, "CREATE TABLE p (a PRIMARY KEY, b)",
                "CREATE TABLE c (x REFERENCES p(b), y)")) {
            for (String sql : new String[] {"INSERT INTO p VALUES (1, 1), (2, 2)", "INSERT INTO p SELECT 3, 3"}) {
                String[] r = p.run(sql);
                assertTrue(r[0] != null && r[0].contains("foreign key mismatch - \"c\" referencing \"p\""),
                        "native looks the parent index up for a statement that may write several rows: " + r[0]);
                assertNull(r[1], "an insert into the parent cannot break a key, and no trigger can tell one row from several: " + sql);
            }
            String[] r = p.run("INSERT INTO p VALUES (4, 4)");
            assertNull(r[0]);
            assertNull(r[1]);
        }
    }

    @Test
    void aBrokenKeysRefusalIsAConstraintTriggerErrorWhereNativeGivesAPlainError() throws SQLException {
        try (NativePair p = NativePair.seededUnchecked(ENFORCE_BROKEN, "CREATE TABLE c (x REFERENCES nope)")) {
            String[] r = p.run("INSERT INTO c VALUES (1)");
            assertTrue(r[0].startsWith("[SQLITE_ERROR]") && r[0].contains("no such table: main.nope"), r[0]);
            assertTrue(r[1].startsWith("[SQLITE_CONSTRAINT_TRIGGER]") && r[1].contains("no such table: main.nope"), r[1]);
        }
    }

    @Test
    void aReplaceThatKeepsAReferencedParentKeyIsRefusedUnderNoActionWhileRecursiveTriggersIsOn() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id))",
                "INSERT INTO p VALUES (1, 'a')", "INSERT INTO c VALUES (1, 1)")) {
            TestDb.exec(p.fkg, "PRAGMA recursive_triggers = ON");
            String[] r = p.run("INSERT OR REPLACE INTO p VALUES (1, 'b')");
            assertNull(r[0], "native counts the delete and the insert of the same key: +1 -1");
            assertTrue(r[1].contains("FOREIGN KEY constraint failed: c(pid) -> p(id)"),
                    "the delete trigger fires before the new row exists: " + r[1]);
            TestDb.exec(p.fkg, "PRAGMA recursive_triggers = OFF");
            assertNull(p.run("INSERT OR REPLACE INTO p VALUES (1, 'b')")[1], "with it off no delete trigger fires");
            assertEquals(TestDb.dump(p.nat), TestDb.dump(p.fkg));
        }
    }

    @Test
    void anOnUpdateCascadeChainNeedsOneTriggerLevelMoreThanNative() throws SQLException {
        // SQLITE_LIMIT_TRIGGER_DEPTH (1000 by default) lowered to 5 on both copies: the same rule, small
        int limit = 5;
        int tables = limit + 1;
        String[] setup = new String[tables + 1];
        setup[0] = "CREATE TABLE t1 (id INTEGER PRIMARY KEY)";
        StringBuilder rows = new StringBuilder("INSERT INTO t1 VALUES (1);");
        for (int i = 2; i <= tables; i++) {
            setup[i - 1] = "CREATE TABLE t" + i + " (id INTEGER PRIMARY KEY REFERENCES t" + (i - 1) + "(id) ON UPDATE CASCADE)";
            rows.append("INSERT INTO t").append(i).append(" VALUES (1);");
        }
        setup[tables] = rows.toString();
        try (NativePair p = new NativePair(setup)) {
            ((org.sqlite.SQLiteConnection) p.nat).setLimit(org.sqlite.SQLiteLimits.SQLITE_LIMIT_TRIGGER_DEPTH, limit);
            ((org.sqlite.SQLiteConnection) p.fkg).setLimit(org.sqlite.SQLiteLimits.SQLITE_LIMIT_TRIGGER_DEPTH, limit);
            String[] r = p.run("UPDATE t1 SET id = 2");
            assertNull(r[0], limit + " cascade levels fit native's limit of " + limit);
            assertTrue(r[1].contains("triggers nested too deep"), "the last table's own key check is level " + (limit + 1) + ": " + r[1]);
            r = p.run("UPDATE t2 SET id = 2");
            assertTrue(r[0] == null && r[1] == null, "one level shorter fits both: " + r[0] + " / " + r[1]);
        }
    }

    @Test
    void keysBetweenTempTablesAreEnforcedOnlyOnTheConnectionThatSyncedSchemaTemp() throws SQLException {
        try (NativePair p = new NativePair("CREATE TEMP TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TEMP TABLE c (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES p(id))", "INSERT INTO p VALUES (1)")) {
            String[] r = p.run("INSERT INTO c VALUES (1, 9)");
            assertTrue(r[0].contains("FOREIGN KEY constraint failed"), r[0]);
            assertNull(r[1], "a sync of main never sees temp tables");
            TestDb.exec(p.fkg, "DELETE FROM c");
            FkGuard.sync(p.fkg, Options.defaults().withSchema("temp"));
            assertTrue(p.run("INSERT INTO c VALUES (2, 9)")[1].contains("FOREIGN KEY constraint failed: c(pid) -> p(id)"));
            assertEquals(0, TestDb.count(p.fkg, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"),
                    "the triggers are temp triggers: gone with the connection, never in the file");
        }
    }

    @Test
    void aNoActionCheckFiresBeforeAUserTriggerThatExistedBeforeTheFirstSyncAndMissesItsRepair() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE parent (x INTEGER PRIMARY KEY, note TEXT)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, c INTEGER REFERENCES parent(x))",
                "CREATE TRIGGER parent_t AFTER DELETE ON parent BEGIN UPDATE child SET c = NULL WHERE c = old.x; END",
                "INSERT INTO parent (x) VALUES (1)", "INSERT INTO child (c) VALUES (1)")) {
            String[] r = p.run("DELETE FROM parent WHERE x = 1");
            assertNull(r[0], "native checks NO ACTION at the end of the statement, after parent_t moved the child away");
            assertTrue(r[1].contains("FOREIGN KEY constraint failed: child(c) -> parent(x)"),
                    "fkguard's check was created after parent_t, so it fires first: " + r[1]);
            assertTrue(FkGuard.check(p.fkg, Options.defaults()).warnings().stream()
                    .anyMatch(w -> w.contains("is newer than parent_t") && w.contains("a repair that trigger makes is not seen")));
            // created after fkguard's check, the same trigger repairs in time
            TestDb.exec(p.fkg, "DROP TRIGGER parent_t",
                    "CREATE TRIGGER parent_t AFTER DELETE ON parent BEGIN UPDATE child SET c = NULL WHERE c = old.x; END");
            assertNull(p.run("DELETE FROM parent WHERE x = 1")[1]);
        }
    }

    @Test
    void aChildCheckFiresBeforeAUserTriggerThatExistedBeforeTheFirstSyncAndMissesTheParentItInserts() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE parent (x INTEGER PRIMARY KEY, note TEXT)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, c INTEGER REFERENCES parent(x))",
                "CREATE TRIGGER child_t AFTER INSERT ON child BEGIN INSERT OR IGNORE INTO parent (x) VALUES (new.c); END")) {
            String[] r = p.run("INSERT INTO child (c) VALUES (7)");
            assertNull(r[0], "native counts the missing parent and finds it inserted by child_t at the end of the statement");
            assertTrue(r[1].contains("FOREIGN KEY constraint failed: child(c) -> parent(x)"), r[1]);
            TestDb.exec(p.fkg, "DROP TRIGGER child_t",
                    "CREATE TRIGGER child_t AFTER INSERT ON child BEGIN INSERT OR IGNORE INTO parent (x) VALUES (new.c); END");
            assertNull(p.run("INSERT INTO child (c) VALUES (8)")[1], "created after fkguard's check, child_t fires first");
        }
    }

    @Test
    void aMergedTriggerKeptBehindAUserTriggerCreatedLaterRunsItsCascadeAgainOnChildrenOfARowThatTriggerPutsBack() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE parent (x INTEGER PRIMARY KEY, note TEXT)",
                "CREATE TABLE child1 (id INTEGER PRIMARY KEY, c INTEGER REFERENCES parent ON DELETE CASCADE)",
                "CREATE TABLE child2 (id INTEGER PRIMARY KEY, c INTEGER REFERENCES parent)",
                "INSERT INTO parent (x) VALUES (1), (2)", "INSERT INTO child1 (c) VALUES (1)")) {
            // created after the first sync: fkguard keeps its merged trigger (the only one older than u, so the
            // only one that can check child2 after u) and creates the cascade again, newest
            String putBack = "CREATE TRIGGER u AFTER DELETE ON parent BEGIN"
                    + " INSERT INTO parent (x) VALUES (old.x); INSERT INTO child1 (c) VALUES (old.x); END";
            TestDb.exec(p.nat, putBack);
            TestDb.exec(p.fkg, putBack);
            FkGuard.sync(p.fkg, Options.defaults());
            String[] r = p.run("DELETE FROM parent WHERE x = 1");
            assertNull(r[0]);
            assertNull(r[1]);
            assertEquals(1, TestDb.count(p.nat, "SELECT count(*) FROM child1"), "native: u's new child of the row it put back stays");
            assertEquals(0, TestDb.count(p.fkg, "SELECT count(*) FROM child1"), "fkguard: the merged trigger cascades again after u");
            assertEquals(0, TestDb.count(p.fkg, "SELECT count(*) FROM pragma_foreign_key_check"), "nothing is left without a parent");
        }
    }
    @Test
    void aCheckNewerThanAUserTriggerThatFailsRefusesWithTheForeignKeyErrorInsteadOfThatTriggers() throws SQLException {
        String childT = "CREATE TRIGGER child_t AFTER INSERT ON child BEGIN SELECT RAISE(ABORT, 'child_t refuses'); END";
        try (NativePair p = new NativePair("CREATE TABLE parent (x INTEGER PRIMARY KEY)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, c INTEGER REFERENCES parent(x))", childT)) {
            String[] r = p.run("INSERT INTO child (c) VALUES (7)");
            assertTrue(r[0].contains("child_t refuses"), "native counts the missing parent, child_t aborts first: " + r[0]);
            assertTrue(r[1].contains("FOREIGN KEY constraint failed: child(c) -> parent(x)"),
                    "fkguard's check was created after child_t, so it fires first: " + r[1]);
            TestDb.exec(p.fkg, "DROP TRIGGER child_t", childT);
            assertTrue(p.run("INSERT INTO child (c) VALUES (7)")[1].contains("child_t refuses"), "created after the check, child_t fires first");
        }
    }

    @Test
    void aRowAUserTriggerWritesIsCheckedAtOnceSoItsForeignKeyErrorComesBeforeALaterErrorOfTheStatement() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE parent (x INTEGER PRIMARY KEY, note TEXT)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, c INTEGER REFERENCES parent(x))",
                "CREATE TABLE src (id INTEGER PRIMARY KEY, v INTEGER)", "INSERT INTO parent VALUES (1, 'a')",
                "INSERT INTO child (c) VALUES (1)", "INSERT INTO src (v) VALUES (1)")) {
            String srcT = "CREATE TRIGGER src_t AFTER INSERT ON src BEGIN INSERT INTO child (c) VALUES (new.v);"
                    + " SELECT RAISE(ABORT, 'src_t refuses') WHERE new.v > 5; END";
            TestDb.exec(p.nat, srcT);
            TestDb.exec(p.fkg, srcT);
            FkGuard.sync(p.fkg, Options.defaults());
            String[] r = p.run("INSERT INTO src (v) VALUES (7)");
            assertTrue(r[0].contains("src_t refuses"), "native checks the child row at the end of the statement: " + r[0]);
            assertTrue(r[1].contains("FOREIGN KEY constraint failed: child(c) -> parent(x)"), "fkguard checks it as it is written: " + r[1]);
            assertEquals(TestDb.dump(p.nat), TestDb.dump(p.fkg), "both undo the whole statement");
        }
    }

    @Test
    void aReplaceReplacesTheParentRowsItsUserTriggersInsertAndThatDeleteIsInvisibleWhileRecursiveTriggersIsOff() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE artist (id INTEGER PRIMARY KEY, name TEXT)",
                "CREATE TABLE album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE)",
                "CREATE TABLE log (id INTEGER PRIMARY KEY, artist_id INTEGER)",
                "CREATE TRIGGER log_t AFTER INSERT ON log BEGIN INSERT OR IGNORE INTO artist VALUES (new.artist_id, 'from log'); END",
                "INSERT INTO artist VALUES (1, 'a')", "INSERT INTO album VALUES (10, 1)")) {
            assertNull(p.run("INSERT INTO log (artist_id) VALUES (1)")[1]);
            assertEquals(1, TestDb.count(p.nat, "SELECT count(*) FROM album"), "log_t's OR IGNORE keeps artist 1");
            String[] r = p.run("INSERT OR REPLACE INTO log (artist_id) VALUES (1)");
            assertNull(r[0]);
            assertNull(r[1]);
            assertEquals("from log", p.rows("SELECT name FROM artist")[0].trim(), "the outer OR REPLACE overrides log_t's OR IGNORE");
            assertEquals(0, TestDb.count(p.nat, "SELECT count(*) FROM album"), "native: the replaced artist's album cascades away");
            assertEquals(1, TestDb.count(p.fkg, "SELECT count(*) FROM album"), "fkguard: no delete trigger fired, the album stays");
        }
    }
    @Test
    void aRowAForeignKeyActionWritesIsCheckedAtOnceSoItsForeignKeyErrorComesBeforeALaterRaiseOfTheStatement() throws SQLException {
        try (NativePair p = new NativePair("CREATE TABLE p (id INTEGER PRIMARY KEY, note TEXT)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INTEGER DEFAULT 99 REFERENCES p ON UPDATE SET DEFAULT)",
                "CREATE TRIGGER c_guard BEFORE UPDATE ON c WHEN new.id = 2 BEGIN SELECT RAISE(ABORT, 'c_guard refuses'); END",
                "INSERT INTO p VALUES (1, 'a')", "INSERT INTO c VALUES (1, 1), (2, 1)")) {
            String[] r = p.run("UPDATE p SET id = 5 WHERE id = 1");
            assertTrue(r[0].contains("c_guard refuses"), "native counts c 1's missing default parent, c_guard aborts at c 2: " + r[0]);
            assertTrue(r[1].contains("FOREIGN KEY constraint failed: c(pid) -> p(id)"), "fkguard checks c 1 as SET DEFAULT writes it: " + r[1]);
            assertEquals(TestDb.dump(p.nat), TestDb.dump(p.fkg), "both undo the whole statement");
        }
    }
}
