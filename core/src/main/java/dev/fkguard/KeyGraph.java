package dev.fkguard;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which table references which, as {@link Schema#key}: {@code parents} (child to parents), the number of declared
 * foreign keys per child, and every table. A migration's closing sync carries it to the next migration on the
 * connection, so that a migration pays for the tables it changed, not for the whole graph: with it go
 * {@code children}, the reverse edges without self references, and {@code cycles}, the tables on a cycle of two or
 * more tables ({@link Cycles#onCycles} of {@code children}), both updated instead of rebuilt.
 */
record KeyGraph(Set<String> tables, Map<String, Set<String>> parents, Map<String, Integer> keys,
                Map<String, Set<String>> children, Set<String> cycles) {
    /** One row read: a table and one of its keys (id and parent), or the table alone (id -1, parent null). */
    record Edge(String child, int id, String parent) {
    }

    int foreignKeys() {
        int n = 0;
        for (int k : keys.values()) {
            n += k;
        }
        return n;
    }

    /** The graph of these rows, which cover every table. */
    static KeyGraph of(List<Edge> edges) {
        Set<String> tables = new HashSet<>();
        Map<String, Set<String>> parents = new HashMap<>();
        Map<String, Integer> keys = new HashMap<>();
        add(edges, tables, parents, keys);
        Map<String, Set<String>> children = new HashMap<>();
        for (var e : parents.entrySet()) {
            for (String p : e.getValue()) {
                if (!p.equals(e.getKey())) {
                    children.computeIfAbsent(p, k -> new HashSet<>()).add(e.getKey());
                }
            }
        }
        return new KeyGraph(tables, parents, keys, children, Cycles.onCycles(children));
    }

    /**
     * This graph with the tables of {@code reread} replaced by what {@code edges} (their rows, read again) say; a
     * table of {@code reread} without rows is gone.
     */
    KeyGraph updated(Set<String> reread, List<Edge> edges) {
        Set<String> tables = new HashSet<>(this.tables);
        Map<String, Set<String>> parents = new HashMap<>(this.parents);
        Map<String, Integer> keys = new HashMap<>(this.keys);
        tables.removeAll(reread);
        parents.keySet().removeAll(reread);
        keys.keySet().removeAll(reread);
        if (reread.isEmpty()) {
            return new KeyGraph(tables, parents, keys, children, cycles);
        }
        add(edges, tables, parents, keys);
        // the reverse edges of the tables read again, replaced; every other set is shared with this graph, unchanged
        Map<String, Set<String>> children = new HashMap<>(this.children);
        Set<String> copied = new HashSet<>();
        for (String r : reread) {
            for (String p : this.parents.getOrDefault(r, Set.of())) {
                if (!p.equals(r) && children.containsKey(p)) {
                    if (copied.add(p)) {
                        children.put(p, new HashSet<>(children.get(p)));
                    }
                    children.get(p).remove(r);
                    if (children.get(p).isEmpty()) {
                        children.remove(p);
                    }
                }
            }
            for (String p : parents.getOrDefault(r, Set.of())) {
                if (!p.equals(r)) {
                    Set<String> of = children.get(p);
                    if (copied.add(p) || of == null) {
                        of = of == null ? new HashSet<>() : new HashSet<>(of);
                        children.put(p, of);
                    }
                    of.add(r);
                }
            }
        }
        // a cycle through a table needs an edge into it: tables that nobody references, before or after, can gain
        // or lose parents without making or breaking a cycle, and the cycles of this graph are still the cycles
        boolean sameCycles = true;
        for (String r : reread) {
            sameCycles &= !this.children.containsKey(r) && !children.containsKey(r);
        }
        return new KeyGraph(tables, parents, keys, children, sameCycles ? cycles : Cycles.onCycles(children));
    }

    private static void add(List<Edge> edges, Set<String> tables, Map<String, Set<String>> parents,
                            Map<String, Integer> keys) {
        Set<String> seen = new HashSet<>();
        for (Edge e : edges) {
            tables.add(e.child());
            if (e.parent() == null) {
                continue;
            }
            parents.computeIfAbsent(e.child(), k -> new HashSet<>()).add(e.parent());
            if (seen.add(e.child() + "\u0000" + e.id())) {
                keys.merge(e.child(), 1, Integer::sum);
            }
        }
    }
}
