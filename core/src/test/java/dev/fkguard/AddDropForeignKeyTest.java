package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FkGuard.addForeignKey / dropForeignKey on real SQLite files: SQLite itself says whether the key is declared. */
class AddDropForeignKeyTest {
    private static final ForeignKeySpec TRACK_ALBUM =
            ForeignKeySpec.of("track", List.of("album_id"), "album", List.of("id")).withName("fk_track_album");

    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void populated() throws SQLException {
        db = dir.resolve("music.db");
        exec("CREATE TABLE album (id INTEGER PRIMARY KEY, title TEXT NOT NULL, code TEXT)",
                "CREATE TABLE track (id INTEGER CONSTRAINT pk_track PRIMARY KEY, /* ) */ name TEXT, album_id INTEGER -- the album\n) STRICT",
                "INSERT INTO album (id, title, code) VALUES (1, 'A', 'x'), (2, 'B', 'x')",
                "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 1000)"
                        + " INSERT INTO track (name, album_id) SELECT 't' || v, 1 + v % 2 FROM n");
    }

    @Test
    void anAddedKeyIsDeclaredInTheTableTextAsSqliteReadsIt() throws SQLException {
        add(TRACK_ALBUM.withOnDelete("cascade"));

        assertEquals(List.of("album|album_id|id|CASCADE|NO ACTION"), rows(
                "SELECT \"table\" || '|' || \"from\" || '|' || \"to\" || '|' || on_delete || '|' || on_update"
                        + " FROM pragma_foreign_key_list('track')"));
        assertTrue(one("SELECT sql FROM sqlite_master WHERE name = 'track'")
                .endsWith("CONSTRAINT \"fk_track_album\" FOREIGN KEY (\"album_id\") REFERENCES \"album\" (\"id\")"
                        + " ON DELETE CASCADE -- the album\n) STRICT"));
        assertEquals("ok", one("PRAGMA integrity_check"));
    }

    @Test
    void aCompositeKeyOnAWithoutRowidStrictTableWithQuotedNamesIsDeclaredAsSqliteReadsIt() throws SQLException {
        exec("CREATE TABLE \"disc side\" (\"album id\" INTEGER, side TEXT, PRIMARY KEY (\"album id\", side)) STRICT",
                "INSERT INTO \"disc side\" VALUES (1, 'A'), (1, 'B')",
                "CREATE TABLE \"play list\" (\"album id\" INTEGER NOT NULL, side TEXT NOT NULL, n INTEGER,"
                        + " PRIMARY KEY (\"album id\", side, n)) WITHOUT ROWID, STRICT",
                "INSERT INTO \"play list\" VALUES (1, 'A', 1), (1, 'B', 2)");
        try (Connection c = TestDb.open(db)) {
            FkGuard.addForeignKey(c, ForeignKeySpec.of("play list", List.of("album id", "side"), "disc side",
                    List.of("album id", "side")).withOnUpdate("CASCADE"), Options.defaults());
        }

        assertEquals(List.of("album id>album id", "side>side"), rows("SELECT \"from\" || '>' || \"to\""
                + " FROM pragma_foreign_key_list('play list') ORDER BY seq"));
        assertTrue(one("SELECT sql FROM sqlite_master WHERE name = 'play list'").endsWith(") WITHOUT ROWID, STRICT"));
        assertRefused("INSERT INTO \"play list\" VALUES (1, 'C', 3)", false);
        exec("UPDATE \"disc side\" SET side = 'Z' WHERE side = 'B'");
        assertEquals("Z", one("SELECT side FROM \"play list\" WHERE n = 2"), "ON UPDATE CASCADE by the triggers");
        assertEquals("ok", one("PRAGMA integrity_check"));
    }

    @Test
    void aPlainConnectionIsRefusedByTheTriggersThatAreSyncedWithTheKey() throws SQLException {
        add(TRACK_ALBUM);

        assertRefused("INSERT INTO track (name, album_id) VALUES ('lost', 99)", false);
        assertRefused("DELETE FROM album WHERE id = 1", false);
        try (Connection c = TestDb.open(db)) {
            assertTrue(FkGuard.plan(c, Options.defaults()).inSync());
        }
    }

    @Test
    void aForeignKeysOnConnectionRefusesNativelyWithoutFkguardsTriggers() throws SQLException {
        add(TRACK_ALBUM);
        try (Connection c = TestDb.open(db)) {
            FkGuard.drop(c, Options.defaults());
        }

        exec("INSERT INTO track (name, album_id) VALUES ('lost', 99)", "DELETE FROM track WHERE album_id = 99");
        SQLException e = assertRefused("INSERT INTO track (name, album_id) VALUES ('lost', 99)", true);
        assertTrue(e.getMessage().contains("SQLITE_CONSTRAINT_FOREIGNKEY"), "native enforcement, not a trigger: " + e);
    }

    @Test
    void addingAKeyKeepsTheTablesRowsInPlace() throws SQLException {
        String rootBefore = one("SELECT rootpage FROM sqlite_master WHERE name = 'track'");
        String pagesBefore = one("PRAGMA page_count");

        add(TRACK_ALBUM);

        assertEquals(rootBefore, one("SELECT rootpage FROM sqlite_master WHERE name = 'track'"));
        assertEquals(pagesBefore, one("PRAGMA page_count"), "no page written for a copy of the rows");
    }

    @Test
    void orphanRowsRefuseTheKeyWithTheUsualReportAndChangeNothing() throws SQLException {
        exec("INSERT INTO track (id, name, album_id) VALUES (5000, 'lost', 99)");
        List<String> before = rows("SELECT type || name || coalesce(sql, '') FROM sqlite_master ORDER BY 1");

        FkGuardException e = assertThrows(FkGuardException.class, () -> add(TRACK_ALBUM));

        Report.Problem p = e.report().problems().get(0);
        assertEquals(Report.Problem.Kind.ORPHANS, p.kind());
        assertEquals(List.of("album_id"), p.columns());
        assertEquals(List.of("5000"), p.sampleRows());
        assertTrue(e.getMessage().contains("1 row of track breaks foreign key track(album_id) -> album(id)"), e.getMessage());
        assertEquals(before, rows("SELECT type || name || coalesce(sql, '') FROM sqlite_master ORDER BY 1"));
        assertEquals(List.of(), rows("SELECT id FROM pragma_foreign_key_list('track')"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing table     | lost   | album_id | album | id    | | table lost does not exist",
        "missing column    | track  | albumid  | album | id    | | child column track.albumid does not exist",
        "missing parent    | track  | album_id | disc  | id    | | parent table disc does not exist",
        "missing parent key| track  | album_id | album | nope  | | parent column album.nope does not exist",
        "non-unique parent | track  | name     | album | code  | | parent key album(code) is neither the PRIMARY KEY nor a UNIQUE index",
        "name clash        | track  | album_id | album | id    | pk_track | a constraint named pk_track already exists on track",
    })
    void aBrokenRequestIsRefusedWithAMessageNamingTableAndColumnsAndChangesNothing(String what, String table,
            String column, String parent, String parentColumn, String name, String message) throws SQLException {
        String sqlBefore = one("SELECT group_concat(sql, ';') FROM sqlite_master");
        ForeignKeySpec spec = ForeignKeySpec.of(table, List.of(column), parent, List.of(parentColumn)).withName(name);

        FkGuardException e = assertThrows(FkGuardException.class, () -> add(spec));

        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains(table + "(" + column + ")"), e.getMessage());
        assertEquals(Report.Problem.Kind.SCHEMA, e.report().problems().get(0).kind());
        assertEquals(sqlBefore, one("SELECT group_concat(sql, ';') FROM sqlite_master"));
    }

    @Test
    void theSameKeyTwiceIsRefused() throws SQLException {
        add(TRACK_ALBUM);

        FkGuardException e = assertThrows(FkGuardException.class, () -> add(TRACK_ALBUM.withName("fk_again")));

        assertTrue(e.getMessage().contains("the same foreign key is already declared"), e.getMessage());
    }

    @Test
    void indexesUserTriggersAndViewsOfTheTableKeepWorking() throws SQLException {
        exec("CREATE INDEX track_album ON track (album_id)",
                "CREATE TABLE log (what TEXT)",
                "CREATE TRIGGER track_logged AFTER INSERT ON track BEGIN INSERT INTO log VALUES (NEW.name); END",
                "CREATE VIEW album_tracks AS SELECT a.title, count(*) AS n FROM album a JOIN track t ON t.album_id = a.id GROUP BY a.id");

        add(TRACK_ALBUM);

        exec("INSERT INTO track (name, album_id) VALUES ('new', 2)");
        assertEquals("new", one("SELECT what FROM log"));
        assertEquals("501", one("SELECT n FROM album_tracks WHERE title = 'B'"));
        assertTrue(String.join(" ", rows("SELECT name FROM pragma_index_list('track')")).contains("track_album"));
        assertEquals("ok", one("PRAGMA integrity_check"));
    }

    @Test
    void droppingAKeyByNameRemovesItsDeclarationAndItsTriggers() throws SQLException {
        add(TRACK_ALBUM);

        try (Connection c = TestDb.open(db)) {
            FkGuard.dropForeignKey(c, ForeignKeySpec.named("track", "FK_TRACK_ALBUM"), Options.defaults());
        }

        assertEquals(List.of(), rows("SELECT id FROM pragma_foreign_key_list('track')"));
        assertEquals(List.of(), rows("SELECT name FROM sqlite_master WHERE name LIKE 'fkguard%'"));
        exec("INSERT INTO track (name, album_id) VALUES ('free', 99)");
        assertEquals("ok", one("PRAGMA integrity_check"));
    }

    @Test
    void droppingAColumnsKeyByItsColumnsKeepsTheOtherKeysAndTheColumnsConstraints() throws SQLException {
        exec("CREATE TABLE playlist (id INTEGER PRIMARY KEY, album_id INT NOT NULL REFERENCES album (id) ON DELETE CASCADE,"
                + " track_id INT REFERENCES track)", "INSERT INTO playlist VALUES (1, 1, 1)");
        try (Connection c = TestDb.open(db)) {
            FkGuard.sync(c, Options.defaults());

            FkGuard.dropForeignKey(c, ForeignKeySpec.of("playlist", List.of("album_id"), null, List.of()), Options.defaults());

            assertTrue(FkGuard.plan(c, Options.defaults()).inSync());
        }
        assertEquals("CREATE TABLE playlist (id INTEGER PRIMARY KEY, album_id INT NOT NULL, track_id INT REFERENCES track)",
                one("SELECT sql FROM sqlite_master WHERE name = 'playlist'"));
        assertRefused("INSERT INTO playlist VALUES (2, 1, 99999)", false);
        exec("INSERT INTO playlist VALUES (3, 99, 1)"); // album_id no longer checked
        SQLException notNull = assertThrows(SQLException.class, () -> exec("INSERT INTO playlist VALUES (4, NULL, 1)"));
        assertTrue(notNull.getMessage().contains("NOT NULL constraint failed: playlist.album_id"), notNull.getMessage());
    }

    @Test
    void droppingAKeyThatIsNotDeclaredIsRefusedNamingTheKeysThatAre() throws SQLException {
        add(TRACK_ALBUM);

        FkGuardException e;
        try (Connection c = TestDb.open(db)) {
            e = assertThrows(FkGuardException.class,
                    () -> FkGuard.dropForeignKey(c, ForeignKeySpec.named("track", "fk_nope"), Options.defaults()));
        }

        assertTrue(e.getMessage().contains("no foreign key named fk_nope is declared on track (declared: fk_track_album"
                + " track(album_id) -> album(id))"), e.getMessage());
    }

    @Test
    void insideTheCallersTransactionTheKeyIsAddedAndRolledBackWithIt() throws SQLException {
        try (Connection c = TestDb.open(db)) {
            c.setAutoCommit(false);
            FkGuard.addForeignKey(c, TRACK_ALBUM, Options.defaults());
            assertEquals(List.of("0"), column(c, "SELECT id FROM pragma_foreign_key_list('track')"));
            c.rollback();
            assertEquals(List.of(), column(c, "SELECT id FROM pragma_foreign_key_list('track')"));
        }
        assertEquals(List.of(), rows("SELECT name FROM sqlite_master WHERE name LIKE 'fkguard%'"));
    }

    @Test
    void planningAKeyPrintsTheEditAndTheTriggersAndChangesNothing() throws SQLException {
        Report plan;
        try (Connection c = TestDb.open(db)) {
            plan = FkGuard.planAddForeignKey(c, TRACK_ALBUM, Options.defaults());
        }

        assertFalse(plan.applied());
        assertEquals("PRAGMA writable_schema = ON", plan.statements().get(0));
        assertTrue(plan.statements().get(1).startsWith("UPDATE \"main\".sqlite_master SET sql = 'CREATE TABLE track"));
        assertTrue(plan.statements().stream().anyMatch(s -> s.startsWith("CREATE TRIGGER \"fkguard_track_ins_")));
        assertEquals(List.of(), rows("SELECT id FROM pragma_foreign_key_list('track')"));
    }

    // ------------------------------------------------------------------ helpers

    private void add(ForeignKeySpec spec) throws SQLException {
        try (Connection c = TestDb.open(db)) {
            FkGuard.addForeignKey(c, spec, Options.defaults());
        }
    }

    private SQLException assertRefused(String sql, boolean foreignKeysOn) throws SQLException {
        try (Connection c = TestDb.open(db); Statement s = c.createStatement()) {
            s.execute("PRAGMA foreign_keys = " + (foreignKeysOn ? "ON" : "OFF"));
            SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
            assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed"), e.getMessage());
            return e;
        }
    }

    private void exec(String... sql) throws SQLException {
        try (Connection c = TestDb.open(db); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private List<String> rows(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            return column(c, sql);
        }
    }

    private String one(String sql) throws SQLException {
        List<String> r = rows(sql);
        return r.isEmpty() ? "" : r.get(0);
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        return new Database(c, "main").column(sql);
    }
}
