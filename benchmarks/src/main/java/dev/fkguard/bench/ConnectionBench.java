package dev.fkguard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Item 3: every connection that opens the database parses the whole schema, fkguard's triggers included,
 * at its first statement. Open + first query + close on the largest generated schema, with and without
 * the triggers, alternating; the difference divided by the number of foreign keys is the cost per FK.
 * Measured twice in the same run: through sqlite-jdbc (the SQLite it bundles) and through Python's
 * {@code sqlite3} (the system library, e.g. 3.40.1 on Debian bookworm; {@link PythonSqlite}).
 */
final class ConnectionBench {

    record Result(int tables, int foreignKeys, long triggers, Stats without, Stats with, long triggerBytes,
                  long fileBytesWithout, long fileBytesWith, PythonSqlite.Outcome python) {
        double usPerFk() {
            return usPerFk(without, with);
        }

        /** The same through Python's sqlite3; NaN when that series was skipped. */
        double pythonUsPerFk() {
            return python.ran() ? usPerFk(python.without(), python.with()) : Double.NaN;
        }

        private double usPerFk(Stats a, Stats b) {
            return (b.medianNanos() - a.medianNanos()) / 1e3 / foreignKeys;
        }

        double schemaBytesPerFk() {
            return (double) triggerBytes / foreignKeys;
        }

        double fileBytesPerFk() {
            return (double) (fileBytesWith - fileBytesWithout) / foreignKeys;
        }
    }

    private final Config config;

    ConnectionBench(Config config) {
        this.config = config;
    }

    static long openAndQuery(Path file, String table) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = Db.open(file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM " + table + " WHERE id = 1")) {
            if (!rs.next()) {
                throw new IllegalStateException("row 1 of " + table + " missing");
            }
        }
        return System.nanoTime() - t0;
    }

    /** @param without the schema with no trigger, @param with the same schema after a sync */
    Result run(Progress progress, int tables, int foreignKeys, Path without, Path with)
            throws SQLException, IOException, InterruptedException {
        String table = SyncBench.table(tables / 2);
        Stats a = new Stats();
        Stats b = new Stats();
        for (int w = 0; w < 5; w++) {
            openAndQuery(without, table);
            openAndQuery(with, table);
        }
        for (int r = 0; r < config.connectionOpens; r++) {
            if (r % 2 == 0) {
                a.add(openAndQuery(without, table));
                b.add(openAndQuery(with, table));
            } else {
                b.add(openAndQuery(with, table));
                a.add(openAndQuery(without, table));
            }
        }
        long triggers;
        long bytes;
        try (Connection c = Db.open(with)) {
            triggers = Db.fkguardTriggers(c);
            bytes = Db.fkguardTriggerBytes(c);
        }
        PythonSqlite.Outcome python = PythonSqlite.run(config.python, without.getParent(), without, with, table,
            config.connectionOpens, 5);
        Result r = new Result(tables, foreignKeys, triggers, a, b, bytes, Files.size(without), Files.size(with), python);
        progress.say(Stats.fmt("connection (sqlite-jdbc): without %.0f us, with %.0f us, %.2f us per FK, %.0f schema bytes per FK",
            a.medianUs(), b.medianUs(), r.usPerFk(), r.schemaBytesPerFk()));
        progress.say(python.ran()
            ? Stats.fmt("connection (%s, SQLite %s): without %.0f us, with %.0f us, %.2f us per FK", config.python,
                python.sqliteVersion(), python.without().medianUs(), python.with().medianUs(), r.pythonUsPerFk())
            : "connection through Python skipped: " + python.skipped());
        return r;
    }
}
