package dev.fkguard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user's own triggers, by the (table, timing and event) group fkguard's triggers are grouped by
 * ({@link TriggerNames#groupOf}), and where each trigger stands in creation order.
 *
 * <p>SQLite fires the triggers of one table, timing and event newest first: it loads the schema by
 * scanning {@code sqlite_schema} in rowid order and puts each trigger at the head of its table's list
 * (trigger.c), and a new row gets a rowid above every row present, so creation order is rowid order
 * ({@link Database#readSchema} reads the triggers so). Measured stable across reopen and VACUUM, which
 * copies the trigger rows in that order. Native enforcement runs, for a DELETE or UPDATE of a parent
 * row: the user's BEFORE triggers, the row change, the foreign key actions (RESTRICT too: fkey.c
 * implements it as an action), the user's AFTER triggers, and the NO ACTION check at the end of the
 * statement. So fkguard's triggers that act (and broken keys' BEFORE triggers, which stand for native's
 * prepare-time error) must be newer than every user trigger of their group, and NO ACTION checks older.
 * fkguard never touches a user trigger: it can only create its own triggers newest.
 */
final class UserTriggers {
    /** A trigger and its place in creation order (its index in {@link Schema#triggers()}). */
    record Placed(Schema.Trigger trigger, int position) {
    }

    /** Per group, the user's triggers in creation order. */
    private final Map<String, List<Placed>> byGroup;
    /** Every trigger present, by {@link Schema#key} of its name: its place and its text. */
    private final Map<String, Placed> all;

    /** Per group, fkguard's triggers present, in creation order. */
    private final Map<String, List<Placed>> managed;

    private UserTriggers(Map<String, List<Placed>> byGroup, Map<String, Placed> all, Map<String, List<Placed>> managed) {
        this.byGroup = byGroup;
        this.all = all;
        this.managed = managed;
    }

    /** Names of fkguard's triggers present in the group that are older than its newest user trigger. */
    List<String> overtaken(String group) {
        List<String> out = new ArrayList<>();
        Optional<Placed> u = newest(group);
        for (Placed p : managed.getOrDefault(group, List.of())) {
            if (u.isPresent() && p.position() < u.get().position()) {
                out.add(p.trigger().name());
            }
        }
        return out;
    }

    static UserTriggers of(Schema schema) {
        Map<String, List<Placed>> byGroup = new HashMap<>();
        Map<String, Placed> all = new HashMap<>();
        Map<String, List<Placed>> managed = new HashMap<>();
        List<Schema.Trigger> triggers = schema.triggers();
        for (int i = 0; i < triggers.size(); i++) {
            Schema.Trigger t = triggers.get(i);
            all.put(Schema.key(t.name()), new Placed(t, i));
            if (TriggerNames.isManaged(t.name())) {
                String group = TriggerNames.groupOf(t.table(), TriggerNames.kindOf(t.name()));
                if (group != null) {
                    managed.computeIfAbsent(group, k -> new ArrayList<>()).add(new Placed(t, i));
                }
                continue;
            }
            String group = groupOf(t);
            if (group != null) {
                byGroup.computeIfAbsent(group, k -> new ArrayList<>()).add(new Placed(t, i));
            }
        }
        return new UserTriggers(byGroup, all, managed);
    }

    /** True when the group has user triggers. */
    boolean any(String group) {
        return byGroup.containsKey(group);
    }

    /** The newest user trigger of the group, if the group has any. */
    Optional<Placed> newest(String group) {
        List<Placed> in = byGroup.get(group);
        return in == null ? Optional.empty() : Optional.of(in.get(in.size() - 1));
    }

    /** True when this planned trigger is present with exactly this text. */
    boolean present(TriggerPlanner.Planned p) {
        Placed at = all.get(Schema.key(p.name()));
        return at != null && at.trigger().sql().equals(p.sql());
    }

    /** True when the trigger present under this name is older than a user trigger of the group: it fires after it. */
    boolean olderThanUsers(String group, String triggerName) {
        Optional<Placed> u = newest(group);
        Placed at = all.get(Schema.key(triggerName));
        return u.isPresent() && at != null && at.position() < u.get().position();
    }

    /** The name of the oldest user trigger of the group, or null when it has none. */
    String oldest(String group) {
        List<Placed> in = byGroup.get(group);
        return in == null ? null : in.get(0).trigger().name();
    }

    /** The name of the oldest user trigger of the group older than the trigger present under this name, or null. */
    String olderUser(String group, String triggerName) {
        Placed at = all.get(Schema.key(triggerName));
        List<Placed> in = byGroup.getOrDefault(group, List.of());
        return at == null || in.isEmpty() || in.get(0).position() > at.position() ? null : in.get(0).trigger().name();
    }

    /**
     * The group of a CREATE TRIGGER text, as {@link TriggerNames#groupOf} spells it: {@code table NUL DELETE}
     * for an AFTER trigger, {@code table NUL BEFORE DELETE} for a BEFORE trigger (SQLite's default timing);
     * null for INSTEAD OF (views only) or a text it cannot read.
     */
    static String groupOf(Schema.Trigger t) {
        List<SqlText.Token> tokens = SqlText.tokenize(t.sql());
        int i = 0;
        // CREATE [TEMP | TEMPORARY] TRIGGER [IF NOT EXISTS] [schema .] name
        i = skip(tokens, i, "CREATE");
        if (i < tokens.size() && (tokens.get(i).is("TEMP") || tokens.get(i).is("TEMPORARY"))) {
            i++;
        }
        i = skip(tokens, i, "TRIGGER");
        if (i < tokens.size() && tokens.get(i).is("IF")) {
            i += 3;
        }
        i++;
        if (i < tokens.size() && tokens.get(i).isPunct(".")) {
            i += 2;
        }
        if (i >= tokens.size()) {
            return null;
        }
        String timing = "BEFORE";
        if (tokens.get(i).is("AFTER") || tokens.get(i).is("BEFORE")) {
            timing = tokens.get(i).text().toUpperCase(java.util.Locale.ROOT);
            i++;
        } else if (tokens.get(i).is("INSTEAD")) {
            return null;
        }
        if (i >= tokens.size()) {
            return null;
        }
        SqlText.Token e = tokens.get(i);
        String event = e.is("DELETE") ? "DELETE" : e.is("INSERT") ? "INSERT" : e.is("UPDATE") ? "UPDATE" : null;
        if (event == null) {
            return null;
        }
        return Schema.key(t.table()) + "\u0000" + (timing.equals("AFTER") ? event : "BEFORE " + event);
    }

    private static int skip(List<SqlText.Token> tokens, int i, String keyword) {
        return i < tokens.size() && tokens.get(i).is(keyword) ? i + 1 : i;
    }
}
