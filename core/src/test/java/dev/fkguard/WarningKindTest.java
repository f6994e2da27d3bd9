package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every warning fkguard gives belongs to a kind, so that a report can say it in one line per kind. */
class WarningKindTest {

    private static List<String> warningsOfASchemaThatEarnsEveryWarning() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            TestDb.exec(c, "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT UNIQUE ON CONFLICT REPLACE)",
                    "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id))",
                    "CREATE TABLE m (id INTEGER PRIMARY KEY, pid TEXT REFERENCES p(id))",
                    "CREATE TABLE d (id INTEGER PRIMARY KEY, pid INT REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)",
                    "CREATE TABLE node (id INTEGER PRIMARY KEY, up INT REFERENCES node(id))",
                    "CREATE TABLE tag (k INT UNIQUE REFERENCES tag(k) ON UPDATE CASCADE)",
                    "CREATE TABLE a (id INTEGER PRIMARY KEY, b_id INT REFERENCES b(id) ON DELETE CASCADE)",
                    "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INT REFERENCES a(id) ON DELETE CASCADE)",
                    "CREATE TABLE left_over (id INTEGER PRIMARY KEY, gone INT REFERENCES dropped_long_ago(id))",
                    "CREATE TRIGGER p_audit AFTER DELETE ON p BEGIN SELECT 1; END",
                    "INSERT INTO c VALUES (1, 99)");
            Options options = Options.defaults().withOrphanPolicy(Options.OrphanPolicy.WARN)
                    .withBrokenKeys(Options.BrokenKeys.ENFORCE);
            List<String> warnings = new java.util.ArrayList<>(FkGuard.sync(c, options).warnings());
            // a trigger of the user's created after fkguard's on a table whose keys act
            TestDb.exec(c, "CREATE TRIGGER a_after AFTER DELETE ON a BEGIN SELECT 1; END");
            warnings.addAll(FkGuard.sync(c, options).warnings());
            return warnings;
        }
    }

    @Test
    void everyWarningFkguardGivesHasAKindOfItsOwn() throws SQLException {
        Set<WarningKind> seen = EnumSet.noneOf(WarningKind.class);
        for (String w : warningsOfASchemaThatEarnsEveryWarning()) {
            WarningKind k = WarningKind.of(w);
            assertTrue(k != WarningKind.OTHER, "no kind for: " + w);
            seen.add(k);
        }
        assertEquals(EnumSet.complementOf(EnumSet.of(WarningKind.OTHER)), seen);
    }

    @Test
    void warningsByKindCountsEachKindOnceInOrderOfFirstAppearance() throws SQLException {
        List<String> warnings = warningsOfASchemaThatEarnsEveryWarning();
        Report r = new Report(List.of(), List.of(), List.of(), 0, 0, warnings, List.of(), false);
        Map<String, List<String>> byKind = r.warningsByKind();
        assertEquals(WarningKind.values().length - 1, byKind.size());
        assertEquals(warnings.size(), byKind.values().stream().mapToInt(List::size).sum());
        assertEquals(WarningKind.of(warnings.get(0)).summary, byKind.keySet().iterator().next());
    }
}
