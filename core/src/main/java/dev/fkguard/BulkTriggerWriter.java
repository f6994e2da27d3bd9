package dev.fkguard;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a batch of fkguard's {@code DROP TRIGGER} / {@code CREATE TRIGGER} statements as row edits of the schema
 * table, when that is much cheaper than running them.
 *
 * <p><b>Why.</b> Every CREATE TRIGGER ends with SQLite's OP_ParseSchema, which scans the whole schema table for the new
 * row (there is no index on it), and every DROP TRIGGER deletes its row by a scan too: n statements on a schema of R
 * rows cost about n * (R + n/2) row visits, quadratic for a first sync (4,000 creates on a 1,000-table file: 3.2 to
 * 3.9 s of a 5.4 to 6.9 s first sync). Written as rows, the same batch costs n row edits and one parse of the whole
 * schema.
 *
 * <p><b>What it writes.</b> Exactly the rows the statements would have left: a DROP deletes the row {@code type =
 * 'trigger' AND name = <stored name>} (what sqlite3DropTriggerPtr deletes); a CREATE inserts {@code ('trigger', name,
 * table, 0, sql)} with the planned text unchanged, which is what sqlite3FinishTrigger stores ({@code "CREATE TRIGGER "}
 * plus the text from the trigger's own name, after any schema prefix, to the final {@code END}; the ON table as
 * written, unquoted). Rows go in statement order, every drop before every create, so each new row gets the rowid
 * (max + 1) it would have got, and firing order, which is creation order, is unchanged. {@code schema_version} moves
 * by one instead of by n, so every other connection reloads the schema as after DDL.
 *
 * <p><b>Safety.</b> All of it runs in a savepoint inside the sync's own transaction or savepoint. After the edits,
 * {@code PRAGMA writable_schema = RESET} makes this connection drop its schema, and a read of the schema table makes
 * it parse every row again, as any connection opening the file would: a row SQLite cannot read fails there, before
 * anything is committed. On any failure (the connection refuses to write the schema table: SQLite's defensive mode;
 * the reload reports an error; the rows read back differ) the savepoint is rolled back, the schema reloaded, and the
 * plain statements run instead, with their own errors. Not used on SQLite older than {@value #MIN_VERSION_TEXT}: 3.15.1
 * takes {@code RESET} for {@code OFF} and does not reload (3.40.1, the oldest library checked, does); nor on the
 * {@code temp} schema.
 *
 * <p><b>When.</b> Only where it pays: a DDL statement costs about one scan of the schema table, the bulk path about one
 * parse of the whole schema, and parsing a row costs far more than visiting it. {@link #pays} compares n * (R + n/2)
 * row visits with {@value #PARSE_COST} * (R + n), R the rows of the schema table before the batch. Measured with
 * {@code BulkCrossover} (benchmarks module: n fkguard triggers dropped from a synced generated schema, the sync that
 * puts them back timed both ways; sqlite-jdbc 3.54.1, this project's 2-core machine, shared, load ~3.5, 3 runs): on
 * 1,000 tables (R = 7,638 rows) the bulk path lost 100 to 300 ms up to 40 statements (its one parse of the whole
 * schema) and won from 80 on (-66 ms at 80, -245 ms at 160, -975 ms at 642, -3,590 ms at 2,562); on 100 tables (R =
 * 786) the sign changed between 40 and 80 as well. So the two meet near 60 statements at both sizes, which is what
 * the constant 60 says. A migration's closing sync (about a dozen statements) stays plain; a first sync or an
 * fkguard upgrade that rewrites every trigger goes in bulk.
 *
 * <p>The system property {@value #MODE_PROPERTY} ({@code auto}, the default; {@code always}; {@code never}) forces one
 * path, for the tests and benchmarks that compare the two.
 */
final class BulkTriggerWriter {
    static final String MODE_PROPERTY = "fkguard.bulkTriggers";
    static final String MIN_VERSION_TEXT = "3.40.0";
    private static final int MIN_VERSION = 3_040_000;
    static final long PARSE_COST = 60;
    private static final String SAVEPOINT = "fkguard_bulk";
    private static final int ROWS_PER_STATEMENT = 100;
    /** Overrides {@value #MODE_PROPERTY} when set (tests). */
    static volatile String modeForTests;
    /** How many batches went each way in this process (tests). */
    static final java.util.concurrent.atomic.AtomicLong BULK = new java.util.concurrent.atomic.AtomicLong();
    static final java.util.concurrent.atomic.AtomicLong FELL_BACK = new java.util.concurrent.atomic.AtomicLong();

    /** How a batch was applied. */
    enum Applied { PLAIN, BULK, FELL_BACK }

    private final Database db;

    BulkTriggerWriter(Database db) {
        this.db = db;
    }

    /**
     * Applies {@code statements}, which are the drops of {@code drops} then the creates of {@code creates}, in bulk where
     * it pays and works, else as they are.
     */
    Applied apply(List<Schema.Trigger> drops, List<TriggerPlanner.Planned> creates, List<String> statements)
            throws SQLException {
        String mode = modeForTests != null ? modeForTests : System.getProperty(MODE_PROPERTY, "auto");
        if (statements.isEmpty() || mode.equals("never") || !eligible(creates)) {
            db.execute(statements);
            return Applied.PLAIN;
        }
        if (!mode.equals("always") && !pays(statements.size(), rowCount())) {
            db.execute(statements);
            return Applied.PLAIN;
        }
        if (writeRows(drops, creates)) {
            BULK.incrementAndGet();
            return Applied.BULK;
        }
        FELL_BACK.incrementAndGet();
        db.execute(statements);
        return Applied.FELL_BACK;
    }

    /** True when n statements on a schema table of {@code rows} rows cost more than one parse of the result. */
    static boolean pays(long statements, long rows) {
        return statements * (rows + statements / 2) > PARSE_COST * (rows + statements);
    }

    private boolean eligible(List<TriggerPlanner.Planned> creates) throws SQLException {
        if (Schema.same("temp", db.schema())) {
            return false;
        }
        for (TriggerPlanner.Planned p : creates) {
            if (!p.sql().startsWith("CREATE TRIGGER ") || !p.sql().endsWith("END")) {
                return false; // not text whose stored form is known: let SQLite store it
            }
        }
        return db.sqliteVersionNumber() >= MIN_VERSION;
    }

    private long rowCount() throws SQLException {
        return Long.parseLong(db.column("SELECT count(*) FROM " + db.master()).get(0));
    }

    /**
     * Writes the rows in a savepoint and makes SQLite read the whole schema back. True when that worked and the savepoint
     * is released; false when it was rolled back, leaving the schema (and this connection's view of it) as before.
     */
    boolean writeRows(List<Schema.Trigger> drops, List<TriggerPlanner.Planned> creates) throws SQLException {
        String master = db.master();
        String prefix = db.prefix();
        // a connection the caller put in writable_schema mode gets it back: RESET switches it off
        String restore = db.pragmaValue("writable_schema") == 1 ? "PRAGMA writable_schema = ON" : null;
        db.update("SAVEPOINT " + SAVEPOINT);
        boolean written = false;
        try {
            db.update("PRAGMA writable_schema = ON");
            if (db.pragmaValue("writable_schema") != 1) {
                return false; // defensive mode ignores ON: the schema table stays read-only
            }
            long version = db.pragmaValue(prefix + "schema_version");
            long triggersBefore = triggerCount();
            List<List<String>> names = new ArrayList<>();
            for (Schema.Trigger t : drops) {
                names.add(List.of(t.name()));
            }
            int deleted = 0;
            for (List<List<String>> chunk : chunks(names)) {
                deleted += db.batch("DELETE FROM " + master + " WHERE type = 'trigger' AND name IN ("
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")) + ")", flat(chunk))[0];
            }
            long lastRowid = Long.parseLong(db.column("SELECT coalesce(max(rowid), 0) FROM " + master).get(0));
            List<List<String>> rows = new ArrayList<>();
            List<String> created = new ArrayList<>();
            for (TriggerPlanner.Planned p : creates) {
                rows.add(List.of(p.name(), p.table(), p.sql()));
                created.add(p.name());
            }
            // many rows to a statement: one statement per row cost 170-200 ms cold for 3,638 rows, 50-70 ms so
            for (List<List<String>> chunk : chunks(rows)) {
                db.batch("INSERT INTO " + master + " (type, name, tbl_name, rootpage, sql) VALUES "
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "('trigger', ?, ?, 0, ?)")), flat(chunk));
            }
            db.update("PRAGMA " + prefix + "schema_version = " + (version + 1));
            db.update("PRAGMA writable_schema = RESET");
            // the reload: SQLite parses every row of the schema again, and refuses here if it cannot
            long count = triggerCount();
            if (count != triggersBefore - deleted + creates.size()
                    || db.pragmaValue(prefix + "schema_version") != version + 1
                    || !triggersAfter(lastRowid).equals(created)) {
                return false;
            }
            db.update("RELEASE " + SAVEPOINT);
            written = true;
            if (restore != null) {
                db.update(restore);
            }
            return true;
        } catch (SQLException e) {
            return false; // the plain statements run next and report their own errors
        } finally {
            if (!written) {
                db.update("ROLLBACK TO " + SAVEPOINT);
                db.update("PRAGMA writable_schema = RESET");
                db.update("RELEASE " + SAVEPOINT);
                triggerCount(); // reloads the schema as it was; fails loudly if even that cannot be read
                if (restore != null) {
                    db.update(restore);
                }
            }
        }
    }

    /** Up to {@value #ROWS_PER_STATEMENT} rows at a time, in order (3 parameters each: far below SQLite's limit). */
    private static List<List<List<String>>> chunks(List<List<String>> rows) {
        List<List<List<String>>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += ROWS_PER_STATEMENT) {
            out.add(rows.subList(i, Math.min(rows.size(), i + ROWS_PER_STATEMENT)));
        }
        return out;
    }

    /** The rows' parameters as the one row of one statement. */
    private static List<List<String>> flat(List<List<String>> rows) {
        List<String> all = new ArrayList<>();
        for (List<String> r : rows) {
            all.addAll(r);
        }
        return List.of(all);
    }

    private long triggerCount() throws SQLException {
        return Long.parseLong(db.column("SELECT count(*) FROM " + db.master() + " WHERE type = 'trigger'").get(0));
    }

    /** The names of the triggers whose rowid is above {@code rowid}, in creation order. */
    private List<String> triggersAfter(long rowid) throws SQLException {
        return db.column("SELECT name FROM " + db.master() + " WHERE type = 'trigger' AND rootpage = 0 AND rowid > "
                + rowid + " ORDER BY rowid");
    }

}
