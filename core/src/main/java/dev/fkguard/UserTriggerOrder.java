package dev.fkguard;

import dev.fkguard.Schema.Action;
import dev.fkguard.TriggerPlanner.Planned;
import dev.fkguard.TriggerPlanner.Resolved;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where fkguard's parent triggers stand among the user's own triggers of the same table and event
 * (see {@link UserTriggers} for SQLite's firing order and native's). The orders SQLite allows without
 * touching a user trigger, since fkguard can only create its own triggers, each the newest:
 *
 * <ul>
 * <li>A trigger that acts (CASCADE, SET NULL, SET DEFAULT, RESTRICT; {@link Planned#leads()}) can always
 *     be put before every user trigger: the diff creates it again whenever a user trigger is newer
 *     ({@link TriggerDiff}), so it fires first.</li>
 * <li>A NO ACTION check can fire after a user trigger only while it is older than it: it must exist
 *     before the user trigger is created, and never be created again. A user trigger that existed before
 *     the check was created (before the first sync, or before the key or its text changed) fires after
 *     it, whatever fkguard does (README, differences from native enforcement).</li>
 * </ul>
 *
 * So where no user trigger exists on the table and event, the one merged trigger of today stays (actions
 * first, then the NO ACTION checks: the cheaper layout). Where one exists, a group whose keys both act and
 * only check gets two triggers: the checks in a trigger of their own, created first, and the actions in
 * one created after, kept newest. A merged trigger already newer than all of them stays as it is. One
 * already older than the user's newest trigger is kept as the late one, because it is the only trigger
 * that can fire after them: its actions then run a second time
 * after the user's triggers and find nothing left to do (the trigger created newest did it), unless a
 * user trigger points a child at the removed key again, which native refuses at the end of the statement.
 */
final class UserTriggerOrder {
    private UserTriggerOrder() {
    }

    /**
     * The parent triggers for keys that share a table and event (one DELETE group, or one UPDATE of one
     * referenced key), added to {@code late} (created first) and {@code early} (created after). Without
     * user triggers on the event the merged trigger alone, in {@code early} when it acts.
     */
    static void parentGroup(List<Resolved> keys, Function<List<Resolved>, Planned> make, Function<Resolved, Action> action,
                            UserTriggers users, List<Planned> late, List<Planned> early) {
        Planned merged = make.apply(keys);
        List<Resolved> acting = keys.stream().filter(r -> action.apply(r) != Action.NO_ACTION).toList();
        List<Resolved> checking = keys.stream().filter(r -> action.apply(r) == Action.NO_ACTION).toList();
        if (acting.isEmpty() || checking.isEmpty() || !users.any(merged.group())) {
            (merged.leads() ? early : late).add(merged);
            return;
        }
        if (users.present(merged) && !users.olderThanUsers(merged.group(), merged.name())) {
            // newer than every user trigger already (say, synced by a version before this layout): in place
            early.add(merged);
            return;
        }
        if (users.present(merged)) {
            late.add(merged.asLate());
        } else {
            late.add(make.apply(checking));
        }
        early.add(make.apply(acting));
    }

    /**
     * What {@code check} and {@code plan} say about order: per table and event, fkguard's triggers that a
     * user trigger created later has overtaken while the ones that act are not the newest (the sync creates
     * those again), and each NO ACTION or child check that fires before a user trigger once the sync is done (no
     * sync can change that): one present and newer than a user trigger, or one the sync creates, which will be.
     */
    static List<String> warnings(List<Planned> planned, UserTriggers users) {
        List<String> out = new ArrayList<>();
        java.util.Map<String, List<Planned>> byGroup = new java.util.LinkedHashMap<>();
        for (Planned p : planned) {
            if (users.any(p.group())) {
                byGroup.computeIfAbsent(p.group(), k -> new ArrayList<>()).add(p);
            }
        }
        for (var e : byGroup.entrySet()) {
            String user = users.newest(e.getKey()).orElseThrow().trigger().name();
            Planned first = e.getValue().get(0);
            List<Planned> outOfPlace = e.getValue().stream()
                    .filter(p -> p.leads() && (!users.present(p) || users.olderThanUsers(e.getKey(), p.name()))).toList();
            List<String> overtaken = users.overtaken(e.getKey());
            if (!outOfPlace.isEmpty() && !overtaken.isEmpty()) {
                out.add(String.join(", ", overtaken) + " " + (overtaken.size() == 1 ? "is" : "are") + " older than " + user
                        + ", a trigger of yours on " + event(first) + ", so " + (overtaken.size() == 1 ? "it fires" : "they fire")
                        + " after it (SQLite fires the newest trigger first): " + consequence(outOfPlace)
                        + "; fkguard sync creates " + outOfPlace.stream().map(Planned::name).collect(java.util.stream.Collectors.joining(", "))
                        + " as the newest, as native order wants");
            }
            for (Planned p : e.getValue()) {
                // a check this sync creates (absent, or present with other text) becomes newer than every user trigger
                String older = users.present(p) ? users.olderUser(e.getKey(), p.name()) : users.oldest(e.getKey());
                if (!p.leads() && !p.enforces().isEmpty() && older != null) {
                    out.add(p.name() + " (" + what(p) + ") is newer than " + older
                            + ", a trigger of yours on " + event(p) + ", so its checks fire before that trigger: a repair"
                            + " that trigger makes is not seen (native checks at the end of the statement); only dropping"
                            + " and creating your trigger again changes that");
                }
            }
        }
        return out;
    }

    private static String what(Planned p) {
        List<String> keys = p.enforces().stream().map(Resolved::describe).toList();
        return keys.isEmpty() ? "a broken key's refusal" : String.join(", ", keys);
    }

    private static String consequence(List<Planned> outOfPlace) {
        List<String> actions = new ArrayList<>();
        boolean restrict = false;
        for (Planned p : outOfPlace) {
            boolean delete = p.group().endsWith("\u0000DELETE");
            for (Resolved r : p.enforces()) {
                Action a = delete ? r.onDelete() : r.onUpdate();
                if (a != Action.NO_ACTION) {
                    actions.add((delete ? "ON DELETE " : "ON UPDATE ") + a.sql + " of " + r.describe());
                    restrict |= a == Action.RESTRICT;
                }
            }
        }
        if (actions.isEmpty()) {
            return "your trigger runs before the refusal of a broken key, which native makes before any trigger";
        }
        return "the " + String.join(", ", actions) + (actions.size() == 1 ? " runs" : " run") + " after your trigger"
                + (restrict ? ", so a RESTRICT misses children your trigger moves or deletes" : "");
    }

    private static String event(Planned p) {
        String e = p.group().split("\u0000", 2)[1];
        return (e.startsWith("BEFORE ") ? e : "AFTER " + e) + " of " + p.table();
    }
}
