package dev.fkguard;

import static dev.fkguard.SqlText.id;
import static dev.fkguard.SqlText.literal;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Triggers of the user's own for a random schema of {@link Differential}, created with the same text on the
 * native and the fkguard copy: the kinds real schemas have. Some are created before fkguard's first sync,
 * the others after it (followed by a second sync of the fkguard copy), because where fkguard's triggers
 * stand among the user's depends on that order (README "Next to your own triggers", difference 16).
 *
 * <ul>
 * <li>{@code audit}: AFTER INSERT, UPDATE or DELETE, writes a row into {@value #AUDIT}, a table with no key.</li>
 * <li>{@code guard}: BEFORE INSERT, UPDATE or DELETE with a WHEN clause on one value: RAISE(ABORT).</li>
 * <li>{@code cleanup}: AFTER DELETE or AFTER UPDATE on a parent, deletes its children, sets their key to NULL,
 *     or moves them to the new key, itself.</li>
 * <li>{@code child}: AFTER INSERT on a parent, inserts a child row referencing the new row (a table with keys).</li>
 * <li>{@code parent}: AFTER INSERT on a child, inserts the parent row the new row needs, OR IGNORE.</li>
 * </ul>
 */
final class RandomUserTriggers {
    /** A foreign key of the schema, as declared (child columns, parent, parent columns; implied ones spelled out). */
    record Key(String child, List<String> from, String parent, List<String> to) {
    }

    /** A table of the schema and its columns. */
    record Table(String name, List<String> columns) {
    }

    /**
     * One trigger of the user's: its name, its kind, the table and event (INSERT, UPDATE or DELETE) it fires on, the
     * table with foreign keys it writes rows into (null for audit and guard triggers), its text, and whether it is
     * created before fkguard's first sync.
     */
    record Trigger(String name, String kind, String table, String event, String writes, String sql, boolean beforeSync) {
    }

    /** One schema in this many gets user triggers. */
    static final int RATE = 3;
    /** The audit table the audit triggers write into: no key, compared row for row like every other table. */
    static final String AUDIT = "audit log";
    static final List<String> AUDIT_COLUMNS = List.of("on table", "what", "row");

    private final List<Trigger> triggers;

    private RandomUserTriggers(List<Trigger> triggers) {
        this.triggers = List.copyOf(triggers);
    }

    /** The triggers, in creation order within their phase. */
    List<Trigger> triggers() {
        return triggers;
    }

    List<Trigger> beforeSync() {
        return triggers.stream().filter(Trigger::beforeSync).toList();
    }

    List<Trigger> afterSync() {
        return triggers.stream().filter(t -> !t.beforeSync()).toList();
    }

    /** The tables with keys that the triggers firing on one of these events of the table write rows into. */
    Set<String> writtenOn(String table, Set<String> events) {
        Set<String> out = new java.util.HashSet<>();
        for (Trigger t : triggers) {
            if (t.writes() != null && t.table().equals(table) && events.contains(t.event())) {
                out.add(t.writes());
            }
        }
        return out;
    }

    String auditTable() {
        return "CREATE TABLE " + id(AUDIT) + " (" + String.join(", ", AUDIT_COLUMNS.stream().map(SqlText::id).toList()) + ")";
    }

    /**
     * The user triggers of this seed's schema, or null for the schemas that get none (two in three). A stream of
     * its own, so that the schema, the rows and the workload stay those of the seed.
     */
    static RandomUserTriggers of(long seed, List<Table> usable, List<Key> usableKeys, String[] values) {
        Random rnd = new Random(seed * 0x2545F4914F6CDD1DL + 23);
        if (rnd.nextInt(RATE) != 0) {
            return null;
        }
        List<Trigger> out = new ArrayList<>();
        Writes writes = new Writes();
        int n = 2 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(usableKeys.isEmpty() ? 2 : 5);
            String name = (rnd.nextInt(5) == 0 ? "fkguard_" : "") + "user's trigger " + i;
            boolean before = rnd.nextBoolean();
            String sql;
            String kindName;
            String table;
            String event;
            String written = null;
            if (kind < 2) {
                Table t = usable.get(rnd.nextInt(usable.size()));
                table = t.name();
                event = EVENTS[rnd.nextInt(EVENTS.length)];
                kindName = kind == 0 ? "audit" : "guard";
                sql = kind == 0 ? audit(rnd, name, t, event) : guard(rnd, name, t, event, values);
            } else {
                Key k = usableKeys.get(rnd.nextInt(usableKeys.size()));
                kindName = kind == 2 ? "cleanup" : kind == 3 ? "child" : "parent";
                int variant = rnd.nextInt(3);
                // no trigger that would set off itself again, directly or through others: with recursive_triggers ON
                // it would run until SQLite's depth limit (a DELETE runs out of rows, so it may follow itself)
                String on = kind == 4 ? k.child() : k.parent();
                String onEvent = kind == 2 && variant < 2 ? "DELETE" : kind == 2 ? "UPDATE" : "INSERT";
                String to = kind == 4 ? k.parent() : k.child();
                String toEvent = kind == 2 && variant == 0 ? "DELETE" : kind == 2 ? "UPDATE" : "INSERT";
                if (!writes.add(on, onEvent, to, toEvent)) {
                    continue;
                }
                table = on;
                event = onEvent;
                written = to;
                sql = kind == 2 ? cleanup(variant, name, k) : kind == 3 ? childOfNewParent(rnd, name, k) : parentOfNewChild(name, k);
            }
            out.add(new Trigger(name, kindName, table, event, written, sql, before));
        }
        return out.isEmpty() ? null : new RandomUserTriggers(out);
    }

    /** Which (table, event) a user trigger on which (table, event) writes: kept free of cycles. */
    private static final class Writes {
        private final java.util.Map<String, Set<String>> edges = new java.util.HashMap<>();

        boolean add(String on, String onEvent, String to, String toEvent) {
            String from = on + "\u0000" + onEvent;
            String target = to + "\u0000" + toEvent;
            if (from.equals(target) ? !onEvent.equals("DELETE") : reaches(target, from)) {
                return false;
            }
            edges.computeIfAbsent(from, x -> new java.util.HashSet<>()).add(target);
            return true;
        }

        private boolean reaches(String start, String goal) {
            java.util.Deque<String> todo = new java.util.ArrayDeque<>(List.of(start));
            Set<String> seen = new java.util.HashSet<>();
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (n.equals(goal)) {
                    return true;
                }
                if (seen.add(n)) {
                    todo.addAll(edges.getOrDefault(n, Set.of()));
                }
            }
            return false;
        }
    }

    private static final String[] EVENTS = {"INSERT", "UPDATE", "DELETE"};

    private static String head(String name, String timing, String event, String table) {
        return "CREATE TRIGGER " + id(name) + " " + timing + " " + event + " ON " + id(table);
    }

    private static String column(Random rnd, Table t) {
        return t.columns().get(rnd.nextInt(t.columns().size()));
    }

    private static String audit(Random rnd, String name, Table t, String event) {
        String c = column(rnd, t);
        String row = switch (event) {
            case "INSERT" -> "quote(NEW." + id(c) + ")";
            case "DELETE" -> "quote(OLD." + id(c) + ")";
            default -> "quote(OLD." + id(c) + ") || ' -> ' || quote(NEW." + id(c) + ")";
        };
        String of = event.equals("UPDATE") && rnd.nextBoolean() ? "UPDATE OF " + id(c) : event;
        return head(name, "AFTER", of, t.name()) + " BEGIN INSERT INTO " + id(AUDIT) + " VALUES ("
                + literal(t.name()) + ", " + literal(event.toLowerCase(java.util.Locale.ROOT)) + ", " + row + "); END";
    }

    private static String guard(Random rnd, String name, Table t, String event, String[] values) {
        String c = column(rnd, t);
        String row = event.equals("DELETE") ? "OLD." : "NEW.";
        return head(name, "BEFORE", event, t.name()) + " WHEN " + row + id(c) + " IS " + values[rnd.nextInt(values.length)]
                + " BEGIN SELECT RAISE(ABORT, " + literal("refused by " + name) + "); END";
    }

    /** The child's key columns equal to the parent row's old key columns. */
    private static String childrenOf(Key k) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < k.from().size(); i++) {
            terms.add(id(k.from().get(i)) + " = OLD." + id(k.to().get(i)));
        }
        return String.join(" AND ", terms);
    }

    private static String cleanup(int r, String name, Key k) {
        String body;
        String event;
        if (r == 0) {
            event = "DELETE";
            body = "DELETE FROM " + id(k.child()) + " WHERE " + childrenOf(k);
        } else if (r == 1) {
            event = "DELETE";
            body = "UPDATE " + id(k.child()) + " SET " + String.join(", ", k.from().stream().map(c -> id(c) + " = NULL").toList())
                    + " WHERE " + childrenOf(k);
        } else {
            // OF the parent key: the trigger's own update of a self-referencing table's child columns does not fire it
            event = "UPDATE OF " + String.join(", ", k.to().stream().map(SqlText::id).toList());
            List<String> set = new ArrayList<>();
            for (int i = 0; i < k.from().size(); i++) {
                set.add(id(k.from().get(i)) + " = NEW." + id(k.to().get(i)));
            }
            body = "UPDATE " + id(k.child()) + " SET " + String.join(", ", set) + " WHERE " + childrenOf(k);
        }
        return head(name, "AFTER", event, k.parent()) + " BEGIN " + body + "; END";
    }

    private static String childOfNewParent(Random rnd, String name, Key k) {
        List<String> vals = k.to().stream().map(c -> "NEW." + id(c)).toList();
        return head(name, "AFTER", "INSERT", k.parent()) + " BEGIN INSERT" + (rnd.nextBoolean() ? " OR IGNORE" : "")
                + " INTO " + id(k.child()) + " (" + String.join(", ", k.from().stream().map(SqlText::id).toList())
                + ") VALUES (" + String.join(", ", vals) + "); END";
    }

    private static String parentOfNewChild(String name, Key k) {
        List<String> vals = k.from().stream().map(c -> "NEW." + id(c)).toList();
        return head(name, "AFTER", "INSERT", k.child()) + " BEGIN INSERT OR IGNORE INTO " + id(k.parent())
                + " (" + String.join(", ", k.to().stream().map(SqlText::id).toList()) + ") VALUES ("
                + String.join(", ", vals) + "); END";
    }
}
