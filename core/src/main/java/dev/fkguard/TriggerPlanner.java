package dev.fkguard;

import static dev.fkguard.ChildChecks.childInsert;
import static dev.fkguard.ChildChecks.childUpdate;
import static dev.fkguard.Cycles.cycleWarnings;
import static dev.fkguard.Cycles.tablesOnCycles;
import static dev.fkguard.KeyResolver.resolve;
import static dev.fkguard.ParentActions.creationOrder;
import static dev.fkguard.ParentActions.parentDelete;
import static dev.fkguard.ParentActions.parentUpdate;
import static dev.fkguard.PlanWarnings.replaceWarnings;
import static dev.fkguard.PlanWarnings.warningsFor;
import static dev.fkguard.TriggerNames.groupOf;
import static dev.fkguard.TriggerNames.kindOf;

import dev.fkguard.Schema.Action;
import dev.fkguard.Schema.Column;
import dev.fkguard.Schema.ForeignKey;
import dev.fkguard.Schema.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Schema in, triggers out: the pure heart of fkguard. No database is needed to call it.
 *
 * <h2>The algorithm</h2>
 * For a foreign key C(c1..cn) REFERENCES P(p1..pn), SQLite's native enforcement (src/fkey.c) does
 * the following, and fkguard's triggers reproduce it row by row. "Matches" below always means the
 * comparison SQLite itself makes: the parent column's collation, and the parent column's affinity
 * applied to the child value ({@code "p"."p1" = +NEW."c1"}: the unary {@code +} strips the child's
 * affinity, the parent column on the left brings its own collation and affinity).
 *
 * <pre>
 *   Case  Trigger (name)                 Fires                                Does
 *   ----  -----------------------------  -----------------------------------  --------------------------------------------
 *   I.1   fkguard_C_ins_h   (per table)  AFTER INSERT ON C                    for each FK of C: RAISE unless a key column is
 *                                                                             NULL, the row references itself (binary
 *                                                                             compare, as fkey.c does), or a parent matches
 *                                                                             (the new row itself excluded from the search)
 *   I.2   fkguard_C_upd_h   (per table)  AFTER UPDATE OF all FK columns ON C  the same, for each FK whose columns changed
 *                                         (and rowid if one is the rowid)     (binary and type-exact: unchanged keys are not
 *                                                                             re-checked, native counts them +1 -1 = 0)
 *   D.1   fkguard_P_pdel_h  (per table*) AFTER DELETE ON P                    NO ACTION, RESTRICT: RAISE if a child matches OLD
 *   D.2                                                                       CASCADE: DELETE the children; for a self
 *                                                                             reference the whole subtree, found by a
 *                                                                             recursive CTE (a trigger cannot re-fire itself
 *                                                                             while recursive_triggers is off)
 *   D.3                                                                       SET NULL: UPDATE children SET c = NULL
 *   D.4                                                                       SET DEFAULT: UPDATE children SET c = DEFAULT,
 *                                                                             then RAISE if a child still matches OLD; I.2
 *                                                                             refuses a default with no parent
 *   U.1   fkguard_P_pupd_h  (per key*)   AFTER UPDATE OF p1..pn ON P          NO ACTION: RAISE if a child matches OLD but not
 *                                         (and rowid if p is the rowid)       NEW (native counts +1 per child of OLD, -1 per
 *                                         WHEN the key changed, compared      child of NEW)
 *                                         with the parent's collation
 *   U.2                                                                       RESTRICT: RAISE if any child matches OLD
 *   U.3                                                                       CASCADE: UPDATE children SET c = NEW.p
 *   U.4                                                                       SET NULL / SET DEFAULT: as D.3 / D.4
 *
 *   Broken declarations, only with Options.BrokenKeys.ENFORCE (else the sync refuses), in BrokenKeyTriggers:
 *   parent table missing ("no such table: main.P"), or parent key not unique / parent column missing /
 *   wrong number of columns ("foreign key mismatch - "C" referencing "P""). Native refuses at prepare time.
 *   B.1   fkguard_C_bins_h  (per key)    BEFORE INSERT ON C                   RAISE native's error
 *   B.2   fkguard_C_bupd_h  (per key)    BEFORE UPDATE OF c1..cn ON C         RAISE native's error
 *                                         (and rowid if one is the rowid)
 *   B.3   fkguard_C_bdel_h  (per key)    BEFORE DELETE ON C                   RAISE native's error
 *   B.4   fkguard_P_bpdel_h (per key)    BEFORE DELETE ON P (mismatch only)   RAISE native's error
 *   B.5   fkguard_P_bpupd_h (per key)    BEFORE UPDATE OF ... ON P            RAISE native's error (...: every column of P a
 *                                         (mismatch only; rowid as above)     foreign key touches, as parent or as child: any
 *                                                                             update that makes SQLite process keys fails)
 *   B.6   fkguard_P_bpins_h (per key)    BEFORE INSERT ON P                   RAISE native's error
 *                                         (mismatch, only of a deferred key or
 *                                         when P has INSERT triggers of the user's)
 * </pre>
 * BEFORE, so that native's prepare-time error wins over every other key's check; INSERT into P and
 * UPDATE of other columns pass, as natively.
 *
 * <p>Where each case is written: I.1, I.2 in {@link ChildChecks}; D.1-D.4, U.1-U.4 in {@link ParentActions},
 * with native's three comparisons (action, counter scan, parent lookup) in {@link KeyComparisons};
 * B.1-B.6 in {@link BrokenKeyTriggers}. Which parent tables get one trigger per key ({@link Cycles}),
 * the names ({@link TriggerNames}), what a sync changes ({@link TriggerDiff}), which declarations
 * resolve ({@link KeyResolver}) and the warnings ({@link PlanWarnings}) have classes of their own;
 * this class keeps the table and {@link #plan}, which resolves, groups and orders.
 *
 * Why AFTER triggers: native actions run after the parent row is gone (sqlite3FkActions follows the
 * delete), and an AFTER INSERT sees the values SQLite really stored, affinity applied. Why per-table
 * child triggers: they only read, so they can never be blocked by SQLite's rule that a trigger does
 * not fire while it is already running, and one trigger per table and event keeps the schema small.
 * (*) Parent triggers: one DELETE trigger per parent table and one UPDATE trigger per referenced key,
 * actions first (last declared key first, as sqlite3FkActions) and NO ACTION checks last. When the
 * parent table lies on a cycle of foreign keys (self reference included), one trigger per foreign
 * key instead: they write, and a cascade that comes back to the table must still find the triggers
 * of every other key free to fire (SQLite never re-fires a running trigger while recursive_triggers
 * is off). Fewer triggers matter: each CREATE TRIGGER re-reads sqlite_schema, and every connection
 * parses every trigger. Where the parent has AFTER triggers of the user's on the event, a trigger
 * whose keys both act and only check is split in two, the checks created first, so that the actions
 * fire before the user's triggers and the checks after them; the diff keeps every acting trigger the
 * newest of its table and event ({@link UserTriggerOrder}, {@link TriggerDiff}).
 *
 * <p>Every connection parses every trigger, so the text leaves out what it does not need: consecutive
 * checks are one {@code SELECT CASE} ({@link TriggerBody}) and the change test is {@code NEW.c IS NOT OLD.c}
 * where nothing more is needed. Names stay quoted and subquery columns qualified, the form
 * {@link StaleTriggers} reads.
 *
 * <p>The message of every RAISE starts with SQLite's own text, {@code FOREIGN KEY constraint failed},
 * followed by the key, e.g. {@code FOREIGN KEY constraint failed: Track(AlbumId) -> Album(AlbumId)}.
 *
 * <h2>Names</h2>
 * {@code fkguard_<table>_<case>_<hash>}: the table the trigger is on (non-alphanumerics as
 * {@code _}, cut at 40 characters), the case ({@code ins}, {@code upd}, {@code pdel}, {@code pupd}) and
 * ten hex digits of SHA-256 over the content of the key(s) it enforces (child, child columns,
 * parent, parent columns, actions). Stable across runs and across {@code foreign_key_list} id
 * shifts; a changed key gets a new name. A trigger is fkguard's only when its whole name has this
 * form ({@link TriggerNames#isManaged}); nothing else is ever touched, whatever its name starts with.
 */
final class TriggerPlanner {
    private static final String MESSAGE = "FOREIGN KEY constraint failed";

    private TriggerPlanner() {
    }

    /** A foreign key whose tables and columns exist and whose parent key is unique: enforceable. */
    record Resolved(ForeignKey declared, Table child, List<Column> from, Table parent, List<Column> to) {
        boolean selfReferencing() {
            return Schema.same(child.name(), parent.name());
        }

        Action onDelete() {
            return declared.onDelete();
        }

        Action onUpdate() {
            return declared.onUpdate();
        }

        /** The parent key is the rowid alias (INTEGER PRIMARY KEY). */
        boolean parentIsRowid() {
            Optional<Column> alias = parent.rowidAlias();
            return to.size() == 1 && alias.isPresent() && Schema.same(alias.get().name(), to.get(0).name());
        }

        String describe() {
            return child.name() + "(" + names(from) + ") -> " + parent.name() + "(" + names(to) + ")";
        }

        String message() {
            return MESSAGE + ": " + describe();
        }

        /** The content the trigger names are derived from. */
        String identity() {
            return child.name() + "\u0000" + names(from) + "\u0000" + parent.name() + "\u0000" + names(to)
                    + "\u0000" + declared.onDelete() + "\u0000" + declared.onUpdate();
        }
    }

    /**
     * A trigger fkguard wants in the schema. {@code sql} is exactly what {@code sqlite_schema} will store.
     * {@code leads}: it must fire before every user trigger of its group, so be the newest of it
     * ({@link UserTriggerOrder}); true for a parent trigger that acts and for a broken key's BEFORE trigger.
     */
    record Planned(String name, String table, String sql, List<Resolved> enforces, boolean leads) {
        Planned(String name, String table, String sql, List<Resolved> enforces) {
            this(name, table, sql, enforces, acts(kindOf(name), enforces));
        }

        String group() {
            return groupOf(table, kindOf(name));
        }

        /** The same trigger, kept where it is among the user's triggers although it acts (see {@link UserTriggerOrder}). */
        Planned asLate() {
            return new Planned(name, table, sql, enforces, false);
        }

        /** Broken keys' refusals, and parent triggers with an action or RESTRICT for their event. */
        private static boolean acts(String kind, List<Resolved> enforces) {
            if (kind == null) {
                return false;
            }
            return switch (kind) {
                case "pdel" -> enforces.stream().anyMatch(r -> r.onDelete() != Action.NO_ACTION);
                case "pupd" -> enforces.stream().anyMatch(r -> r.onUpdate() != Action.NO_ACTION);
                default -> kind.startsWith("b");
            };
        }
    }

    record Plan(List<Planned> triggers, List<Resolved> foreignKeys, List<String> warnings,
                List<Report.Problem> problems) {
    }

    /** What must change: triggers to drop (stale, edited, obsolete), triggers to create, how many are right. */
    record Diff(List<Schema.Trigger> drop, List<Planned> create, int kept) {
    }

    // ------------------------------------------------------------------ planning

    static Plan plan(Schema schema, Options options) {
        return plan(schema, options, table -> true);
    }

    /**
     * The plan with only the triggers on tables {@code triggersOn} accepts (keys, warnings and problems all the
     * same): a table's triggers depend on its own keys, as child and as parent, and on no other table's triggers.
     */
    static Plan plan(Schema schema, Options options, java.util.function.Predicate<String> triggersOn) {
        List<Resolved> resolved = new ArrayList<>();
        List<Report.Problem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<BrokenKeyTriggers.Broken> broken = new ArrayList<>();
        for (Table child : schema.tables()) {
            if (options.excludes(child.name())) {
                continue;
            }
            for (ForeignKey fk : child.foreignKeys()) {
                if (options.excludes(fk.parent())) {
                    continue;
                }
                List<Report.Problem> found = new ArrayList<>();
                Optional<Resolved> r = resolve(schema, child, fk, found);
                if (r.isPresent()) {
                    resolved.add(r.get());
                    continue;
                }
                String why = found.get(0).message().substring(("foreign key " + fk.describe() + ": ").length());
                Optional<BrokenKeyTriggers.Broken> b = options.brokenKeys() == Options.BrokenKeys.ENFORCE
                        ? BrokenKeyTriggers.of(schema, schema.name(), child, fk, why) : Optional.empty();
                if (b.isPresent()) {
                    broken.add(b.get());
                } else {
                    problems.addAll(found);
                }
            }
        }
        // Creation order is firing order reversed: SQLite fires the newest trigger of an event first
        // (measured; stable across reopen and VACUUM). Per table and event, fkguard creates the pure
        // NO ACTION checks first, so they fire last, as native checks at the end of the statement;
        // then the action triggers in declaration order, so the last declared key acts first, as
        // sqlite3FkActions walks its list. For UPDATE, the child check of a table on a cycle last, as
        // native checks the child before any action runs: an action that comes back to the table must
        // find the check free to fire again. Off cycles no action can reach the rows the child check
        // reads (its parents) or re-fire it, so there the check comes first and fires last, like every
        // other check: a parent that gains or loses a child then rewrites only its own triggers, and
        // the child check of its table stays (a migration adding a child table runs 8 trigger
        // statements instead of 12).
        List<Planned> triggers = new ArrayList<>();
        UserTriggers users = UserTriggers.of(schema);
        Set<String> onCycles = tablesOnCycles(resolved);
        Map<String, List<Resolved>> byChild = new java.util.HashMap<>();
        Map<String, List<Resolved>> byParent = new java.util.HashMap<>();
        for (Resolved r : resolved) {
            byChild.computeIfAbsent(Schema.key(r.child().name()), k -> new ArrayList<>()).add(r);
            byParent.computeIfAbsent(Schema.key(r.parent().name()), k -> new ArrayList<>()).add(r);
        }
        for (Table t : schema.tables()) {
            if (!triggersOn.test(t.name())) {
                continue;
            }
            List<Resolved> asChild = byChild.getOrDefault(Schema.key(t.name()), List.of());
            List<Resolved> asParent = byParent.getOrDefault(Schema.key(t.name()), List.of());
            boolean onCycle = onCycles.contains(Schema.key(t.name()));
            if (!asChild.isEmpty()) {
                triggers.add(childInsert(asChild));
                if (!onCycle) {
                    triggers.add(childUpdate(asChild));
                }
            }
            if (!asParent.isEmpty()) {
                if (onCycle) {
                    // one trigger per key: a cascade that comes back to this table must still find the
                    // triggers of the other keys free to fire (see the class comment)
                    for (Resolved r : creationOrder(asParent, Resolved::onDelete)) {
                        triggers.add(parentDelete(List.of(r)));
                    }
                    for (Resolved r : creationOrder(asParent, Resolved::onUpdate)) {
                        triggers.add(parentUpdate(List.of(r)));
                    }
                } else {
                    // where the user has triggers of their own on the event, checks and actions may need
                    // triggers of their own, the checks created first (UserTriggerOrder)
                    List<Planned> late = new ArrayList<>();
                    List<Planned> early = new ArrayList<>();
                    UserTriggerOrder.parentGroup(asParent, ParentActions::parentDelete, Resolved::onDelete, users, late, early);
                    triggers.addAll(late);
                    triggers.addAll(early);
                    Map<String, List<Resolved>> byKey = new java.util.LinkedHashMap<>();
                    for (Resolved r : asParent) {
                        byKey.computeIfAbsent(Schema.key(names(r.to())), k -> new ArrayList<>()).add(r);
                    }
                    late.clear();
                    early.clear();
                    for (List<Resolved> sameKey : byKey.values()) {
                        if (users.any(groupOf(t.name(), "pupd"))) {
                            UserTriggerOrder.parentGroup(sameKey, ParentActions::parentUpdate, Resolved::onUpdate, users, late, early);
                        } else {
                            triggers.add(parentUpdate(sameKey));
                        }
                    }
                    triggers.addAll(late);
                    triggers.addAll(early);
                }
            }
            if (!asChild.isEmpty() && onCycle) {
                triggers.add(childUpdate(asChild));
            }
        }
        for (Planned p : BrokenKeyTriggers.plan(schema, broken)) {
            if (triggersOn.test(p.table())) {
                triggers.add(p);
            }
        }
        for (BrokenKeyTriggers.Broken b : broken) {
            warnings.add(b.warning());
        }
        for (Resolved r : resolved) {
            warnings.addAll(warningsFor(r));
        }
        warnings.addAll(cycleWarnings(resolved));
        warnings.addAll(replaceWarnings(resolved));
        warnings.addAll(UserTriggerOrder.warnings(triggers, users));
        return new Plan(triggers, resolved, warnings, problems);
    }

    /** What must change against the triggers present: {@link TriggerDiff}. */
    static Diff diff(Plan plan, Schema schema) {
        return TriggerDiff.diff(plan, schema);
    }

    static String names(List<Column> cols) {
        if (cols.size() == 1) {
            return cols.get(0).name();
        }
        StringBuilder b = new StringBuilder();
        for (Column c : cols) {
            b.append(b.length() == 0 ? "" : ", ").append(c.name());
        }
        return b.toString();
    }
}
