package dev.fkguard.flyway;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A SQLite file, a folder of Flyway migrations, and the assertions the specifications share. */
final class SqliteFixture {
    static final String TRACK_VIOLATION = "INSERT INTO Track (Name, AlbumId, MediaTypeId, Composer, Milliseconds, Bytes, UnitPrice)"
            + " VALUES ('lol', 99999, 99999, 99999, 99999, 99999, 99999)";
    static final String GENRE_VIOLATION = "DELETE FROM Genre WHERE GenreId=24";

    final Path dir;
    final Path db;
    final Path migrations;

    SqliteFixture(Path dir) throws IOException {
        this.dir = dir;
        this.db = dir.resolve("app.db");
        this.migrations = Files.createDirectories(dir.resolve("migrations"));
    }

    String url() {
        return "jdbc:sqlite:" + db.toAbsolutePath();
    }

    String location() {
        return "filesystem:" + migrations.toAbsolutePath();
    }

    SqliteFixture migration(String fileName, String sql) throws IOException {
        Files.writeString(migrations.resolve(fileName), sql, StandardCharsets.UTF_8);
        return this;
    }

    /** V1 Chinook schema, V2 Chinook data. */
    SqliteFixture chinook() throws IOException {
        return migration("V1__chinook_schema.sql", chinookSchema()).migration("V2__chinook_data.sql", chinookData());
    }

    /**
     * The Chinook-style sequence: V1 schema, V2 data, V3 a new table with keys, V4 a 12-step rebuild of the child
     * table Track outside a transaction, V5 a renamed table, V6 a dropped table, V7 a 12-step rebuild of the parent
     * table Album in a transaction, V8 a dropped key column.
     */
    SqliteFixture chinookSequence() throws IOException {
        return chinook()
                .migration("V3__add_review.sql", """
                        CREATE TABLE Review (
                            ReviewId INTEGER PRIMARY KEY,
                            TrackId INTEGER NOT NULL REFERENCES Track (TrackId) ON DELETE CASCADE,
                            CustomerId INTEGER REFERENCES Customer (CustomerId),
                            Stars INTEGER NOT NULL
                        );
                        CREATE INDEX IFK_ReviewTrackId ON Review (TrackId);
                        INSERT INTO Review (TrackId, CustomerId, Stars) VALUES (1, 1, 5), (2, NULL, 3);
                        """)
                .migration("V4__rebuild_track.sql", """
                        PRAGMA foreign_keys=OFF;
                        CREATE TABLE Track_new
                        (
                            TrackId INTEGER NOT NULL PRIMARY KEY,
                            Name NVARCHAR(200) NOT NULL,
                            AlbumId INTEGER REFERENCES Album (AlbumId),
                            MediaTypeId INTEGER NOT NULL REFERENCES MediaType (MediaTypeId),
                            GenreId INTEGER REFERENCES Genre (GenreId),
                            Composer NVARCHAR(220),
                            Milliseconds INTEGER NOT NULL,
                            Bytes INTEGER,
                            UnitPrice NUMERIC(10,2) NOT NULL,
                            Explicit INTEGER NOT NULL DEFAULT 0
                        );
                        INSERT INTO Track_new (TrackId, Name, AlbumId, MediaTypeId, GenreId, Composer, Milliseconds, Bytes, UnitPrice)
                            SELECT TrackId, Name, AlbumId, MediaTypeId, GenreId, Composer, Milliseconds, Bytes, UnitPrice FROM Track;
                        DROP TABLE Track;
                        ALTER TABLE Track_new RENAME TO Track;
                        CREATE INDEX IFK_TrackAlbumId ON Track (AlbumId);
                        CREATE INDEX IFK_TrackGenreId ON Track (GenreId);
                        CREATE INDEX IFK_TrackMediaTypeId ON Track (MediaTypeId);
                        PRAGMA foreign_keys=ON;
                        """)
                .migration("V4__rebuild_track.sql.conf", "executeInTransaction=false\n")
                .migration("V5__rename_genre.sql", "ALTER TABLE Genre RENAME TO MusicGenre;\n")
                .migration("V6__drop_playlist_track.sql", "DROP TABLE PlaylistTrack;\n")
                .migration("V7__rebuild_album.sql", REBUILD_ALBUM)
                .migration("V8__drop_review_customer.sql", "ALTER TABLE Review DROP COLUMN CustomerId;\n");
    }

    /** The 12-step rebuild of a parent table (Track references Album), in a transaction, with triggers in place. */
    static final String REBUILD_ALBUM = """
            CREATE TABLE Album_new
            (
                AlbumId INTEGER NOT NULL PRIMARY KEY,
                Title NVARCHAR(160) NOT NULL,
                ArtistId INTEGER NOT NULL REFERENCES Artist (ArtistId),
                ReleaseYear INTEGER
            );
            INSERT INTO Album_new (AlbumId, Title, ArtistId) SELECT AlbumId, Title, ArtistId FROM Album;
            DROP TABLE Album;
            ALTER TABLE Album_new RENAME TO Album;
            CREATE INDEX IFK_AlbumArtistId ON Album (ArtistId);
            """;

    /** A small parent/child schema with data: V1 creates, V2 fills. */
    SqliteFixture small() throws IOException {
        return migration("V1__artists_albums.sql", """
                CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name TEXT);
                CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title TEXT NOT NULL,
                                    ArtistId INTEGER NOT NULL REFERENCES Artist (ArtistId));
                """).migration("V2__data.sql", """
                INSERT INTO Artist VALUES (1, 'AC/DC'), (2, 'Accept');
                INSERT INTO Album VALUES (1, 'For Those About To Rock', 1), (2, 'Balls to the Wall', 2);
                """);
    }

    static String chinookSchema() throws IOException {
        List<String> lines = chinookLines();
        int from = firstStartingWith(lines, "CREATE TABLE");
        int to = firstStartingWith(lines, "INSERT");
        return String.join("\n", lines.subList(from, to)) + "\n";
    }

    static String chinookData() throws IOException {
        List<String> lines = chinookLines();
        return String.join("\n", lines.subList(firstStartingWith(lines, "INSERT"), lines.size())) + "\n";
    }

    private static List<String> chinookLines() throws IOException {
        String folder = System.getProperty("fkguard.testdata");
        Path file = folder != null ? Path.of(folder, "Chinook_Sqlite.sql") : Path.of("../testdata/Chinook_Sqlite.sql");
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static int firstStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new IllegalStateException("no line starts with " + prefix);
    }

    /** A connection that never ran PRAGMA foreign_keys: native enforcement is off. */
    Connection plainConnection() throws SQLException {
        Connection c = DriverManager.getConnection(url());
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "a plain connection must not enforce foreign keys natively");
        }
        return c;
    }

    /** Name to SQL of every fkguard trigger in the file. */
    Map<String, String> fkguardTriggers() throws SQLException {
        try (Connection c = plainConnection()) {
            return fkguardTriggers(c);
        }
    }

    static Map<String, String> fkguardTriggers(Connection c) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select name, sql from sqlite_master where type='trigger' and name like 'fkguard\\_%' escape '\\'")) {
            while (rs.next()) {
                out.put(rs.getString(1), withoutStamp(rs.getString(2)));
            }
        }
        return out;
    }

    /**
     * The trigger's text without the in-sync stamp that one fkguard trigger carries (a comment naming the state
     * of the last full sync, README "The command line"): what the trigger does, which is what these tests compare.
     */
    static String withoutStamp(String sql) {
        return sql == null ? null : sql.replaceAll("/\\* fkguard in-sync stamp: [^*]*\\*/\n", "");
    }

    /** Everything in sqlite_master, by type and name. */
    Map<String, String> schema() throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = plainConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select type, name, sql from sqlite_master")) {
            while (rs.next()) {
                out.put(rs.getString(1) + " " + rs.getString(2), rs.getString(3));
            }
        }
        return out;
    }

    long count(String sql) throws SQLException {
        try (Connection c = plainConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<String> historyVersions() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = plainConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select version || ':' || success from flyway_schema_history order by installed_rank")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * The installed fkguard triggers are exactly those fkguard derives from the declared foreign keys: the plan on
     * the file is empty, and on a copy with every fkguard trigger dropped the plan creates the same triggers.
     */
    void assertTriggersEqualPlan() throws SQLException, IOException {
        Map<String, String> installed = fkguardTriggers();
        assertFalse(installed.isEmpty(), "fkguard triggers are installed");
        try (Connection c = plainConnection()) {
            Report plan = FkGuard.plan(c, Options.defaults());
            assertTrue(plan.inSync(), () -> "plan on the migrated file must be empty, but is " + plan.statements());
        }
        Path copy = dir.resolve("plan-copy.db");
        Files.copy(db, copy, StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath())) {
            FkGuard.drop(c, Options.defaults());
            assertTrue(fkguardTriggers(c).isEmpty());
            Report fresh = FkGuard.plan(c, Options.defaults());
            assertEquals(installed.keySet(), new java.util.TreeSet<>(fresh.created()),
                    "installed triggers equal the ones a fresh plan derives");
            FkGuard.sync(c, Options.defaults().withOrphanPolicy(Options.OrphanPolicy.WARN));
            assertEquals(installed, fkguardTriggers(c), "installed trigger SQL equals a fresh sync's");
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** The statement fails on a plain connection with SQLite's foreign-key message. */
    void assertRefused(String sql) throws SQLException {
        try (Connection c = plainConnection(); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(sql), () -> "must be refused: " + sql);
            assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed"), e.getMessage());
        }
    }

    /** The statement succeeds on a plain connection (its change is rolled back afterwards). */
    void assertAccepted(String sql) throws SQLException {
        try (Connection c = plainConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate(sql);
            c.rollback();
        }
    }
}
