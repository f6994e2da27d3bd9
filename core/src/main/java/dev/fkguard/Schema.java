package dev.fkguard;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashMap;

/**
 * One SQLite schema as fkguard sees it: tables with their columns, unique keys, indexes and
 * declared foreign keys, plus the triggers already present. Plain records, read by {@link Database}
 * and consumed by {@link TriggerPlanner}; tests build them by hand.
 */
record Schema(String name, List<Table> tables, List<Trigger> triggers, Map<String, Table> index) {

    Schema(String name, List<Table> tables, List<Trigger> triggers) {
        this(name, tables, triggers, null);
    }

    Schema {
        tables = List.copyOf(tables);
        triggers = List.copyOf(triggers);
        Map<String, Table> byKey = new HashMap<>();
        for (Table t : tables) {
            byKey.putIfAbsent(key(t.name()), t);
        }
        index = Map.copyOf(byKey);
    }

    /** The same schema with these foreign key declarations left out: what a partial sync plans for. */
    Schema withoutForeignKeys(java.util.Collection<ForeignKey> left) {
        if (left.isEmpty()) {
            return this;
        }
        List<Table> kept = new java.util.ArrayList<>();
        for (Table t : tables) {
            kept.add(new Table(t.name(), t.columns(), t.withoutRowid(), t.keys(), t.indexes(),
                    t.foreignKeys().stream().filter(fk -> !left.contains(fk)).toList()));
        }
        return new Schema(name, kept, triggers);
    }

    /** Looks a table up the way SQLite does: case-insensitively for ASCII letters only. */
    Optional<Table> table(String tableName) {
        return Optional.ofNullable(index.get(key(tableName)));
    }

    /** Two identifiers name the same thing for SQLite: equal after folding ASCII letters (and nothing else). */
    static boolean same(String a, String b) {
        int n = a.length();
        if (n != b.length()) {
            return false;
        }
        // key(a).equals(key(b)) without building either: this runs for every token of every trigger and table read
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && fold(x) != fold(y)) {
                return false;
            }
        }
        return true;
    }

    private static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** SQLite folds the case of ASCII letters only when it compares identifiers. */
    static String key(String identifier) {
        StringBuilder sb = null;
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (sb == null) {
                    sb = new StringBuilder(identifier);
                }
                sb.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return sb == null ? identifier : sb.toString();
    }

    /** SQLite's column affinity, from the declared type (datatype3.html, section 3.1). */
    enum Affinity {
        INTEGER, TEXT, BLOB, REAL, NUMERIC;

        static Affinity of(String declaredType) {
            // ASCII folding only, as sqlite3AffinityType: a dotless i does not make "INT"
            String t = declaredType == null ? "" : key(declaredType);
            if (t.contains("int")) {
                return INTEGER;
            }
            if (t.contains("char") || t.contains("clob") || t.contains("text")) {
                return TEXT;
            }
            if (t.isEmpty() || t.contains("blob")) {
                return BLOB;
            }
            if (t.contains("real") || t.contains("floa") || t.contains("doub")) {
                return REAL;
            }
            return NUMERIC;
        }
    }

    /**
     * @param collation  declared collation, or null for BINARY
     * @param defaultSql the DEFAULT expression as written, or null
     * @param pk         1-based position in the PRIMARY KEY, 0 when not part of it
     * @param generated  GENERATED ALWAYS AS (virtual or stored): its value changes with other columns
     */
    record Column(String name, String type, String collation, String defaultSql, int pk, boolean notNull,
                  boolean generated) {
        Column(String name, String type, String collation, String defaultSql, int pk, boolean notNull) {
            this(name, type, collation, defaultSql, pk, notNull, false);
        }

        Affinity affinity() {
            return Affinity.of(type);
        }

        String collationOrBinary() {
            return collation == null ? "BINARY" : collation;
        }
    }

    /** A PRIMARY KEY or a UNIQUE index without WHERE clause: something a foreign key may point at. */
    record Key(String indexName, List<String> columns, List<String> collations, boolean primary) {
        Key {
            columns = List.copyOf(columns);
            collations = List.copyOf(collations);
        }
    }

    /** ON DELETE / ON UPDATE actions, as {@code pragma_foreign_key_list} spells them. */
    enum Action {
        NO_ACTION("NO ACTION"), RESTRICT("RESTRICT"), CASCADE("CASCADE"), SET_NULL("SET NULL"), SET_DEFAULT("SET DEFAULT");

        final String sql;

        Action(String sql) {
            this.sql = sql;
        }

        static Action parse(String text) {
            for (Action a : values()) {
                if (same(a.sql, text == null ? "NO ACTION" : text.trim())) {
                    return a;
                }
            }
            return NO_ACTION;
        }

        /** Actions that write to the child table when the parent row goes or changes. */
        boolean writes() {
            return this == CASCADE || this == SET_NULL || this == SET_DEFAULT;
        }
    }

    /**
     * A foreign key as declared.
     *
     * @param table        the child table
     * @param from         child columns, in declaration order
     * @param parent       the parent table as written in the REFERENCES clause
     * @param to           parent columns as written; empty when the parent key is implied (the parent's PRIMARY KEY)
     * @param deferred     declared DEFERRABLE INITIALLY DEFERRED
     */
    record ForeignKey(String table, List<String> from, String parent, List<String> to,
                      Action onDelete, Action onUpdate, boolean deferred) {
        ForeignKey {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }

        /** {@code Track(AlbumId) -> Album(AlbumId)}; the parent columns are left out when implied. */
        String describe() {
            return table + "(" + String.join(", ", from) + ") -> " + parent
                    + (to.isEmpty() ? "" : "(" + String.join(", ", to) + ")");
        }
    }

    /**
     * @param withoutRowid declared WITHOUT ROWID
     * @param keys         the PRIMARY KEY (when backed by an index) and every UNIQUE, non-partial index
     * @param indexes      leading key columns of every index (expression columns cut the list short)
     * @param replacesOnConflict a PRIMARY KEY or UNIQUE constraint says ON CONFLICT REPLACE
     */
    record Table(String name, List<Column> columns, boolean withoutRowid, List<Key> keys,
                 List<List<String>> indexes, List<ForeignKey> foreignKeys, boolean replacesOnConflict) {
        Table(String name, List<Column> columns, boolean withoutRowid, List<Key> keys, List<List<String>> indexes,
              List<ForeignKey> foreignKeys) {
            this(name, columns, withoutRowid, keys, indexes, foreignKeys, false);
        }

        Table {
            columns = List.copyOf(columns);
            keys = List.copyOf(keys);
            indexes = List.copyOf(indexes);
            foreignKeys = List.copyOf(foreignKeys);
        }

        Optional<Column> column(String columnName) {
            for (Column c : columns) {
                if (same(c.name(), columnName)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }

        /** The PRIMARY KEY's columns in key order (a loop, not a stream: the planner asks for it per key and trigger). */
        List<Column> primaryKey() {
            List<Column> pk = new java.util.ArrayList<>(1);
            for (Column c : columns) {
                if (c.pk() > 0) {
                    pk.add(c);
                }
            }
            if (pk.size() > 1) {
                pk.sort(java.util.Comparator.comparingInt(Column::pk));
            }
            return List.copyOf(pk);
        }

        /** The INTEGER PRIMARY KEY column that aliases the rowid, if there is one. */
        Optional<Column> rowidAlias() {
            List<Column> pk = primaryKey();
            if (withoutRowid || pk.size() != 1 || !same("INTEGER", pk.get(0).type().trim())) {
                return Optional.empty();
            }
            return Optional.of(pk.get(0));
        }

        /** A name for the rowid that no column shadows ({@code rowid}, {@code _rowid_} or {@code oid}), or null. */
        String rowidName() {
            if (withoutRowid) {
                return null;
            }
            for (String n : List.of("rowid", "_rowid_", "oid")) {
                if (column(n).isEmpty()) {
                    return n;
                }
            }
            return null;
        }
    }

    /** A trigger already in the schema: {@code sql} is the text stored in {@code sqlite_schema}. */
    record Trigger(String name, String table, String sql) {
    }
}
