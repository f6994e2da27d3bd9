import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * fkguard's main demo: Chinook migrated by Flyway (V1 schema, V2 data) with the fkguard-flyway jar on the class path
 * and no fkguard configuration, on an embedded SQLite file, then the two classic foreign-key violations tried from a plain connection that never ran
 * PRAGMA foreign_keys. Exits 1 if either is not refused.
 *
 * <p>Run by demo.sh as a single-file program: java -cp fkguard-flyway.jar:flyway-core.jar:sqlite-jdbc.jar
 * FlywayChinookDemo.java CHINOOK_SQL WORK_DIR
 */
public class FlywayChinookDemo {
    static final List<String> VIOLATIONS = List.of(
            "INSERT INTO Track (Name, AlbumId, MediaTypeId, Composer, Milliseconds, Bytes, UnitPrice)"
                    + " VALUES ('lol', 99999, 99999, 99999, 99999, 99999, 99999)",
            "DELETE FROM Genre WHERE GenreId=24");

    public static void main(String[] args) throws Exception {
        Path chinook = Path.of(args[0]);
        Path work = Files.createDirectories(Path.of(args[1]));
        Path migrations = Files.createDirectories(work.resolve("migrations"));
        Path db = work.resolve("chinook.db");
        Files.deleteIfExists(db);

        // Chinook as two Flyway migrations: V1 the CREATE TABLE / CREATE INDEX part, V2 the INSERTs.
        List<String> lines = Files.readAllLines(chinook, StandardCharsets.UTF_8);
        int schema = first(lines, "CREATE TABLE");
        int data = first(lines, "INSERT");
        Files.writeString(migrations.resolve("V1__chinook_schema.sql"), String.join("\n", lines.subList(schema, data)));
        Files.writeString(migrations.resolve("V2__chinook_data.sql"), String.join("\n", lines.subList(data, lines.size())));

        String url = "jdbc:sqlite:" + db.toAbsolutePath();
        quietFlywayLogging();
        System.out.println("== Flyway " + flywayVersion() + " migrates Chinook into " + db + " with fkguard");
        MigrateResult result = Flyway.configure()
                .dataSource(url, null, null)
                .locations("filesystem:" + migrations.toAbsolutePath())
                // No fkguard configuration: Flyway finds fkguard's plugin in the jar on the class path.
                .load()
                .migrate();
        System.out.println("   migrations applied: " + result.migrationsExecuted + ", schema now at version "
                + result.targetSchemaVersion);

        int refused = 0;
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            System.out.println("== A plain connection: PRAGMA foreign_keys = " + scalar(s, "PRAGMA foreign_keys")
                    + " (native enforcement off), fkguard triggers in the file: "
                    + scalar(s, "select count(*) from sqlite_master where type='trigger' and name like 'fkguard%'"));
            for (String sql : VIOLATIONS) {
                try {
                    s.executeUpdate(sql);
                    System.out.println("   NOT REFUSED  " + sql);
                } catch (SQLException e) {
                    refused++;
                    System.out.println("   REFUSED      " + sql);
                    System.out.println("                -> " + e.getMessage());
                }
            }
        }
        System.out.println("== " + refused + " of " + VIOLATIONS.size() + " violations refused");
        System.exit(refused == VIOLATIONS.size() ? 0 : 1);
    }

    static int first(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new IllegalStateException("no line starts with " + prefix);
    }

    static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String flywayVersion() {
        Properties p = new Properties();
        try (InputStream in = Flyway.class.getResourceAsStream("/META-INF/maven/org.flywaydb/flyway-core/pom.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // version unknown
        }
        return p.getProperty("version", "");
    }

    /** Flyway logs through java.util.logging here: one line each, to stdout, without its per-callback notices. */
    static void quietFlywayLogging() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        StreamHandler out = new StreamHandler(System.out, new java.util.logging.Formatter() {
            @Override
            public String format(LogRecord r) {
                return "   " + (r.getLevel() == Level.WARNING ? "WARN " : "") + r.getMessage() + System.lineSeparator();
            }
        }) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush();
            }
        };
        out.setFilter(r -> !r.getMessage().startsWith("Executing Java callback"));
        root.addHandler(out);
    }
}
