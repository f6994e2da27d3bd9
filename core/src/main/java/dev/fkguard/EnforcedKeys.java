package dev.fkguard;

import dev.fkguard.MigrationGuard.Key;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The keys that fkguard's triggers enforce, found by either of their tables: what a migration carries to the next
 * one on its connection ({@link MigrationGuard}). A migration asks only about the tables it touched, so looking up,
 * renaming and replacing keys costs what those tables have, not a pass over every key of the schema. Changed in
 * place; one owner at a time.
 */
final class EnforcedKeys {
    private final Set<Key> all = new HashSet<>();
    /** Every key under its child and under its parent (once for a self reference). */
    private final Map<String, Set<Key>> byTable = new HashMap<>();

    EnforcedKeys(Collection<Key> keys) {
        keys.forEach(this::add);
    }

    boolean contains(Key key) {
        return all.contains(key);
    }

    int size() {
        return all.size();
    }

    /** The keys whose child or parent is {@code table} (as {@link Schema#key}). */
    Set<Key> touching(String table) {
        return java.util.Collections.unmodifiableSet(byTable.getOrDefault(table, Set.of()));
    }

    /** Forgets every key whose child or parent is one of {@code tables}. */
    void removeTouching(Set<String> tables) {
        for (String t : tables) {
            for (Key k : List.copyOf(touching(t))) {
                remove(k);
            }
        }
    }

    void addAll(Collection<Key> keys) {
        keys.forEach(this::add);
    }

    /** The keys of table {@code from}, on either end, now name it {@code to}. */
    void renameTable(String from, String to) {
        replace(from, k -> new Key(k.child().equals(from) ? to : k.child(), k.from(),
                k.parent().equals(from) ? to : k.parent(), k.to(), k.actions()));
    }

    /** Column {@code from} of {@code table} is now {@code to}, in the keys of that table on either end. */
    void renameColumn(String table, String from, String to) {
        replace(table, k -> new Key(k.child(), k.child().equals(table) ? renamed(k.from(), from, to) : k.from(),
                k.parent(), k.parent().equals(table) ? renamed(k.to(), from, to) : k.to(), k.actions()));
    }

    private void replace(String table, java.util.function.UnaryOperator<Key> change) {
        List<Key> old = List.copyOf(touching(table));
        List<Key> changed = new ArrayList<>();
        for (Key k : old) {
            remove(k);
            changed.add(change.apply(k));
        }
        addAll(changed);
    }

    private static List<String> renamed(List<String> columns, String from, String to) {
        return columns.stream().map(c -> c.equals(from) ? to : c).toList();
    }

    private void add(Key k) {
        if (all.add(k)) {
            byTable.computeIfAbsent(k.child(), t -> new HashSet<>()).add(k);
            byTable.computeIfAbsent(k.parent(), t -> new HashSet<>()).add(k);
        }
    }

    private void remove(Key k) {
        if (all.remove(k)) {
            for (String t : List.of(k.child(), k.parent())) {
                Set<Key> of = byTable.get(t);
                if (of != null) {
                    of.remove(k);
                    if (of.isEmpty()) {
                        byTable.remove(t);
                    }
                }
            }
        }
    }
}
