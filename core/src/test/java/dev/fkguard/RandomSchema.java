package dev.fkguard;

import static dev.fkguard.SqlText.id;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The random part of one {@link Differential} seed: the schema (tables with odd names, keys of every action, some
 * composite, collated, self-referencing or forward; one schema in {@value Differential#BROKEN_KEY_RATE} with a broken
 * declaration), rows to seed it with and statements to run on it. One {@link Random} of the seed drives all of it, in
 * the order the oracle asks, so a seed always gives the same schema and workload.
 */
final class RandomSchema {
    private static final String[] TABLE_NAMES = {"parent", "child table", "Order", "select", "quo\"te", "tåble",
        "列表", "it's", "group by", "Ünïcode"};
    private static final String[] COLUMN_NAMES = {"key", "ref", "value", "naïve col", "\"x\"", "from", "col 2",
        "wert", "ключ", "sp ace"};
    static final String[] VALUES = {"1", "2", "3", "'1'", "'2'", "'a'", "'A'", "'b'", "NULL", "2.0", "x'01'"};
    private static final String[] TYPES = {"INTEGER", "TEXT", "", "NUMERIC", "REAL", "BLOB", "VARCHAR(10)"};
    private static final Schema.Action[] ACTIONS = Schema.Action.values();

    final Random rnd;
    private final long seed;
    private final Map<String, String> columnTypes = new LinkedHashMap<>();
    boolean alignedTypes;
    /** The table that declares the broken key (natively every write to it fails, so it stays empty), or null. */
    String brokenChild;
    /** The parent table of a mismatched broken key (not of a missing one), or null. */
    String brokenParent;
    final List<TableSpec> tables = new ArrayList<>();
    /** The CREATE statements, in order (the oracle adds the user triggers' audit table). */
    final List<String> ddl = new ArrayList<>();

    RandomSchema(long seed) {
        this.seed = seed;
        this.rnd = new Random(seed);
    }

    /** A table of the generated schema: enough to write random statements against it. */
    static final class TableSpec {
        String name;
        List<String> columns = new ArrayList<>();
        List<String> keyColumns = new ArrayList<>();
        boolean ipk;
        boolean withoutRowid;
        boolean isParent;
        /** The foreign keys this table declares (not the broken one), for the user triggers that follow them. */
        List<RandomUserTriggers.Key> keys = new ArrayList<>();
    }


    // ------------------------------------------------------------------ schema

    private String type(String table, String column) {
        String t = TYPES[rnd.nextInt(TYPES.length)];
        columnTypes.put(table + "." + column, t);
        return t;
    }

    void generateSchema(boolean withBrokenKey) {
        alignedTypes = rnd.nextBoolean();
        int n = 2 + rnd.nextInt(3);
        List<String> names = new ArrayList<>(List.of(TABLE_NAMES));
        java.util.Collections.shuffle(names, rnd);
        for (int i = 0; i < n; i++) {
            TableSpec t = new TableSpec();
            t.name = names.get(i);
            tables.add(t);
        }
        // decide keys first, so that foreign keys (also forward ones: cycles) can point at them
        List<List<String>> defs = new ArrayList<>();
        List<List<String>> constraints = new ArrayList<>();
        for (TableSpec t : tables) {
            List<String> cols = new ArrayList<>(List.of(COLUMN_NAMES));
            java.util.Collections.shuffle(cols, rnd);
            List<String> def = new ArrayList<>();
            List<String> cons = new ArrayList<>();
            int kind = rnd.nextInt(4);
            if (kind == 0) {
                t.ipk = true;
                t.keyColumns.add(cols.remove(0));
                def.add(id(t.keyColumns.get(0)) + " INTEGER PRIMARY KEY");
            } else if (kind == 1) {
                String k = cols.remove(0);
                t.keyColumns.add(k);
                def.add(id(k) + " " + type(t.name, k) + collation() + " PRIMARY KEY");
            } else {
                String a = cols.remove(0);
                String b = cols.remove(0);
                t.keyColumns.add(a);
                t.keyColumns.add(b);
                def.add(id(a) + " " + type(t.name, a) + collation() + (kind == 3 ? " NOT NULL" : ""));
                def.add(id(b) + " " + type(t.name, b) + collation() + (kind == 3 ? " NOT NULL" : ""));
                cons.add("PRIMARY KEY (" + id(a) + ", " + id(b) + ")");
                t.withoutRowid = kind == 3;
            }
            t.columns.addAll(t.keyColumns);
            // a unique column some keys point at instead of the primary key
            String u = cols.remove(0);
            def.add(id(u) + " " + type(t.name, u) + collation() + " UNIQUE");
            t.columns.add(u);
            defs.add(def);
            constraints.add(cons);
            uniqueOf.put(t.name, u);
            pool.put(t.name, cols);
        }
        for (int i = 0; i < tables.size(); i++) {
            TableSpec child = tables.get(i);
            int fks = 1 + rnd.nextInt(2);
            for (int f = 0; f < fks; f++) {
                TableSpec parent = pickParent(i);
                parent.isParent = true;
                List<String> target;
                boolean implied = false;
                if (rnd.nextInt(3) == 0) {
                    target = List.of(uniqueOf.get(parent.name));
                } else {
                    target = parent.keyColumns;
                    implied = rnd.nextBoolean();
                }
                List<String> from = new ArrayList<>();
                List<String> cols = pool.get(child.name);
                if (cols.size() < target.size()) {
                    continue;
                }
                Schema.Action onDelete = ACTIONS[rnd.nextInt(ACTIONS.length)];
                Schema.Action onUpdate = ACTIONS[rnd.nextInt(ACTIONS.length)];
                for (String targetColumn : target) {
                    String c = cols.remove(0);
                    String parentType = t0(parent, targetColumn);
                    from.add(c);
                    String dflt = onDelete == Schema.Action.SET_DEFAULT || onUpdate == Schema.Action.SET_DEFAULT
                            ? " DEFAULT " + VALUES[rnd.nextInt(VALUES.length)] : "";
                    defs.get(i).add(id(c) + " " + (alignedTypes && parentType != null ? parentType : type(child.name, c)) + collation() + dflt);
                    child.columns.add(c);
                }
                constraints.get(i).add("FOREIGN KEY (" + join(from) + ") REFERENCES " + id(parent.name)
                        + (implied ? "" : " (" + join(target) + ")") + " ON DELETE " + onDelete.sql + " ON UPDATE " + onUpdate.sql);
                child.keys.add(new RandomUserTriggers.Key(child.name, from, parent.name, target));
            }
            if (rnd.nextBoolean() && !pool.get(child.name).isEmpty()) {
                String plain = pool.get(child.name).remove(0);
                defs.get(i).add(id(plain) + " " + TYPES[rnd.nextInt(TYPES.length)]);
                child.columns.add(plain);
            }
        }
        // a separate stream, so that the schemas without a broken key stay those of the seed
        Random broken = new Random(seed * 0x9E3779B97F4A7C15L + 11);
        String userTrigger = withBrokenKey && broken.nextInt(Differential.BROKEN_KEY_RATE) == 0 ? addBrokenKey(broken, defs, constraints) : null;
        for (int i = 0; i < tables.size(); i++) {
            TableSpec t = tables.get(i);
            List<String> all = new ArrayList<>(defs.get(i));
            all.addAll(constraints.get(i));
            ddl.add("CREATE TABLE " + id(t.name) + " (" + String.join(", ", all) + ")" + (t.withoutRowid ? " WITHOUT ROWID" : ""));
        }
        if (userTrigger != null) {
            ddl.add(userTrigger);
        }
        for (TableSpec t : tables) {
            for (String c : t.columns) {
                if (rnd.nextInt(3) == 0 && !t.keyColumns.contains(c)) {
                    ddl.add("CREATE INDEX " + id("ix " + t.name + " " + c) + " ON " + id(t.name) + " (" + id(c) + ")");
                }
            }
        }
    }

    /**
     * Declares one broken foreign key (cases B.1 to B.6 of {@link BrokenKeyTriggers}) on a random table, from the
     * {@code broken} stream: a missing parent table, a parent column that is not unique, a missing parent column, or an
     * implied key with the wrong number of columns; sometimes deferred, sometimes with an INSERT trigger of the user's on
     * a mismatched parent (both make every INSERT into that parent fail natively). Returns that trigger's DDL, or null.
     */
    private String addBrokenKey(Random broken, List<List<String>> defs, List<List<String>> constraints) {
        int ci = broken.nextInt(tables.size());
        TableSpec child = tables.get(ci);
        TableSpec parent = tables.get(broken.nextInt(tables.size()));
        int kind = broken.nextInt(4);
        String parentName = parent.name;
        String target;
        int width = 1;
        List<String> notUnique = new ArrayList<>(parent.columns);
        notUnique.remove(uniqueOf.get(parent.name));
        if (parent.keyColumns.size() == 1) {
            notUnique.remove(parent.keyColumns.get(0));
        }
        if (kind == 1 && notUnique.isEmpty()) {
            kind = 2;
        }
        if (kind == 0) {
            parentName = "gone " + parent.name;
            target = broken.nextBoolean() ? "" : " (" + id("key") + ")";
        } else if (kind == 1) {
            target = " (" + id(notUnique.get(broken.nextInt(notUnique.size()))) + ")";
        } else if (kind == 2) {
            target = " (" + id("no such column") + ")";
        } else {
            target = "";
            width = parent.keyColumns.size() == 1 ? 2 : 1;
        }
        List<String> cols = pool.get(child.name);
        if (cols.size() < width) {
            return null;
        }
        List<String> from = new ArrayList<>();
        for (int k = 0; k < width; k++) {
            String c = cols.remove(0);
            from.add(c);
            defs.get(ci).add(id(c) + " " + TYPES[broken.nextInt(TYPES.length)]);
            child.columns.add(c);
        }
        constraints.get(ci).add("FOREIGN KEY (" + join(from) + ") REFERENCES " + id(parentName) + target
                + " ON DELETE " + ACTIONS[broken.nextInt(ACTIONS.length)].sql + " ON UPDATE " + ACTIONS[broken.nextInt(ACTIONS.length)].sql
                + (broken.nextInt(4) == 0 ? " DEFERRABLE INITIALLY DEFERRED" : ""));
        brokenChild = child.name;
        brokenParent = kind == 0 ? null : parent.name;
        if (kind != 0 && broken.nextInt(4) == 0) {
            return "CREATE TRIGGER " + id("user's insert log") + " AFTER INSERT ON " + id(parent.name) + " BEGIN SELECT 1; END";
        }
        return null;
    }

    private String t0(TableSpec table, String column) {
        String t = columnTypes.get(table.name + "." + column);
        return t == null && table.ipk ? "INTEGER" : t;
    }

    private final Map<String, String> uniqueOf = new LinkedHashMap<>();
    private final Map<String, List<String>> pool = new LinkedHashMap<>();

    private TableSpec pickParent(int childIndex) {
        int r = rnd.nextInt(10);
        if (r < 3) {
            return tables.get(childIndex); // self reference
        }
        if (r < 5 || childIndex == 0) {
            return tables.get(rnd.nextInt(tables.size())); // anything, forward references make cycles
        }
        return tables.get(rnd.nextInt(childIndex));
    }

    private String collation() {
        int r = rnd.nextInt(6);
        return r == 0 ? " COLLATE NOCASE" : r == 1 ? " COLLATE RTRIM" : "";
    }

    static String join(List<String> cols) {
        List<String> q = new ArrayList<>();
        for (String c : cols) {
            q.add(id(c));
        }
        return String.join(", ", q);
    }

    // ------------------------------------------------------------------ statements

    private String value() {
        return VALUES[rnd.nextInt(VALUES.length)];
    }

    String randomInsert(TableSpec t, String verb) {
        List<String> cols = new ArrayList<>();
        List<String> vals = new ArrayList<>();
        for (String c : t.columns) {
            if (rnd.nextInt(5) != 0 || t.keyColumns.contains(c)) {
                cols.add(id(c));
                vals.add(value());
            }
        }
        return verb + " INTO " + id(t.name) + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", vals) + ")";
    }

    private String where(TableSpec t) {
        int r = rnd.nextInt(6);
        if (r == 0) {
            return "";
        }
        List<String> terms = new ArrayList<>();
        if (r < 4) {
            for (String k : t.keyColumns) {
                terms.add(id(k) + " = " + value());
            }
        } else {
            String c = t.columns.get(rnd.nextInt(t.columns.size()));
            terms.add(id(c) + (rnd.nextBoolean() ? " = " + value() : " IS NOT NULL"));
        }
        return " WHERE " + String.join(" AND ", terms);
    }

    String randomStatement() {
        TableSpec t = tables.get(rnd.nextInt(tables.size()));
        int r = rnd.nextInt(12);
        if (r < 3) {
            return randomInsert(t, "INSERT");
        }
        if (r == 3) {
            return randomInsert(t, "INSERT OR REPLACE");
        }
        if (r == 4) {
            return randomInsert(t, "INSERT OR IGNORE");
        }
        if (r == 5) {
            String c = t.columns.get(rnd.nextInt(t.columns.size()));
            return randomInsert(t, "INSERT") + " ON CONFLICT (" + join(t.keyColumns) + ") DO UPDATE SET " + id(c)
                    + " = " + (rnd.nextBoolean() ? "excluded." + id(c) : value());
        }
        if (r < 10) {
            String c = t.columns.get(rnd.nextInt(t.columns.size()));
            String set = id(c) + " = " + value();
            if (rnd.nextInt(3) == 0) {
                String d = t.columns.get(rnd.nextInt(t.columns.size()));
                if (!d.equals(c)) {
                    set += ", " + id(d) + " = " + value();
                }
            }
            return "UPDATE " + id(t.name) + " SET " + set + where(t);
        }
        return "DELETE FROM " + id(t.name) + where(t);
    }

    /** The CREATE TABLE / CREATE INDEX statements of the random schema of this seed, for other tests. */
    static List<String> schemaDdl(long seed) {
        RandomSchema d = new RandomSchema(seed);
        d.generateSchema(false);
        return List.copyOf(d.ddl);
    }

    /** The table names of the random schema of this seed. */
    static List<String> schemaTables(long seed) {
        RandomSchema d = new RandomSchema(seed);
        d.generateSchema(false);
        return d.tables.stream().map(t -> t.name).toList();
    }
}
