package dev.fkguard;

import static dev.fkguard.SqlText.id;
import static dev.fkguard.SqlText.literal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the schema through {@link Database}'s connection: {@code sqlite_schema} and the table pragmas into the
 * {@link Schema} model (in four queries), the foreign-key graph, the rows a stamp digests, the schema's cheap stamp and
 * fkguard's installed triggers. Reads only; everything that writes, and the transactions, are {@link Database}'s.
 */
final class SchemaReader {
    private static final String NOT_INTERNAL = " m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            + " AND coalesce(m.sql, '') NOT LIKE 'CREATE VIRTUAL%'";

    private final Database db;
    private final Connection connection;
    private final String schema;

    SchemaReader(Database db, Connection connection, String schema) {
        this.db = db;
        this.connection = connection;
        this.schema = schema;
    }


    /**
     * Reads tables, columns, keys, indexes, foreign keys and triggers of the schema. Tables and
     * triggers come in creation order (sqlite_schema rowid): SQLite orders foreign key actions by the
     * first and fires triggers by the second. Rowid order is creation order because a new row of
     * sqlite_schema gets a rowid above every row present (max + 1), and it is firing order reversed
     * because SQLite loads the schema by scanning sqlite_schema in rowid order and puts each trigger at
     * the head of its table's list, as it also does on the connection that creates it ({@link UserTriggers}).
     */
    Schema readSchema() throws SQLException {
        return readSchema(null);
    }

    /**
     * As {@link #readSchema()}, but only the tables whose {@link Schema#key} is in {@code only}, and only the triggers
     * on them (all when null).
     */
    Schema readSchema(java.util.Set<String> only) throws SQLException {
        String spelled = requireSchemaExists();
        String master = db.master();
        String s = literal(schema);
        String tablesWhere = NOT_INTERNAL;
        // a table's tbl_name is its name: one test of the names first rejects most rows of sqlite_schema, which holds
        // every trigger (on 2,000 rows, SQLite 3.40: 1.1 ms with the names tested after the type, 0.5 ms so)
        String rowsWhere = only == null ? "(" + NOT_INTERNAL + ") OR m.type = 'trigger'"
                : "m.tbl_name COLLATE NOCASE IN (" + inList(only) + ") AND ((" + NOT_INTERNAL + ") OR m.type = 'trigger')";
        Map<String, String> tableSql = new LinkedHashMap<>();
        List<Schema.Trigger> triggers = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT m.type, m.name, m.tbl_name, m.sql FROM " + master
                     + " AS m WHERE " + rowsWhere + " ORDER BY m.rowid")) {
            while (rs.next()) {
                if (rs.getString(1).equals("table")) {
                    tableSql.put(rs.getString(2), rs.getString(4));
                } else {
                    triggers.add(new Schema.Trigger(rs.getString(2), rs.getString(3), SyncStamp.strip(rs.getString(4))));
                }
            }
        }
        if (only != null) {
            // the tables just found, by name: the queries below then call the pragmas for them without scanning
            // sqlite_schema again, which holds every trigger too (a scan per query was most of a scoped read)
            if (tableSql.isEmpty()) {
                return new Schema(spelled, List.of(), triggers);
            }
            List<String> values = new ArrayList<>();
            for (String name : tableSql.keySet()) {
                values.add("(" + literal(name) + ")");
            }
            master = "(SELECT column1 AS name FROM (VALUES " + String.join(", ", values) + "))";
            tablesWhere = " 1";
        }
        Map<String, List<Schema.Column>> columns = new LinkedHashMap<>();
        Map<String, SqlText.TableText> texts = new LinkedHashMap<>();
        for (var e : tableSql.entrySet()) {
            columns.put(e.getKey(), new ArrayList<>());
            texts.put(e.getKey(), SqlText.readCreateTable(e.getValue()));
        }
        // table_xinfo (3.26+) lists generated columns too: hidden 2 (virtual) and 3 (stored); hidden 1 is a
        // virtual table's hidden column, and virtual tables are left out anyway
        String columnsQuery = hasTableXinfo()
                ? "SELECT m.name, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk, c.hidden IN (2, 3) FROM " + master
                        + " AS m, pragma_table_xinfo(m.name, " + s + ") AS c WHERE" + tablesWhere + " AND c.hidden IN (0, 2, 3)"
                : "SELECT m.name, c.name, c.type, c.\"notnull\", c.dflt_value, c.pk, 0 FROM " + master
                        + " AS m, pragma_table_info(m.name, " + s + ") AS c WHERE" + tablesWhere;
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery(columnsQuery + " ORDER BY m.name, c.cid")) {
            while (rs.next()) {
                String table = rs.getString(1);
                String name = rs.getString(2);
                SqlText.TableText text = texts.get(table);
                String collation = text == null ? null : text.collations().get(Schema.key(name));
                columns.computeIfAbsent(table, k -> new ArrayList<>()).add(new Schema.Column(name,
                        rs.getString(3) == null ? "" : rs.getString(3), collation, rs.getString(5), rs.getInt(6),
                        rs.getInt(4) != 0, rs.getInt(7) != 0));
            }
        }
        Map<String, List<Schema.Key>> keys = new LinkedHashMap<>();
        Map<String, List<List<String>>> indexes = new LinkedHashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, ii.name, ii.coll"
                     + " FROM " + master + " AS m, pragma_index_list(m.name, " + s + ") AS il,"
                     + " pragma_index_xinfo(il.name, " + s + ") AS ii WHERE" + tablesWhere
                     + " AND ii.key = 1 ORDER BY m.name, il.name, ii.seqno")) {
            String currentTable = null;
            String currentIndex = null;
            List<String> cols = null;
            List<String> colls = null;
            boolean unique = false;
            boolean primary = false;
            boolean expression = false;
            while (true) {
                boolean more = rs.next();
                String table = more ? rs.getString(1) : null;
                String index = more ? rs.getString(2) : null;
                if (currentIndex != null && (!more || !index.equals(currentIndex) || !table.equals(currentTable))) {
                    indexes.computeIfAbsent(currentTable, k -> new ArrayList<>()).add(cols);
                    if (unique && !expression) {
                        keys.computeIfAbsent(currentTable, k -> new ArrayList<>())
                                .add(new Schema.Key(currentIndex, cols, colls, primary));
                    }
                    currentIndex = null;
                }
                if (!more) {
                    break;
                }
                if (currentIndex == null) {
                    currentTable = table;
                    currentIndex = index;
                    cols = new ArrayList<>();
                    colls = new ArrayList<>();
                    unique = rs.getInt(3) != 0 && rs.getInt(5) == 0;
                    primary = "pk".equals(rs.getString(4));
                    expression = false;
                }
                String col = rs.getString(6);
                if (col == null) {
                    expression = true;
                } else if (!expression) {
                    cols.add(col);
                    colls.add(rs.getString(7));
                }
            }
        }
        Map<String, List<Schema.ForeignKey>> fks = readForeignKeys(master, s, texts, tablesWhere);
        List<Schema.Table> tables = new ArrayList<>();
        for (var e : tableSql.entrySet()) {
            String t = e.getKey();
            tables.add(new Schema.Table(t, columns.getOrDefault(t, List.of()), texts.get(t).withoutRowid(),
                    keys.getOrDefault(t, List.of()), indexes.getOrDefault(t, List.of()), fks.getOrDefault(t, List.of()),
                    texts.get(t).replacesOnConflict()));
        }
        return new Schema(spelled, tables, triggers);
    }

    private Map<String, List<Schema.ForeignKey>> readForeignKeys(String master, String s,
                                                                  Map<String, SqlText.TableText> texts,
                                                                  String tablesWhere) throws SQLException {
        record Row(String table, int id, String parent, String from, String to, String onUpdate, String onDelete) {
        }
        Map<String, Map<Integer, List<Row>>> rows = new LinkedHashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete"
                     + " FROM " + master + " AS m, pragma_foreign_key_list(m.name, " + s + ") AS f WHERE" + tablesWhere
                     + " ORDER BY m.name, f.id DESC, f.seq")) {
            while (rs.next()) {
                Row r = new Row(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7));
                rows.computeIfAbsent(r.table(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, List<Schema.ForeignKey>> out = new LinkedHashMap<>();
        for (var byTable : rows.entrySet()) {
            List<Boolean> deferred = texts.containsKey(byTable.getKey())
                    ? texts.get(byTable.getKey()).deferredReferences() : List.of();
            List<Schema.ForeignKey> list = new ArrayList<>();
            int declared = 0;
            // ids count down from the last declared key, so descending id is declaration order
            for (List<Row> parts : byTable.getValue().values()) {
                Row first = parts.get(0);
                List<String> from = new ArrayList<>();
                List<String> to = new ArrayList<>();
                for (Row r : parts) {
                    from.add(r.from());
                    if (r.to() != null) {
                        to.add(r.to());
                    }
                }
                if (to.size() != from.size()) {
                    to.clear();
                }
                boolean isDeferred = declared < deferred.size() && deferred.get(declared);
                list.add(new Schema.ForeignKey(first.table(), from, first.parent(), to,
                        Schema.Action.parse(first.onDelete()), Schema.Action.parse(first.onUpdate()), isDeferred));
                declared++;
            }
            out.put(byTable.getKey(), list);
        }
        return out;
    }

    /** pragma_table_xinfo came with SQLite 3.26; generated columns (3.31) cannot exist without it. */
    private boolean hasTableXinfo() throws SQLException {
        return db.sqliteVersionNumber() >= 3_026_000;
    }

    /** The schema's name as SQLite spells it (as given to ATTACH), which is how its own messages name it. */
    private String requireSchemaExists() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM pragma_database_list WHERE name = " + literal(schema)
                     + " COLLATE NOCASE")) {
            if (!rs.next()) {
                throw new FkGuardException("no schema named '" + schema + "' on this connection"
                        + " (attached schemas: " + attachedSchemas() + ")");
            }
            return rs.getString(1);
        }
    }

    private String attachedSchemas() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM pragma_database_list ORDER BY seq")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return String.join(", ", names);
    }

    /** One row of {@code sqlite_schema}, as stored (a trigger's text with its {@link SyncStamp} if it carries one). */
    record SchemaRow(String type, String name, String table, String sql) {
    }

    /** Every row of the schema's {@code sqlite_schema} in creation (rowid) order, and the SQLite version. */
    record SchemaRows(String sqliteVersion, List<SchemaRow> rows) {
    }

    /** Reads every row of the schema's {@code sqlite_schema}, in one query. */
    SchemaRows schemaRows() throws SQLException {
        requireSchemaExists();
        List<SchemaRow> rows = new ArrayList<>();
        String version = null;
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT m.type, m.name, m.tbl_name, m.sql, sqlite_version() FROM "
                     + db.master() + " AS m ORDER BY m.rowid")) {
            while (rs.next()) {
                rows.add(new SchemaRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                version = rs.getString(5);
            }
        }
        if (version == null) {
            version = db.column("SELECT sqlite_version()").get(0);
        }
        return new SchemaRows(version, rows);
    }

    /**
     * SQL list of literals, lower-cased keys, for {@code x COLLATE NOCASE IN (...)}: NOCASE folds ASCII only, as
     * {@link Schema#key} does (lower() would too, unless ICU replaces it), and costs no function call per row of
     * sqlite_schema, which holds every trigger (a third of a scoped read's scan on SQLite 3.40).
     */
    private static String inList(java.util.Set<String> keys) {
        if (keys.isEmpty()) {
            return "NULL";
        }
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            out.add(literal(k));
        }
        return String.join(", ", out);
    }

    /** The foreign-key graph of the schema ({@link KeyGraph}): every table's keys read, in one query. */
    KeyGraph graph(Options options) throws SQLException {
        return KeyGraph.of(edges(options, null));
    }

    /**
     * {@code cached} with the tables of {@code reread} read again: for a migration that changed only those tables,
     * the graph the last one left is right for every other table, and reading it again would scan every table's keys.
     */
    KeyGraph graph(Options options, KeyGraph cached, Set<String> reread) throws SQLException {
        return cached.updated(reread, reread.isEmpty() ? List.of() : edges(options, reread));
    }

    /** Every table of {@code only} (all when null) with each of its foreign keys, without reading columns or indexes. */
    private List<KeyGraph.Edge> edges(Options options, Set<String> only) throws SQLException {
        // the names first, as in readSchema: they reject most rows
        String filter = only == null ? "" : " m.tbl_name COLLATE NOCASE IN (" + inList(only) + ") AND";
        List<KeyGraph.Edge> out = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT m.name, f.id, f.\"table\" FROM " + db.master() + " AS m"
                     + " LEFT JOIN pragma_foreign_key_list(m.name, " + literal(schema) + ") AS f WHERE" + filter + NOT_INTERNAL)) {
            while (rs.next()) {
                String child = rs.getString(1);
                String parent = rs.getString(3);
                boolean counted = parent != null && !options.excludes(child) && !options.excludes(parent);
                out.add(new KeyGraph.Edge(Schema.key(child), counted ? rs.getInt(2) : -1, counted ? Schema.key(parent) : null));
            }
        }
        return out;
    }

    /**
     * A cheap stamp of the schema: SQLite's schema cookie, which every CREATE, DROP and ALTER moves (from any
     * connection; fkguard's own writable_schema edit moves it too), and the highest sqlite_schema rowid. Reads no
     * row's text: summing the SQL's length, as it once did, read every trigger's text, 4.6 ms on a schema of 3,470
     * triggers against 0.01 ms.
     */
    List<Long> schemaStamp() throws SQLException {
        List<Long> out = new ArrayList<>();
        out.add(db.pragmaValue(db.prefix() + "schema_version"));
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(rowid) FROM " + db.master())) {
            rs.next();
            out.add(rs.getLong(1));
        }
        return out;
    }

    /**
     * The number of fkguard triggers in the schema (by {@link TriggerNames#isManaged}). The candidates' names come back
     * as one string, not a row each: handing a row to Java costs more than the scan, and SQL's own string functions
     * cost more still (SQLite 3.40 spends ~0.5 us per call and row; GLOB's character classes far more). A name with a
     * space, which can never be fkguard's, makes the pieces not add up: then row by row.
     */
    int managedTriggerCount() throws SQLException {
        String candidates = " FROM " + db.master() + " WHERE type = 'trigger' AND name LIKE 'fkguard\\_%' ESCAPE '\\'";
        try (Statement st = connection.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*), group_concat(name, ' ')" + candidates)) {
                rs.next();
                int rows = rs.getInt(1);
                String all = rs.getString(2);
                String[] names = all == null ? new String[0] : all.split(" ", -1);
                if (names.length == rows) {
                    int n = 0;
                    for (String name : names) {
                        n += TriggerNames.isManaged(name) ? 1 : 0;
                    }
                    return n;
                }
            }
            int n = 0;
            try (ResultSet rs = st.executeQuery("SELECT name" + candidates)) {
                while (rs.next()) {
                    n += TriggerNames.isManaged(rs.getString(1)) ? 1 : 0;
                }
            }
            return n;
        }
    }

    /** The table an index belongs to, or null when there is no such index. */
    String tableOfIndex(String index) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT tbl_name FROM " + db.master()
                     + " WHERE type = 'index' AND name COLLATE NOCASE = " + literal(Schema.key(index)))) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The table a trigger is on, or null when there is no such trigger. */
    String tableOfTrigger(String trigger) throws SQLException {
        List<String> on = db.column("SELECT tbl_name FROM " + db.master() + " WHERE type = 'trigger' AND name COLLATE NOCASE = "
                + literal(Schema.key(trigger)));
        return on.isEmpty() ? null : on.get(0);
    }

    /** fkguard's triggers in creation order: name, table, SQL text. */
    List<Schema.Trigger> managedTriggers() throws SQLException {
        List<Schema.Trigger> out = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, tbl_name, sql FROM " + db.master()
                     + " WHERE type = 'trigger' AND name LIKE 'fkguard\\_%' ESCAPE '\\' ORDER BY rowid")) {
            while (rs.next()) {
                if (TriggerNames.isManaged(rs.getString(1))) {
                    out.add(new Schema.Trigger(rs.getString(1), rs.getString(2), SyncStamp.strip(rs.getString(3))));
                }
            }
        }
        return out;
    }

    /** The text (without its stamp) of each trigger of {@code names} that exists, by name as stored. */
    Map<String, String> triggerTexts(java.util.Collection<String> names) throws SQLException {
        Map<String, String> out = new java.util.HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        List<String> literals = new ArrayList<>();
        for (String n : names) {
            literals.add(literal(n));
        }
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT name, sql FROM " + db.master() + " WHERE type = 'trigger' AND name IN ("
                     + String.join(", ", literals) + ")")) {
            while (rs.next()) {
                out.put(rs.getString(1), SyncStamp.strip(rs.getString(2)));
            }
        }
        return out;
    }

    /** The stored {@code CREATE TABLE} text of an ordinary table, or null when there is no such table. */
    String tableSql(String table) throws SQLException {
        try (java.sql.PreparedStatement ps = connection.prepareStatement("SELECT sql FROM " + db.master()
                + " WHERE type = 'table' AND name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
