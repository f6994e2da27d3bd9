package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Options.BrokenKeys#ENFORCE} with {@link MigrationGuard}'s scoped re-sync, which re-plans only the tables a
 * migration touched and their neighbours: the B.5 and B.6 triggers on a parent depend on other tables' keys and on the
 * parent's own triggers, so after each migration next to a broken key the installed triggers must equal what a full
 * {@link FkGuard#plan} derives.
 */
class MigrationGuardBrokenKeysTest {
    private static final Options ENFORCE = Options.defaults().withBrokenKeys(Options.BrokenKeys.ENFORCE);

    @TempDir
    Path dir;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = TestDb.open(dir.resolve("m.db"));
        TestDb.exec(c,
                // c(x) -> p(b) is a mismatch (b is not unique); d(pid) -> p(a) and far(did) -> d(id) are valid;
                // orphan(x) -> nosuch has no parent table
                "CREATE TABLE p (a PRIMARY KEY, b, z UNIQUE, w)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, x REFERENCES p(b), y)",
                "CREATE TABLE d (id INTEGER PRIMARY KEY, pid REFERENCES p(a), note)",
                "CREATE TABLE far (id INTEGER PRIMARY KEY, did REFERENCES d(id))",
                "CREATE TABLE orphan (id INTEGER PRIMARY KEY, x REFERENCES nosuch(id))",
                "INSERT INTO p VALUES (1, 1, 1, 1)", "INSERT INTO d VALUES (1, 1, NULL)");
        FkGuard.sync(c, ENFORCE);
        c.setAutoCommit(false);
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    static Stream<Arguments> migrations() {
        return Stream.of(
                Arguments.of("a new child of the broken key's parent on another column",
                        new String[] {"CREATE TABLE e (id INTEGER PRIMARY KEY, pz REFERENCES p(z))"}),
                Arguments.of("the parent gains a key of its own",
                        new String[] {"CREATE TABLE q (id INTEGER PRIMARY KEY)", "ALTER TABLE p ADD COLUMN qid REFERENCES q(id)"}),
                Arguments.of("the parent gets an INSERT trigger of the user's",
                        new String[] {"CREATE TRIGGER p_log AFTER INSERT ON p BEGIN SELECT 1; END"}),
                Arguments.of("the parent loses its INSERT trigger of the user's",
                        new String[] {"CREATE TRIGGER p_log BEFORE INSERT ON p BEGIN SELECT 1; END", "COMMIT_AND_MIGRATE",
                            "DROP TRIGGER p_log"}),
                Arguments.of("the broken key is repaired by a unique index", new String[] {"CREATE UNIQUE INDEX pb ON p(b)"}),
                Arguments.of("a unique index the parent's other key needs is dropped",
                        new String[] {"CREATE UNIQUE INDEX pw ON p(w)", "CREATE TABLE e (id INTEGER PRIMARY KEY, pw REFERENCES p(w))",
                            "COMMIT_AND_MIGRATE", "DROP INDEX pw"}),
                Arguments.of("the other child of the parent is dropped", new String[] {"DROP TABLE far", "DROP TABLE d"}),
                Arguments.of("the other child of the parent gets a column", new String[] {"ALTER TABLE d ADD COLUMN extra TEXT"}),
                Arguments.of("a table two keys away from the broken one is rebuilt",
                        new String[] {"CREATE TABLE far_new (id INTEGER PRIMARY KEY, did REFERENCES d(id), extra)",
                            "INSERT INTO far_new (id, did) SELECT id, did FROM far", "DROP TABLE far", "ALTER TABLE far_new RENAME TO far"}),
                Arguments.of("the broken key's child is rebuilt",
                        new String[] {"CREATE TABLE c_new (id INTEGER PRIMARY KEY, x REFERENCES p(b), y, extra)",
                            "INSERT INTO c_new (id, x, y) SELECT id, x, y FROM c", "DROP TABLE c", "ALTER TABLE c_new RENAME TO c"}),
                Arguments.of("the broken key's parent is renamed", new String[] {"ALTER TABLE p RENAME TO p2"}),
                Arguments.of("the missing parent table is created", new String[] {"CREATE TABLE nosuch (id INTEGER PRIMARY KEY)"}),
                Arguments.of("a valid key's parent is dropped and its key breaks", new String[] {"DROP TABLE d"}));
    }

    /** Runs the statements as Flyway would, one migration per group ({@code COMMIT_AND_MIGRATE} starts the next). */
    private void migrate(String... statements) throws SQLException {
        MigrationGuard guard = MigrationGuard.begin(c, ENFORCE);
        try (Statement st = c.createStatement()) {
            for (String sql : statements) {
                if (sql.equals("COMMIT_AND_MIGRATE")) {
                    guard.finish();
                    c.commit();
                    guard = MigrationGuard.begin(c, ENFORCE);
                    continue;
                }
                guard.beforeStatement(sql);
                st.execute(sql);
            }
            guard.finish();
            c.commit();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("migrations")
    void afterAMigrationNextToABrokenKeyTheTriggersEqualAFullPlan(String what, String[] statements) throws SQLException {
        migrate(statements);
        Report full = FkGuard.plan(c, ENFORCE);
        assertTrue(full.inSync(), what + ": the full plan would still run " + full.statements());
        assertFalse(TestDb.fkguardTriggers(c).isEmpty());
    }
}
