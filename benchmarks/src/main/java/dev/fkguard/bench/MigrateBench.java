package dev.fkguard.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What fkguard adds to Flyway's {@code migrate()}: the same migrations with Flyway alone and with fkguard-flyway on
 * the class path (zero configuration), each in a class loader of its own ({@link IsolatedFlyway}), in one run.
 *
 * <ul>
 *   <li><b>fresh</b>: N migrations on a new file, each one table with two FKs (to the previous table and to the
 *       table at half its number) and R rows, one INSERT statement per row.</li>
 *   <li><b>big</b>: M small migrations (a new table with one FK to the big table, one {@code ADD COLUMN} on it) on a
 *       database whose child table already holds C rows (prepared by V1, not timed).</li>
 * </ul>
 * The first run of each variant is in a fresh class loader (cold: Flyway and fkguard loaded, JIT-compiled and, for
 * fkguard, its memory of synced states empty); the other runs reuse it (warm), median reported.
 */
final class MigrateBench {
    private final Config config;
    private final Path dir;

    MigrateBench(Config config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    record Case(String key, String title, long coldPlainNs, long coldFkguardNs, Stats plain, Stats fkguard, int triggers,
                boolean inSync) {
        double warmRatio() {
            return fkguard.medianNanos() / plain.medianNanos();
        }

        double coldRatio() {
            return (double) coldFkguardNs / coldPlainNs;
        }
    }

    record Result(List<Case> cases, int runs) {
    }

    Result run(Progress progress) throws Exception {
        List<Case> cases = new ArrayList<>();
        cases.add(fresh(progress));
        cases.add(big(progress));
        cases.add(liquibase(progress));
        return new Result(cases, config.runs);
    }

    /** The CREATE TABLE of the workload's table t<i> under {@code name} (a rebuild creates it as new_t<i>). */
    static String freshTable(String name, int i) {
        return "CREATE TABLE " + name + " (id INTEGER PRIMARY KEY, a INTEGER REFERENCES t" + Math.max(1, i - 1)
                + " (id), b INTEGER REFERENCES t" + Math.max(1, (i + 1) / 2) + " (id), v TEXT)";
    }

    /**
     * Migration i of the "migrations on a new file" workload, statement by statement: table t<i> with two keys (to
     * t<i-1> and t<(i+1)/2>) and {@code rows} one-row INSERTs. {@link GuardCpuTool} and {@link DdlFloorTool} run the same.
     */
    static List<String> freshMigration(int i, int rows) {
        List<String> sql = new ArrayList<>();
        sql.add(freshTable("t" + i, i));
        for (int r = 1; r <= rows; r++) {
            sql.add("INSERT INTO t" + i + " VALUES (" + r + ", " + r + ", " + (rows + 1 - r) + ", 'row " + r + "')");
        }
        return sql;
    }

    private Case fresh(Progress progress) throws Exception {
        int n = config.migrateTables;
        int rows = config.migrateRows;
        Path location = Files.createDirectories(dir.resolve("migrate-fresh"));
        for (int i = 1; i <= n; i++) {
            StringBuilder sql = new StringBuilder();
            for (String statement : freshMigration(i, rows)) {
                sql.append(statement).append(";\n");
            }
            Files.writeString(location.resolve("V" + i + "__t" + i + ".sql"), sql.toString());
        }
        String title = Stats.fmt("%d migrations on a new file, each one table with two FKs and %d rows (one INSERT per row)", n, rows);
        progress.say("migrate: " + title);
        return measure("fresh", title, location, variant -> null);
    }

    private Case big(Progress progress) throws Exception {
        int m = config.migrateSmall;
        long children = config.migrateChildren;
        Path v1 = Files.createDirectories(dir.resolve("migrate-big-v1"));
        String schema = Stats.fmt("""
                CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
                CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id), payload TEXT);
                CREATE INDEX child_parent ON child (parent_id);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO parent SELECT i, 'p' || i FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)
                    INSERT INTO child SELECT i, 1 + i %% 1000, 'c' FROM n;
                """, children);
        Files.writeString(v1.resolve("V1__big.sql"), schema);
        Path location = Files.createDirectories(dir.resolve("migrate-big"));
        Files.writeString(location.resolve("V1__big.sql"), schema);
        for (int i = 2; i <= m + 1; i++) {
            Files.writeString(location.resolve("V" + i + "__small" + i + ".sql"), "CREATE TABLE tag" + i
                    + " (id INTEGER PRIMARY KEY, child_id INTEGER REFERENCES child (id), note TEXT);\n"
                    + "ALTER TABLE child ADD COLUMN extra" + i + " TEXT;\n");
        }
        String title = Stats.fmt("%d small migrations (a new table with one FK, one ADD COLUMN) on a database with %s child rows",
                m, Stats.num(children));
        progress.say("migrate: " + title + " (preparing the database)");
        Map<Boolean, Path> prepared = new java.util.HashMap<>();
        for (boolean withFkguard : new boolean[] {false, true}) {
            Path db = dir.resolve("big-" + (withFkguard ? "fkguard" : "plain") + ".db");
            try (IsolatedFlyway f = IsolatedFlyway.load(withFkguard)) {
                f.migrate(db, v1, Map.of());
            }
            prepared.put(withFkguard, db);
        }
        return measure("big", title, location, prepared::get);
    }

    /** Liquibase 4.33 with and without fkguard's exec listener (the jar is on the class path either way). */
    private Case liquibase(Progress progress) throws Exception {
        int n = config.migrateTables;
        Path location = Files.createDirectories(dir.resolve("liquibase"));
        StringBuilder xml = new StringBuilder("<databaseChangeLog xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">\n");
        for (int i = 1; i <= n; i++) {
            int a = Math.max(1, i - 1);
            int b = Math.max(1, (i + 1) / 2);
            xml.append("  <changeSet id=\"t").append(i).append("\" author=\"bench\"><sql>CREATE TABLE t").append(i)
                    .append(" (id INTEGER PRIMARY KEY, a INTEGER REFERENCES t").append(a).append(" (id), b INTEGER REFERENCES t")
                    .append(b).append(" (id), v TEXT)</sql></changeSet>\n");
        }
        xml.append("</databaseChangeLog>\n");
        Files.writeString(location.resolve("changelog.xml"), xml.toString());
        String title = Stats.fmt("Liquibase 4.33.0 `update`: %d changeSets, each one table with two FKs; with and without"
                + " `FkGuardChangeExecListener` (same class loader)", n);
        progress.say("migrate: " + title);
        Series series = new Series();
        Path last = null;
        for (int run = 0; run <= config.runs; run++) {
            for (boolean withFkguard : new boolean[] {false, true}) {
                Path db = dir.resolve("liquibase-" + (withFkguard ? "fkguard" : "plain") + ".db");
                Db.delete(db);
                long ns = LiquibaseRun.update(db, location, "changelog.xml", withFkguard);
                series.add(run, withFkguard, ns);
                if (withFkguard) {
                    last = db;
                }
            }
        }
        return finish("liquibase", title, series, last);
    }

    interface Prepared {
        Path file(boolean withFkguard) throws Exception;
    }

    private Case measure(String key, String title, Path location, Prepared prepared) throws Exception {
        Series series = new Series();
        Path last = null;
        try (IsolatedFlyway withOut = IsolatedFlyway.load(false); IsolatedFlyway with = IsolatedFlyway.load(true)) {
            if (withOut.seesFkguard() || !with.seesFkguard()) {
                throw new IllegalStateException("class loaders do not separate fkguard");
            }
            for (int run = 0; run <= config.runs; run++) {
                for (boolean withFkguard : new boolean[] {false, true}) {
                    Path db = dir.resolve("migrate-" + key + "-" + (withFkguard ? "fkguard" : "plain") + ".db");
                    Db.delete(db);
                    Path source = prepared.file(withFkguard);
                    if (source != null) {
                        Db.copy(source, db);
                    }
                    long ns = (withFkguard ? with : withOut).migrate(db, location, Map.of());
                    series.add(run, withFkguard, ns);
                    if (withFkguard) {
                        last = db;
                    }
                }
            }
        }
        return finish(key, title, series, last);
    }

    /** Run 0 of each variant is its cold run; the later runs are the warm ones. */
    private static final class Series {
        final long[] cold = new long[2];
        final Stats plain = new Stats();
        final Stats fkguard = new Stats();

        void add(int run, boolean withFkguard, long ns) {
            if (run == 0) {
                cold[withFkguard ? 1 : 0] = ns;
            } else {
                (withFkguard ? fkguard : plain).add(ns);
            }
        }
    }

    private static Case finish(String key, String title, Series series, Path last) throws Exception {
        int triggers;
        boolean inSync;
        try (Connection c = Db.open(last)) {
            triggers = (int) Db.longValue(c, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'fkguard\\_%' ESCAPE '\\'");
            inSync = dev.fkguard.FkGuard.plan(c, dev.fkguard.Options.defaults()).inSync();
        }
        return new Case(key, title, series.cold[0], series.cold[1], series.plain, series.fkguard, triggers, inSync);
    }
}
