package dev.fkguard;

import dev.fkguard.Schema.Action;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hand-built schemas for planner tests: no database involved. */
final class Schemas {
    private Schemas() {
    }

    static final class TableBuilder {
        final String name;
        final List<Schema.Column> columns = new ArrayList<>();
        final List<Schema.Key> keys = new ArrayList<>();
        final List<List<String>> indexes = new ArrayList<>();
        final List<Schema.ForeignKey> fks = new ArrayList<>();
        boolean withoutRowid;

        TableBuilder(String name) {
            this.name = name;
        }

        /** INTEGER PRIMARY KEY, the rowid alias. */
        TableBuilder id(String column) {
            columns.add(new Schema.Column(column, "INTEGER", null, null, 1, false));
            return this;
        }

        TableBuilder col(String column, String type) {
            columns.add(new Schema.Column(column, type, null, null, 0, false));
            return this;
        }

        TableBuilder col(String column, String type, String collation, String dflt) {
            columns.add(new Schema.Column(column, type, collation, dflt, 0, false));
            return this;
        }

        TableBuilder unique(String... cols) {
            List<String> colls = new ArrayList<>();
            for (String c : cols) {
                colls.add(columns.stream().filter(x -> x.name().equals(c)).findFirst().orElseThrow().collationOrBinary());
            }
            keys.add(new Schema.Key("autoindex_" + name + "_" + keys.size(), Arrays.asList(cols), colls, false));
            indexes.add(Arrays.asList(cols));
            return this;
        }

        TableBuilder index(String... cols) {
            indexes.add(Arrays.asList(cols));
            return this;
        }

        TableBuilder fk(List<String> from, String parent, List<String> to, Action onDelete, Action onUpdate) {
            fks.add(new Schema.ForeignKey(name, from, parent, to, onDelete, onUpdate, false));
            return this;
        }

        TableBuilder fk(String from, String parent, String to, Action onDelete, Action onUpdate) {
            return fk(List.of(from), parent, to == null ? List.of() : List.of(to), onDelete, onUpdate);
        }

        TableBuilder deferredFk(String from, String parent, String to) {
            fks.add(new Schema.ForeignKey(name, List.of(from), parent, List.of(to), Action.NO_ACTION, Action.NO_ACTION, true));
            return this;
        }

        Schema.Table build() {
            return new Schema.Table(name, columns, withoutRowid, keys, indexes, fks);
        }
    }

    static TableBuilder table(String name) {
        return new TableBuilder(name);
    }

    static Schema schema(TableBuilder... tables) {
        return schema(List.of(), tables);
    }

    static Schema schema(List<Schema.Trigger> triggers, TableBuilder... tables) {
        return new Schema("main", Arrays.stream(tables).map(TableBuilder::build).toList(), triggers);
    }

    /** artist <- album (CASCADE on delete), album indexed: the smallest useful schema. */
    static Schema music() {
        return schema(
                table("artist").id("id").col("name", "TEXT"),
                table("album").id("id").col("artist_id", "INTEGER").index("artist_id")
                        .fk("artist_id", "artist", "id", Action.CASCADE, Action.NO_ACTION));
    }
}
