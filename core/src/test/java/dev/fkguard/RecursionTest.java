package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Cascades through self references and table cycles, with recursive_triggers off (the default) and on. */
class RecursionTest {
    @TempDir
    Path dir;

    private Connection tree(boolean recursiveTriggers, String onDelete, int depth) throws SQLException {
        Connection c = TestDb.open(dir.resolve("tree-" + recursiveTriggers + ".db"));
        TestDb.exec(c, "CREATE TABLE node (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES node(id) ON DELETE " + onDelete
                + " ON UPDATE CASCADE)", "CREATE INDEX node_parent ON node(parent)");
        c.setAutoCommit(false);
        TestDb.exec(c, "INSERT INTO node VALUES (1, NULL)");
        for (int i = 2; i <= depth; i++) {
            TestDb.exec(c, "INSERT INTO node VALUES (" + i + ", " + (i - 1) + ")");
        }
        // a second branch under the root, two levels deep
        TestDb.exec(c, "INSERT INTO node VALUES (100000, 1)", "INSERT INTO node VALUES (100001, 100000)");
        c.commit();
        c.setAutoCommit(true);
        FkGuard.sync(c, Options.defaults());
        TestDb.exec(c, "PRAGMA recursive_triggers = " + (recursiveTriggers ? "ON" : "OFF"));
        return c;
    }

    @ParameterizedTest(name = "recursive_triggers {0}")
    @ValueSource(booleans = {false, true})
    void deletingTheRootOfATreeDeletesEveryLevelBelowIt(boolean recursiveTriggers) throws SQLException {
        try (Connection c = tree(recursiveTriggers, "CASCADE", 500)) {
            TestDb.exec(c, "DELETE FROM node WHERE id = 2");
            assertEquals(3, TestDb.count(c, "SELECT count(*) FROM node"), "root and the second branch stay");
            TestDb.exec(c, "DELETE FROM node WHERE id = 1");
            assertEquals(0, TestDb.count(c, "SELECT count(*) FROM node"));
        }
    }

    @org.junit.jupiter.api.Test
    void aChainDeeperThanSqlitesTriggerDepthLimitIsDeletedWithRecursiveTriggersOff() throws SQLException {
        try (Connection c = tree(false, "CASCADE", 3000)) {
            TestDb.exec(c, "DELETE FROM node WHERE id = 1");
            assertEquals(0, TestDb.count(c, "SELECT count(*) FROM node"));
        }
    }

    @ParameterizedTest(name = "recursive_triggers {0}")
    @ValueSource(booleans = {false, true})
    void setNullDetachesOnlyTheDirectChildren(boolean recursiveTriggers) throws SQLException {
        try (Connection c = tree(recursiveTriggers, "SET NULL", 50)) {
            TestDb.exec(c, "DELETE FROM node WHERE id = 1");
            assertEquals(2, TestDb.count(c, "SELECT count(*) FROM node WHERE parent IS NULL"));
            assertEquals(51, TestDb.count(c, "SELECT count(*) FROM node"), "50 chain nodes and 2 branch nodes, less the root");
        }
    }

    @ParameterizedTest(name = "recursive_triggers {0}")
    @ValueSource(booleans = {false, true})
    void aKeyUpdateCascadesToTheChildren(boolean recursiveTriggers) throws SQLException {
        try (Connection c = tree(recursiveTriggers, "CASCADE", 50)) {
            TestDb.exec(c, "UPDATE node SET id = 7777 WHERE id = 1");
            assertEquals(2, TestDb.count(c, "SELECT count(*) FROM node WHERE parent = 7777"));
        }
    }

    @ParameterizedTest(name = "recursive_triggers {0}")
    @ValueSource(booleans = {false, true})
    void restrictInsideASubtreeStopsTheWholeCascade(boolean recursiveTriggers) throws SQLException {
        try (Connection c = tree(recursiveTriggers, "CASCADE", 20)) {
            TestDb.exec(c, "CREATE TABLE pin (node_id INTEGER REFERENCES node(id) ON DELETE RESTRICT)");
            FkGuard.sync(c, Options.defaults());
            TestDb.exec(c, "INSERT INTO pin VALUES (15)");
            SQLException e = assertThrows(SQLException.class, () -> TestDb.exec(c, "DELETE FROM node WHERE id = 1"));
            assertTrue(e.getMessage().contains("pin(node_id) -> node(id)"), e.getMessage());
            assertEquals(22, TestDb.count(c, "SELECT count(*) FROM node"));
        }
    }

    @ParameterizedTest(name = "recursive_triggers {0}")
    @ValueSource(booleans = {false, true})
    void aCascadeIntoAnotherTableFollowsEveryDeletedNodeOfTheSubtree(boolean recursiveTriggers) throws SQLException {
        try (Connection c = tree(recursiveTriggers, "CASCADE", 30)) {
            TestDb.exec(c, "CREATE TABLE tag (node_id INTEGER REFERENCES node(id) ON DELETE CASCADE)",
                    "CREATE INDEX tag_node ON tag(node_id)", "INSERT INTO tag SELECT id FROM node");
            FkGuard.sync(c, Options.defaults());
            TestDb.exec(c, "DELETE FROM node WHERE id = 1");
            assertEquals(0, TestDb.count(c, "SELECT count(*) FROM tag"));
        }
    }

    @ParameterizedTest(name = "recursive_triggers {0}")
    @ValueSource(booleans = {false, true})
    void aCascadeAroundATwoTableCycleDeletesOneLapWhateverTheSetting(boolean recursiveTriggers) throws SQLException {
        try (Connection c = TestDb.open(dir.resolve("cycle.db"))) {
            TestDb.exec(c, "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES b(id) ON DELETE CASCADE)",
                    "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a(id) ON DELETE CASCADE)",
                    "INSERT INTO a VALUES (1, NULL)", "INSERT INTO b VALUES (1, 1)", "INSERT INTO a VALUES (2, 1)");
            FkGuard.sync(c, Options.defaults());
            TestDb.exec(c, "PRAGMA recursive_triggers = " + (recursiveTriggers ? "ON" : "OFF"));
            TestDb.exec(c, "DELETE FROM a WHERE id = 1");
            assertEquals(0, TestDb.count(c, "SELECT count(*) FROM a") + TestDb.count(c, "SELECT count(*) FROM b"));
        }
    }
}
