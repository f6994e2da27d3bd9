package dev.fkguard;

import static dev.fkguard.KeyComparisons.aligned;
import static dev.fkguard.SqlText.id;
import static dev.fkguard.TriggerPlanner.names;

import dev.fkguard.Schema.Action;
import dev.fkguard.Schema.Column;
import dev.fkguard.Schema.Table;
import dev.fkguard.TriggerPlanner.Resolved;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The warnings of a plan about keys fkguard enforces but that native enforcement itself handles
 * differently or slowly: a child key without index, mixed affinity classes, deferred keys, self
 * references (cases I.*, D.*, U.* of the table in {@link TriggerPlanner}), and ON CONFLICT REPLACE parents.
 */
final class PlanWarnings {
    private PlanWarnings() {
    }

    static List<String> warningsFor(Resolved r) {
        List<String> out = new ArrayList<>();
        if (!hasIndexOn(r.child(), r.from())) {
            out.add(r.describe() + ": no index on " + r.child().name() + "(" + names(r.from()) + "), so every delete"
                    + " or key update in " + r.parent().name() + " scans " + r.child().name()
                    + " (natively too); consider " + indexSuggestion(r));
        }
        if (!aligned(r)) {
            out.add(r.describe() + " compares columns of different affinity classes (" + affinities(r) + "): fkguard"
                    + " follows native enforcement's comparisons and, after each delete or key update in "
                    + r.parent().name() + ", reads " + r.child().name() + " to make sure no row was left without parent");
        }
        if (r.declared().deferred()) {
            out.add(r.describe() + " is DEFERRABLE INITIALLY DEFERRED: fkguard's triggers check it at once,"
                    + " row by row, not at COMMIT");
        }
        if (r.selfReferencing() && r.declared().onDelete() == Action.NO_ACTION) {
            out.add(r.describe() + " references its own table with ON DELETE NO ACTION: one statement that deletes"
                    + " a row together with its children is refused unless the children go first"
                    + " (native enforcement checks at the end of the statement)");
        }
        if (r.selfReferencing() && r.declared().onUpdate().writes() && overlaps(r.from(), r.to())) {
            out.add(r.describe() + ": ON UPDATE " + r.declared().onUpdate().sql + " changes part of the key it"
                    + " follows; beyond one level it recurses only where recursive_triggers is ON");
        }
        return out;
    }

    /** {@code CREATE INDEX "album_artist_id" ON "album"("artist_id")}: runnable as it stands. */
    static String indexSuggestion(Resolved r) {
        List<String> cols = r.from().stream().map(Column::name).toList();
        return "CREATE INDEX " + id(r.child().name() + "_" + String.join("_", cols)) + " ON " + id(r.child().name())
                + "(" + cols.stream().map(SqlText::id).collect(Collectors.joining(", ")) + ")";
    }

    private static String affinities(Resolved r) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < r.from().size(); i++) {
            pairs.add(r.from().get(i).affinity() + " -> " + r.to().get(i).affinity());
        }
        return String.join(", ", pairs);
    }

    private static boolean hasIndexOn(Table t, List<Column> cols) {
        if (cols.size() == 1 && t.rowidAlias().map(a -> Schema.same(a.name(), cols.get(0).name())).orElse(false)) {
            return true;
        }
        Set<String> wanted = cols.stream().map(c -> Schema.key(c.name())).collect(Collectors.toSet());
        for (List<String> index : t.indexes()) {
            if (index.size() >= wanted.size()) {
                Set<String> leading = index.subList(0, wanted.size()).stream()
                        .map(Schema::key).collect(Collectors.toSet());
                if (leading.equals(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean overlaps(List<Column> a, List<Column> b) {
        for (Column x : a) {
            for (Column y : b) {
                if (Schema.same(x.name(), y.name())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A parent whose UNIQUE or PRIMARY KEY says ON CONFLICT REPLACE: a plain INSERT or UPDATE that collides
     * deletes the old row, and with recursive_triggers off no DELETE trigger sees it. A trigger cannot
     * tell that conflict from an UPSERT or INSERT OR IGNORE, which must stay as they are, so this is
     * reported, not refused (README, differences from native enforcement).
     */
    static List<String> replaceWarnings(List<Resolved> fks) {
        Map<String, Set<String>> children = new java.util.LinkedHashMap<>();
        Map<String, String> names = new java.util.HashMap<>();
        for (Resolved r : fks) {
            if (r.parent().replacesOnConflict()) {
                children.computeIfAbsent(Schema.key(r.parent().name()), k -> new java.util.TreeSet<>()).add(r.child().name());
                names.put(Schema.key(r.parent().name()), r.parent().name());
            }
        }
        List<String> out = new ArrayList<>();
        for (var e : children.entrySet()) {
            String p = names.get(e.getKey());
            out.add(p + " has a UNIQUE or PRIMARY KEY constraint with ON CONFLICT REPLACE: a plain INSERT or UPDATE of "
                    + p + " that collides with it deletes the old row, and while recursive_triggers is OFF fkguard does"
                    + " not see that delete, so rows of " + String.join(", ", e.getValue()) + " can be left without"
                    + " parent (native refuses or runs the ON DELETE action); so do INSERT OR REPLACE, REPLACE and"
                    + " UPDATE OR REPLACE. Drop the ON CONFLICT REPLACE and write INSERT ... ON CONFLICT DO UPDATE,"
                    + " or set recursive_triggers ON");
        }
        return out;
    }
}
