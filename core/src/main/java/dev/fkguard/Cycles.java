package dev.fkguard;

import dev.fkguard.Schema.Action;
import dev.fkguard.TriggerPlanner.Resolved;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tables lie on a cycle of foreign keys: the parent triggers of such a table (cases D.* and U.*
 * of the table in {@link TriggerPlanner}) are one per key, not one per table, and a cycle of
 * ON DELETE CASCADE keys gets a warning.
 */
final class Cycles {
    private Cycles() {
    }

    /**
     * Tables where a change can come back to the same table: a key references its own table, or a
     * table reached through foreign keys (parent to child) leads back. One search per table over an
     * adjacency map, so large schemas stay linear-ish.
     */
    static Set<String> tablesOnCycles(List<Resolved> keys) {
        Map<String, Set<String>> children = new java.util.HashMap<>();
        for (Resolved r : keys) {
            children.computeIfAbsent(Schema.key(r.parent().name()), k -> new java.util.HashSet<>()).add(Schema.key(r.child().name()));
        }
        return onCycles(children);
    }

    /**
     * Nodes that lie on a cycle (a strongly connected component of two or more nodes, or a node with an
     * edge to itself). Tarjan's algorithm, iterative: linear in nodes and edges.
     */
    static Set<String> onCycles(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new java.util.HashMap<>();
        Map<String, Integer> low = new java.util.HashMap<>();
        Set<String> onStack = new java.util.HashSet<>();
        java.util.ArrayDeque<String> stack = new java.util.ArrayDeque<>();
        Set<String> out = new java.util.HashSet<>();
        int next = 0;
        for (String root : edges.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            // frames: node and an iterator over its successors
            java.util.ArrayDeque<Map.Entry<String, java.util.Iterator<String>>> frames = new java.util.ArrayDeque<>();
            index.put(root, next);
            low.put(root, next++);
            stack.push(root);
            onStack.add(root);
            frames.push(Map.entry(root, edges.getOrDefault(root, Set.of()).iterator()));
            while (!frames.isEmpty()) {
                String v = frames.peek().getKey();
                java.util.Iterator<String> it = frames.peek().getValue();
                if (it.hasNext()) {
                    String w = it.next();
                    if (w.equals(v)) {
                        out.add(v);
                    }
                    if (!index.containsKey(w)) {
                        index.put(w, next);
                        low.put(w, next++);
                        stack.push(w);
                        onStack.add(w);
                        frames.push(Map.entry(w, edges.getOrDefault(w, Set.of()).iterator()));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                } else {
                    frames.pop();
                    if (!frames.isEmpty()) {
                        String parent = frames.peek().getKey();
                        low.put(parent, Math.min(low.get(parent), low.get(v)));
                    }
                    if (low.get(v).equals(index.get(v))) {
                        List<String> component = new ArrayList<>();
                        String w;
                        do {
                            w = stack.pop();
                            onStack.remove(w);
                            component.add(w);
                        } while (!w.equals(v));
                        if (component.size() > 1) {
                            out.addAll(component);
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Cascades around a cycle of two or more tables: with recursive_triggers off, a parent trigger
     * does not fire again for a row its own cascade reaches after going round the cycle.
     */
    static List<String> cycleWarnings(List<Resolved> fks) {
        Map<String, Set<String>> edges = new java.util.HashMap<>();
        Map<String, String> names = new java.util.HashMap<>();
        for (Resolved r : fks) {
            if (!r.selfReferencing() && r.declared().onDelete() == Action.CASCADE) {
                edges.computeIfAbsent(Schema.key(r.parent().name()), k -> new java.util.HashSet<>()).add(Schema.key(r.child().name()));
                names.put(Schema.key(r.parent().name()), r.parent().name());
                names.put(Schema.key(r.child().name()), r.child().name());
            }
        }
        Set<String> cyclic = onCycles(edges);
        if (cyclic.isEmpty()) {
            return List.of();
        }
        List<String> tables = cyclic.stream().map(names::get).sorted().toList();
        return List.of("tables " + String.join(", ", tables) + " lie on a cycle of ON DELETE CASCADE keys: a cascade that"
                + " goes round the cycle more than once continues only where recursive_triggers is ON");
    }
}
