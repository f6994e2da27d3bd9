package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk path of {@link BulkTriggerWriter}: the same syncs run with plain statements and with row edits of the schema
 * table must leave the schema table identical row for row (creation order included), triggers that enforce the keys on
 * every client, and nothing half written when SQLite refuses or cannot read the rows.
 */
class BulkTriggerWriterTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        BulkTriggerWriter.modeForTests = null;
        SyncMemory.forget();
    }

    // ------------------------------------------------------------------ same rows both ways

    @Test
    void chinookSyncedInBulkHasTheSchemaRowsOfThePlainSync() throws Exception {
        assertSameRowsBothWays(Options.defaults(), c -> TestDb.runScript(c, TestDb.testdata("Chinook_Sqlite.sql")), null);
    }

    @Test
    void userTriggersAmongFkguardsKeepTheirPlaceWhenARewriteRunsInBulk() throws Exception {
        assertSameRowsBothWays(Options.defaults(), c -> TestDb.exec(c,
                "CREATE TABLE parent (id INTEGER PRIMARY KEY, n TEXT)",
                "CREATE TABLE child (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent(id) ON DELETE CASCADE)",
                "CREATE TABLE log (msg TEXT)",
                "CREATE TRIGGER user_before AFTER DELETE ON parent BEGIN INSERT INTO log VALUES ('parent ' || OLD.id); END",
                "INSERT INTO parent VALUES (1, 'a'), (2, 'b')", "INSERT INTO child VALUES (10, 1)"),
                c -> TestDb.exec(c,
                        "CREATE TRIGGER user_after AFTER DELETE ON child BEGIN INSERT INTO log VALUES ('child ' || OLD.id); END",
                        "CREATE TABLE other (id INTEGER PRIMARY KEY, pid INTEGER REFERENCES parent(id) ON DELETE SET NULL)"));
    }

    @Test
    void selfReferencesAndOddNamesAreStoredAsCreateTriggerStoresThem() throws Exception {
        assertSameRowsBothWays(Options.defaults(), c -> TestDb.exec(c,
                "CREATE TABLE \"we\"\"ird tab\" (\"col umn\" INTEGER PRIMARY KEY, up INTEGER REFERENCES \"we\"\"ird tab\"(\"col umn\") ON DELETE CASCADE)",
                "CREATE TABLE [Mixed Case] (id TEXT COLLATE NOCASE PRIMARY KEY, \"it's\" TEXT REFERENCES [we\"ird tab] ON UPDATE CASCADE)",
                "CREATE TABLE `ünï` (a, b, PRIMARY KEY (a, b), FOREIGN KEY (a, b) REFERENCES `ünï`(a, b) ON DELETE SET NULL) WITHOUT ROWID",
                "CREATE TABLE kid (x REFERENCES \"MIXED CASE\"(id) ON DELETE RESTRICT)"), null);
    }

    @Test
    void anAttachedSchemaIsWrittenInItsOwnSchemaTable() throws Exception {
        Options aux = Options.defaults().withSchema("aux");
        assertSameRowsBothWays(aux, c -> TestDb.exec(c,
                "CREATE TABLE aux.artist (id INTEGER PRIMARY KEY)",
                "CREATE TABLE aux.album (id INTEGER PRIMARY KEY, artist_id INTEGER REFERENCES artist(id) ON DELETE CASCADE)",
                "CREATE TABLE aux.track (id INTEGER PRIMARY KEY, album_id INTEGER REFERENCES album(id) ON UPDATE CASCADE)",
                "CREATE TABLE main.album (id INTEGER PRIMARY KEY)"), null);
    }

    @Test
    void dropInBulkLeavesTheRowsOfThePlainDrop() throws Exception {
        Path plain = dir.resolve("plain.db");
        Path bulk = dir.resolve("bulk.db");
        for (Path f : List.of(plain, bulk)) {
            try (Connection c = TestDb.open(f)) {
                TestDb.runScript(c, TestDb.testdata("Chinook_Sqlite.sql"));
                TestDb.exec(c, "CREATE TRIGGER mine AFTER INSERT ON Genre BEGIN SELECT 1; END");
                FkGuard.sync(c, Options.defaults());
                BulkTriggerWriter.modeForTests = f == plain ? "never" : "always";
                long before = BulkTriggerWriter.BULK.get();
                FkGuard.drop(c, Options.defaults());
                assertEquals(f == plain ? before : before + 1, BulkTriggerWriter.BULK.get());
                BulkTriggerWriter.modeForTests = null;
            }
        }
        assertEquals(schemaRows(plain), schemaRows(bulk));
        assertEquals(List.of("mine"), column(bulk, "SELECT name FROM sqlite_master WHERE type = 'trigger'"));
    }

    // ------------------------------------------------------------------ the result, from other clients

    @Test
    void afterABulkSyncEveryClientOpensTheFileAndIsHeldToTheKeys() throws Exception {
        Path f = dir.resolve("chinook.db");
        try (Connection c = TestDb.open(f)) {
            TestDb.runScript(c, TestDb.testdata("Chinook_Sqlite.sql"));
            BulkTriggerWriter.modeForTests = "always";
            long before = BulkTriggerWriter.BULK.get();
            FkGuard.sync(c, Options.defaults());
            assertEquals(before + 1, BulkTriggerWriter.BULK.get());
        }
        BulkTriggerWriter.modeForTests = null;
        SyncMemory.forget();
        try (Connection c = TestDb.open(f)) {
            assertEquals(List.of("ok"), column(c, "PRAGMA integrity_check"));
            SQLException e = assertThrows(SQLException.class,
                    () -> TestDb.exec(c, "INSERT INTO Track (TrackId, Name, MediaTypeId, Milliseconds, UnitPrice, AlbumId) VALUES (9999, 'x', 1, 1, 1, 99999)"));
            assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed"), e.getMessage());
            Report check = FkGuard.check(c, Options.defaults());
            assertTrue(check.inSync() && check.problems().isEmpty(), check.summary());
        }
        ProcessResult shell = run(List.of("sqlite3", f.toString(),
                "PRAGMA integrity_check; DELETE FROM Genre WHERE GenreId = 1;"));
        assertTrue(shell.output().lines().anyMatch("ok"::equals), shell.output());
        assertTrue(shell.output().contains("FOREIGN KEY constraint failed: Track(GenreId) -> Genre(GenreId)"), shell.output());
    }

    // ------------------------------------------------------------------ refusals and failures

    @Test
    void aConnectionInDefensiveModeGetsThePlainStatements() throws Exception {
        Path extension = defensiveExtension();
        Path f = dir.resolve("defensive.db");
        try (Connection c = TestDb.open(f)) {
            TestDb.runScript(c, TestDb.testdata("Chinook_Sqlite.sql"));
        }
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.enableLoadExtension(true);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + f, config.toProperties())) {
            TestDb.exec(c, "SELECT load_extension('" + extension + "')");
            TestDb.exec(c, "PRAGMA writable_schema = ON");
            assertEquals(0, TestDb.count(c, "PRAGMA writable_schema"), "the extension turned defensive mode on");
            BulkTriggerWriter.modeForTests = "always";
            long version = TestDb.count(c, "PRAGMA schema_version");
            long fellBack = BulkTriggerWriter.FELL_BACK.get();
            Report r = FkGuard.sync(c, Options.defaults());
            assertEquals(fellBack + 1, BulkTriggerWriter.FELL_BACK.get());
            assertEquals(r.created().size(), TestDb.fkguardTriggers(c).size());
            assertTrue(TestDb.count(c, "PRAGMA schema_version") - version >= r.statements().size(),
                    "one schema change per statement: the plain statements ran");
            assertThrows(SQLException.class, () -> TestDb.exec(c, "DELETE FROM Genre WHERE GenreId = 1"));
        }
    }

    @Test
    void aRowSqliteCannotReadIsRolledBackBeforeAnythingIsCommitted() throws Exception {
        Path f = dir.resolve("t.db");
        try (Connection c = TestDb.open(f)) {
            TestDb.exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, p INTEGER REFERENCES t(id))");
            FkGuard.sync(c, Options.defaults());
        }
        List<String> before = schemaRows(f);
        try (Connection c = TestDb.open(f)) {
            Database db = new Database(c, "main");
            List<TriggerPlanner.Planned> bad = List.of(
                    new TriggerPlanner.Planned("fkguard_t_ins_0000000000", "t",
                            "CREATE TRIGGER fkguard_t_ins_0000000000 AFTER INSERT ON t BEGIN SELECT FROM WHERE; END", List.of()));
            boolean written = db.atomically(() -> new BulkTriggerWriter(db).writeRows(List.of(), bad));
            assertFalse(written);
            TestDb.exec(c, "INSERT INTO t VALUES (1, NULL)"); // the connection reads its schema again
            assertThrows(SQLException.class, () -> TestDb.exec(c, "INSERT INTO t VALUES (2, 99)"));
        }
        assertEquals(before, schemaRows(f));
        try (Connection c = TestDb.open(f)) {
            assertEquals(List.of("ok"), column(c, "PRAGMA integrity_check"));
        }
    }

    @Test
    void aBulkWriteRolledBackWithItsTransactionLeavesNoTriggerOnTheConnection() throws Exception {
        Path f = dir.resolve("t.db");
        try (Connection c = TestDb.open(f)) {
            TestDb.exec(c, "CREATE TABLE p (id INTEGER PRIMARY KEY)", "CREATE TABLE k (pid INTEGER REFERENCES p(id))");
            List<String> before = column(c, "SELECT name FROM sqlite_master ORDER BY rowid");
            Database db = new Database(c, "main");
            Schema schema = db.reader().readSchema();
            List<TriggerPlanner.Planned> creates = TriggerPlanner.plan(schema, Options.defaults()).triggers();
            assertThrows(IllegalStateException.class, () -> db.atomically(() -> {
                assertTrue(new BulkTriggerWriter(db).writeRows(List.of(), creates));
                assertThrows(SQLException.class, () -> TestDb.exec(c, "INSERT INTO k VALUES (7)"));
                throw new IllegalStateException("a later step of the sync failed");
            }));
            assertEquals(before, column(c, "SELECT name FROM sqlite_master ORDER BY rowid"));
            TestDb.exec(c, "INSERT INTO k VALUES (7)"); // no trigger left in this connection's schema either
        }
    }

    @Test
    void aConnectionTheCallerPutInWritableSchemaModeStaysInIt() throws Exception {
        try (Connection c = TestDb.open(dir.resolve("t.db"))) {
            TestDb.runScript(c, TestDb.testdata("Chinook_Sqlite.sql"));
            TestDb.exec(c, "PRAGMA writable_schema = ON");
            BulkTriggerWriter.modeForTests = "always";
            long before = BulkTriggerWriter.BULK.get();
            FkGuard.sync(c, Options.defaults());
            assertEquals(before + 1, BulkTriggerWriter.BULK.get());
            assertEquals(1, TestDb.count(c, "PRAGMA writable_schema"));
        }
    }

    @Test
    void theTempSchemaGetsThePlainStatements() throws Exception {
        try (Connection c = TestDb.open(dir.resolve("t.db"))) {
            TestDb.exec(c, "CREATE TEMP TABLE p (id INTEGER PRIMARY KEY)",
                    "CREATE TEMP TABLE k (pid INTEGER REFERENCES p(id) ON DELETE CASCADE)");
            BulkTriggerWriter.modeForTests = "always";
            long before = BulkTriggerWriter.BULK.get();
            Report r = FkGuard.sync(c, Options.defaults().withSchema("temp"));
            assertEquals(before, BulkTriggerWriter.BULK.get());
            assertEquals(r.created().size(), TestDb.count(c, "SELECT count(*) FROM temp.sqlite_master WHERE type = 'trigger'"));
            assertThrows(SQLException.class, () -> TestDb.exec(c, "INSERT INTO k VALUES (7)"));
        }
    }

    @Test
    void aSmallSyncOnABigSchemaUsesPlainStatements() {
        assertFalse(BulkTriggerWriter.pays(12, 5_000), "a migration's closing sync");
        assertTrue(BulkTriggerWriter.pays(4_000, 4_000), "a first sync of 1,000 tables");
    }

    // ------------------------------------------------------------------ helpers

    interface Setup {
        void run(Connection c) throws Exception;
    }

    /** Sets up two files alike, syncs one with plain statements and one in bulk (then changes both and syncs again). */
    private void assertSameRowsBothWays(Options options, Setup setup, Setup change) throws Exception {
        Path plain = dir.resolve("plain.db");
        Path bulk = dir.resolve("bulk.db");
        for (Path f : List.of(plain, bulk)) {
            try (Connection c = TestDb.open(f)) {
                if (!Schema.same("main", options.schema())) {
                    TestDb.exec(c, "ATTACH DATABASE '" + f + "-aux' AS aux");
                }
                setup.run(c);
                BulkTriggerWriter.modeForTests = f == plain ? "never" : "always";
                long bulkBefore = BulkTriggerWriter.BULK.get();
                FkGuard.sync(c, options);
                if (change != null) {
                    SyncMemory.forget();
                    change.run(c);
                    FkGuard.sync(c, options);
                }
                assertEquals(f == plain ? bulkBefore : bulkBefore + (change == null ? 1 : 2), BulkTriggerWriter.BULK.get());
                BulkTriggerWriter.modeForTests = null;
                SyncMemory.forget();
                assertTrue(FkGuard.plan(c, options).inSync());
            }
        }
        Path plainFile = Schema.same("main", options.schema()) ? plain : Path.of(plain + "-aux");
        Path bulkFile = Schema.same("main", options.schema()) ? bulk : Path.of(bulk + "-aux");
        List<String> rows = schemaRows(plainFile);
        assertTrue(rows.stream().anyMatch(r -> r.startsWith("trigger|fkguard_")), rows.toString());
        assertEquals(rows, schemaRows(bulkFile));
        try (Connection c = TestDb.open(bulkFile)) {
            assertEquals(List.of("ok"), column(c, "PRAGMA integrity_check"));
        }
    }

    private static List<String> schemaRows(Path f) throws SQLException {
        return column(f, "SELECT type || '|' || name || '|' || tbl_name || '|' || rootpage || '|' || coalesce(sql, '<null>')"
                + " FROM sqlite_master ORDER BY rowid");
    }

    private static List<String> column(Path f, String sql) throws SQLException {
        try (Connection c = TestDb.open(f)) {
            return column(c, sql);
        }
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    record ProcessResult(int exit, String output) {
    }

    private static ProcessResult run(List<String> command) throws Exception {
        boolean ci = System.getenv("FKGUARD_CI") != null;
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(ci, command.get(0) + " is not installed");
            throw e;
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        return new ProcessResult(p.exitValue(), out);
    }

    /**
     * A loadable extension that turns on SQLITE_DBCONFIG_DEFENSIVE for the connection that loads it (sqlite-jdbc has no
     * call for it), built with the system's C compiler and SQLite headers.
     */
    private Path defensiveExtension() throws Exception {
        Path src = dir.resolve("defensive.c");
        Files.writeString(src, """
                #include <sqlite3ext.h>
                SQLITE_EXTENSION_INIT1
                int sqlite3_defensive_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
                  SQLITE_EXTENSION_INIT2(api);
                  return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *) 0);
                }
                """);
        Path lib = dir.resolve("defensive.so");
        ProcessResult cc = run(List.of("cc", "-shared", "-fPIC", "-o", lib.toString(), src.toString()));
        // without SQLite's headers (Debian: libsqlite3-dev, which .ci/run installs) only CI insists
        assumeTrue(cc.exit() == 0 || System.getenv("FKGUARD_CI") != null, "cannot build a SQLite extension: " + cc.output());
        assertEquals(0, cc.exit(), cc.output());
        return lib;
    }
}
