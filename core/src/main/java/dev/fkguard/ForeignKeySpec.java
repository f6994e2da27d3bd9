package dev.fkguard;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A foreign key to add to an existing table, or the one to drop.
 *
 * <p>To add: {@code ForeignKeySpec.of("track", List.of("album_id"), "album", List.of("id")).withName("fk_track_album")
 * .withOnDelete("CASCADE")}. An empty {@code parentColumns} means the parent's PRIMARY KEY, as in SQLite.
 *
 * <p>To drop: {@link #named(String, String)} picks the key by its constraint name; a spec made by {@link #of} picks
 * it by its child columns (and, when given, its parent table and columns).
 *
 * @param table         the child table (the one that gets or loses the key)
 * @param columns       the child columns, in key order; empty only when dropping by name
 * @param parent        the parent table, or null when dropping by name
 * @param parentColumns the parent key columns; empty for the parent's PRIMARY KEY
 * @param onDelete      {@code NO ACTION} (the default), {@code RESTRICT}, {@code CASCADE}, {@code SET NULL} or {@code SET DEFAULT}
 * @param onUpdate      the same choices, for ON UPDATE
 * @param name          the constraint name ({@code CONSTRAINT name}), or null for an unnamed key
 */
public record ForeignKeySpec(String table, List<String> columns, String parent, List<String> parentColumns,
                             String onDelete, String onUpdate, String name) {

    private static final List<String> ACTIONS = List.of("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT");

    public ForeignKeySpec {
        Objects.requireNonNull(table, "table");
        if (table.isBlank()) {
            throw new IllegalArgumentException("the child table name must not be blank");
        }
        columns = columns == null ? List.of() : List.copyOf(columns);
        parentColumns = parentColumns == null ? List.of() : List.copyOf(parentColumns);
        onDelete = action("ON DELETE", onDelete);
        onUpdate = action("ON UPDATE", onUpdate);
        if (name != null && name.isBlank()) {
            name = null;
        }
        for (String c : columns) {
            if (c == null || c.isBlank()) {
                throw new IllegalArgumentException("a column name of " + table + "'s foreign key is blank");
            }
        }
    }

    /** A key from {@code table(columns)} to {@code parent(parentColumns)}, NO ACTION both ways, unnamed. */
    public static ForeignKeySpec of(String table, List<String> columns, String parent, List<String> parentColumns) {
        return new ForeignKeySpec(table, columns, parent, parentColumns, null, null, null);
    }

    /** The key named {@code name} on {@code table}: what {@link FkGuard#dropForeignKey} removes. */
    public static ForeignKeySpec named(String table, String name) {
        return new ForeignKeySpec(table, List.of(), null, List.of(), null, null, Objects.requireNonNull(name, "name"));
    }

    public ForeignKeySpec withName(String constraintName) {
        return new ForeignKeySpec(table, columns, parent, parentColumns, onDelete, onUpdate, constraintName);
    }

    public ForeignKeySpec withOnDelete(String action) {
        return new ForeignKeySpec(table, columns, parent, parentColumns, action, onUpdate, name);
    }

    public ForeignKeySpec withOnUpdate(String action) {
        return new ForeignKeySpec(table, columns, parent, parentColumns, onDelete, action, name);
    }

    /** {@code track(album_id) -> album(id)}, or {@code fk_track_album on track} when only the name is known. */
    public String describe() {
        if (parent == null) {
            return (name == null ? "foreign key" : name) + " on " + table;
        }
        return (name == null ? "" : name + " ") + table + "(" + String.join(", ", columns) + ") -> " + parent
                + (parentColumns.isEmpty() ? "" : "(" + String.join(", ", parentColumns) + ")");
    }

    private static String action(String clause, String text) {
        if (text == null || text.isBlank()) {
            return "NO ACTION";
        }
        String normal = text.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        if (!ACTIONS.contains(normal)) {
            throw new IllegalArgumentException(clause + " must be one of " + String.join(", ", ACTIONS) + ", not '" + text + "'");
        }
        return normal;
    }
}
