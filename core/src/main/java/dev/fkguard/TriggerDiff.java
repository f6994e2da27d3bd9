package dev.fkguard;

import static dev.fkguard.TriggerNames.groupOf;
import static dev.fkguard.TriggerNames.isManaged;
import static dev.fkguard.TriggerNames.kindOf;

import dev.fkguard.TriggerPlanner.Diff;
import dev.fkguard.TriggerPlanner.Plan;
import dev.fkguard.TriggerPlanner.Planned;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a sync must change: the planned triggers ({@link TriggerPlanner#plan}) against the fkguard
 * triggers present, per table and event (the groups of the case table in {@link TriggerPlanner}).
 */
final class TriggerDiff {
    private TriggerDiff() {
    }

    /**
     * Compares the plan with the fkguard triggers present (in creation order). Per table and event the
     * longest prefix already right is kept; the rest of that group is dropped and created again, so that
     * creation order, and with it firing order, is the planned one. A trigger that must lead the user's
     * triggers of its group ({@link Planned#leads()}) is right only while it is newer than all of them:
     * one that a user trigger created later has overtaken ends the prefix, so the sync creates it (and
     * what follows it in the group) again, newest. User triggers are never dropped or created.
     */
    static Diff diff(Plan plan, Schema schema) {
        Map<String, List<Planned>> wanted = new java.util.LinkedHashMap<>();
        for (Planned p : plan.triggers()) {
            wanted.computeIfAbsent(p.group(), k -> new ArrayList<>()).add(p);
        }
        Map<String, List<Schema.Trigger>> present = new java.util.LinkedHashMap<>();
        List<Schema.Trigger> drop = new ArrayList<>();
        for (Schema.Trigger t : schema.triggers()) {
            if (!isManaged(t.name())) {
                continue;
            }
            String group = groupOf(t.table(), kindOf(t.name()));
            if (group == null || !wanted.containsKey(group)) {
                drop.add(t);
            } else {
                present.computeIfAbsent(group, k -> new ArrayList<>()).add(t);
            }
        }
        UserTriggers users = UserTriggers.of(schema);
        List<Planned> create = new ArrayList<>();
        int kept = 0;
        for (var e : wanted.entrySet()) {
            List<Planned> want = e.getValue();
            List<Schema.Trigger> have = present.getOrDefault(e.getKey(), List.of());
            int same = 0;
            while (same < want.size() && same < have.size() && Schema.same(want.get(same).name(), have.get(same).name())
                    && want.get(same).sql().equals(have.get(same).sql())
                    && !(want.get(same).leads() && users.olderThanUsers(e.getKey(), have.get(same).name()))) {
                same++;
            }
            kept += same;
            drop.addAll(have.subList(same, have.size()));
            create.addAll(want.subList(same, want.size()));
        }
        return new Diff(drop, create, kept);
    }
}
