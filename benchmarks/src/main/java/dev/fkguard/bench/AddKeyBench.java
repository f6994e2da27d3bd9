package dev.fkguard.bench;

import dev.fkguard.FkGuard;
import dev.fkguard.ForeignKeySpec;
import dev.fkguard.Options;
import dev.fkguard.Report;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Item 5: adding a foreign key to an existing, populated table. {@code FkGuard.addForeignKey} (orphan check,
 * in-place edit of the CREATE TABLE text, read-back check, trigger sync, one transaction) against the
 * 12-step rebuild it replaces (new table with the key, copy every row, drop, rename, recreate the index,
 * {@code PRAGMA foreign_key_check}, then the same trigger sync), and against one orphan check of the key
 * ({@code FkGuard.check} on the result). Every timed run works on a fresh copy; the copy is not timed.
 */
final class AddKeyBench {
    static final String SCHEMA = "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);"
            + "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER, payload TEXT);"
            + "CREATE INDEX child_parent ON child (parent_id)";
    static final ForeignKeySpec KEY = ForeignKeySpec.of("child", List.of("parent_id"), "parent", List.of("id"))
            .withName("fk_child_parent");
    static final String[] REBUILD = {
        "BEGIN IMMEDIATE",
        "CREATE TABLE child_new (id INTEGER PRIMARY KEY, parent_id INTEGER, payload TEXT,"
                + " CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id))",
        "INSERT INTO child_new (id, parent_id, payload) SELECT id, parent_id, payload FROM child",
        "DROP TABLE child",
        "ALTER TABLE child_new RENAME TO child",
        "CREATE INDEX child_parent ON child (parent_id)",
        "PRAGMA foreign_key_check(child)",
        "COMMIT",
    };

    record Result(int children, int runs, Stats addKey, Stats rebuild, Stats orphanCheck, int triggersCreated,
                  boolean sameSchema) {
        double addKeyPerCheck() {
            return addKey.medianNanos() / orphanCheck.medianNanos();
        }

        double addKeyPerRebuild() {
            return addKey.medianNanos() / rebuild.medianNanos();
        }
    }

    private final Config config;
    private final Path dir;

    AddKeyBench(Config config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    Result run(Progress progress) throws SQLException, IOException {
        int n = config.orphanChildren;
        progress.say("add-key: building " + Stats.num(n) + " child rows");
        Path template = dir.resolve("addkey-template.db");
        Db.delete(template);
        try (Connection c = Db.open(template, false)) {
            Db.exec(c, SCHEMA.split(";"));
            c.setAutoCommit(false);
            Db.exec(c, "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 10000)"
                    + " INSERT INTO parent (id, name) SELECT v, 'parent ' || v FROM n");
            Db.exec(c, "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < " + n + ")"
                    + " INSERT INTO child (id, parent_id, payload) SELECT v, 1 + v % 10000, printf('%040d', v) FROM n");
            c.commit();
        }
        Stats addKey = new Stats();
        Stats rebuild = new Stats();
        Stats check = new Stats();
        Path work = dir.resolve("addkey-run.db");
        Path rebuilt = dir.resolve("addkey-rebuilt.db");
        int created = 0;
        for (int r = 0; r < config.warmups + config.runs; r++) {
            boolean keep = r >= config.warmups;
            Db.copy(template, work);
            try (Connection c = Db.open(work, false)) {
                long t0 = System.nanoTime();
                Report report = FkGuard.addForeignKey(c, KEY, Options.defaults());
                long ns = System.nanoTime() - t0;
                created = report.created().size();
                if (keep) {
                    addKey.add(ns);
                }
            }
            try (Connection c = Db.open(work, false)) {
                long t0 = System.nanoTime();
                FkGuard.check(c, Options.defaults());
                long ns = System.nanoTime() - t0;
                if (keep) {
                    check.add(ns);
                }
            }
            Db.copy(template, rebuilt);
            try (Connection c = Db.open(rebuilt, false)) {
                long t0 = System.nanoTime();
                Db.exec(c, REBUILD);
                FkGuard.sync(c, Options.defaults());
                long ns = System.nanoTime() - t0;
                if (keep) {
                    rebuild.add(ns);
                }
            }
        }
        boolean same;
        try (Connection a = Db.open(work, false); Connection b = Db.open(rebuilt, false)) {
            String keys = "SELECT group_concat(\"table\" || \"from\" || \"to\") FROM pragma_foreign_key_list('child')";
            same = Db.stringValue(a, keys).equals(Db.stringValue(b, keys))
                    && Db.dataDigest(a, List.of("child")).equals(Db.dataDigest(b, List.of("child")));
        }
        Db.delete(work);
        Db.delete(rebuilt);
        Db.delete(template);
        Result result = new Result(n, config.runs, addKey, rebuild, check, created, same);
        progress.say(Stats.fmt("add-key: %s rows: add-key %s ms, 12-step rebuild %s ms (%.2fx), one orphan check %s ms (%.2fx)",
                Stats.num(n), Stats.ms(addKey.medianMs()), Stats.ms(rebuild.medianMs()), result.addKeyPerRebuild(),
                Stats.ms(check.medianMs()), result.addKeyPerCheck()));
        return result;
    }
}
