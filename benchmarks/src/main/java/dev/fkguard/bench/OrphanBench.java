package dev.fkguard.bench;

import dev.fkguard.FkGuard;
import dev.fkguard.FkGuardException;
import dev.fkguard.Options;
import dev.fkguard.Report;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Item 4: the orphan check a sync runs before it installs triggers, against SQLite's own
 * {@code PRAGMA foreign_key_check}, on the item-1 schema with 1M child rows (two foreign keys each).
 * Two databases: clean, and with orphan rows (parents deleted behind a connection with foreign_keys=OFF).
 * The connection is opened before the clock starts; every timed run gets a fresh connection.
 */
final class OrphanBench {

    /**
     * A reference query, not fkguard's: one anti-join per foreign key, {@code NOT IN (SELECT parent key)}, which
     * SQLite runs as a scan of the child's FK index with a rowid search per entry. Single-column keys only;
     * shown to tell how close plain SQL gets to the pragma.
     */
    static final String[] ANTI_JOINS = {
        "SELECT count(*) FROM child WHERE a_id NOT IN (SELECT id FROM parent_a)",
        "SELECT count(*) FROM child WHERE b_id NOT IN (SELECT id FROM parent_b)",
        "SELECT count(*) FROM grandchild WHERE child_id NOT IN (SELECT id FROM child)",
    };

    record Case(String name, long orphans, Stats pragma, Stats check, Stats sync, Stats antiJoin, long pragmaRows,
                long checkOrphans, long antiJoinOrphans, String syncOutcome) {
        double antiJoinRatio() {
            return antiJoin.medianNanos() / pragma.medianNanos();
        }

        double checkRatio() {
            return check.medianNanos() / pragma.medianNanos();
        }

        double syncRatio() {
            return sync.medianNanos() / pragma.medianNanos();
        }
    }

    record Result(int children, int runs, List<Case> cases) {
    }

    private final Config config;
    private final Path dir;

    OrphanBench(Config config, Path dir) {
        this.config = config;
        this.dir = dir;
    }

    Result run(Progress progress) throws SQLException, IOException {
        int n = config.orphanChildren;
        int na = config.dmlParentsA;
        int nb = config.dmlParentsB;
        progress.say("orphans: building " + Stats.num(n) + " child rows");
        Path clean = dir.resolve("orphans-clean.db");
        Db.delete(clean);
        try (Connection c = Db.open(clean, false)) {
            Db.exec(c, DmlBench.SCHEMA);
            c.setAutoCommit(false);
            DmlBench.insertParents(c, na, nb);
            DmlBench.insertChildren(c, n, na, nb);
            c.commit();
        }
        // the same with orphans: ten parent_a rows deleted behind a connection with foreign_keys=OFF
        Path dirty = dir.resolve("orphans-dirty.db");
        Db.copy(clean, dirty);
        long orphans;
        try (Connection c = Db.open(dirty, false)) {
            Db.exec(c, "DELETE FROM parent_a WHERE id IN (SELECT id FROM parent_a ORDER BY id LIMIT 10)");
            orphans = Db.longValue(c, "SELECT count(*) FROM child WHERE a_id NOT IN (SELECT id FROM parent_a)");
        }
        List<Case> cases = new ArrayList<>();
        cases.add(measure(progress, "clean: no orphan", clean, 0));
        cases.add(measure(progress, "dirty: " + Stats.num(orphans) + " orphan rows", dirty, orphans));
        return new Result(n, config.runs, cases);
    }

    private Case measure(Progress progress, String name, Path template, long orphans) throws SQLException, IOException {
        Stats pragma = new Stats();
        Stats check = new Stats();
        Stats sync = new Stats();
        Stats antiJoin = new Stats();
        long[] antiJoinOrphans = new long[1];
        long[] pragmaRows = new long[1];
        long[] checkOrphans = new long[1];
        String[] syncOutcome = new String[1];
        Path work = dir.resolve("orphans-run.db");
        for (int r = 0; r < config.warmups + config.runs; r++) {
            boolean keep = r >= config.warmups;
            for (int k = 0; k < 4; k++) {
                switch ((r + k) % 4) {
                    case 0 -> {
                        try (Connection c = Db.open(template, false)) {
                            long t0 = System.nanoTime();
                            long rows = 0;
                            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                                while (rs.next()) {
                                    rows++;
                                }
                            }
                            long ns = System.nanoTime() - t0;
                            if (keep) {
                                pragma.add(ns);
                            }
                            pragmaRows[0] = rows;
                        }
                    }
                    case 1 -> {
                        try (Connection c = Db.open(template, false)) {
                            long t0 = System.nanoTime();
                            Report report = FkGuard.check(c, Options.defaults());
                            long ns = System.nanoTime() - t0;
                            if (keep) {
                                check.add(ns);
                            }
                            checkOrphans[0] = report.problems().stream()
                                .filter(p -> p.kind() == Report.Problem.Kind.ORPHANS).mapToLong(Report.Problem::orphans).sum();
                        }
                    }
                    case 2 -> {
                        try (Connection c = Db.open(template, false)) {
                            long t0 = System.nanoTime();
                            long sum = 0;
                            for (String q : ANTI_JOINS) {
                                sum += Db.longValue(c, q);
                            }
                            long ns = System.nanoTime() - t0;
                            if (keep) {
                                antiJoin.add(ns);
                            }
                            antiJoinOrphans[0] = sum;
                        }
                    }
                    default -> {
                        Db.copy(template, work);
                        try (Connection c = Db.open(work, false)) {
                            long t0 = System.nanoTime();
                            String outcome;
                            try {
                                Report report = FkGuard.sync(c, Options.defaults());
                                outcome = "installed " + report.created().size() + " triggers";
                            } catch (FkGuardException e) {
                                outcome = "refused (" + (e.report() == null ? e.getMessage()
                                    : e.report().problems().size() + " problem" + (e.report().problems().size() == 1 ? "" : "s")) + ")";
                            }
                            long ns = System.nanoTime() - t0;
                            if (keep) {
                                sync.add(ns);
                            }
                            syncOutcome[0] = outcome;
                        }
                    }
                }
            }
        }
        Db.delete(work);
        Case c = new Case(name, orphans, pragma, check, sync, antiJoin, pragmaRows[0], checkOrphans[0], antiJoinOrphans[0],
            syncOutcome[0]);
        progress.say(Stats.fmt("orphans: %s: pragma %s ms (%d rows), check %s ms (%d orphans, %.2fx), sync %s ms (%.2fx, %s),"
                + " NOT IN reference %s ms (%.2fx)",
            name, Stats.ms(pragma.medianMs()), pragmaRows[0], Stats.ms(check.medianMs()), checkOrphans[0], c.checkRatio(),
            Stats.ms(sync.medianMs()), c.syncRatio(), syncOutcome[0], Stats.ms(antiJoin.medianMs()), c.antiJoinRatio()));
        return c;
    }
}
