package dev.fkguard;

import static dev.fkguard.TriggerPlanner.names;

import dev.fkguard.Schema.Column;
import dev.fkguard.Schema.ForeignKey;
import dev.fkguard.Schema.Table;
import dev.fkguard.TriggerPlanner.Resolved;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * From a declared foreign key to a {@link TriggerPlanner.Resolved} one: its tables and columns exist
 * and the parent key is unique. Anything else is a schema problem, named with its table and columns,
 * that the sync refuses or (with {@link Options.BrokenKeys#ENFORCE}) hands to {@link BrokenKeyTriggers}
 * (cases B.* of the table in {@link TriggerPlanner}).
 */
final class KeyResolver {
    private KeyResolver() {
    }

    static Optional<Resolved> resolve(Schema schema, Table child, ForeignKey fk, List<Report.Problem> problems) {
        Optional<Table> parentTable = schema.table(fk.parent());
        if (parentTable.isEmpty()) {
            problems.add(schemaProblem(fk, "parent table " + fk.parent() + " does not exist"
                    + " (SQLite refuses every write to " + fk.table() + " with 'no such table')"));
            return Optional.empty();
        }
        Table parent = parentTable.get();
        List<Column> from = new ArrayList<>();
        for (String c : fk.from()) {
            Optional<Column> col = child.column(c);
            if (col.isEmpty()) {
                problems.add(schemaProblem(fk, "child column " + fk.table() + "." + c + " does not exist"));
                return Optional.empty();
            }
            from.add(col.get());
        }
        List<Column> to = new ArrayList<>();
        if (fk.to().isEmpty()) {
            to.addAll(parent.primaryKey());
            if (to.isEmpty()) {
                problems.add(schemaProblem(fk, "the parent key is implied but " + parent.name()
                        + " has no PRIMARY KEY (SQLite reports 'foreign key mismatch')"));
                return Optional.empty();
            }
        } else {
            for (String c : fk.to()) {
                Optional<Column> col = parent.column(c);
                if (col.isEmpty()) {
                    problems.add(schemaProblem(fk, "parent column " + parent.name() + "." + c + " does not exist"
                            + " (SQLite reports 'foreign key mismatch')"));
                    return Optional.empty();
                }
                to.add(col.get());
            }
        }
        if (to.size() != from.size()) {
            problems.add(schemaProblem(fk, fk.from().size() + " child column(s) but the parent key "
                    + parent.name() + "(" + names(to) + ") has " + to.size()
                    + " (SQLite reports 'foreign key mismatch')"));
            return Optional.empty();
        }
        Resolved r = new Resolved(fk, child, from, parent, to);
        if (!r.parentIsRowid() && !isUniqueKey(parent, to)) {
            problems.add(schemaProblem(fk, "parent key " + parent.name() + "(" + names(to) + ") is neither the"
                    + " PRIMARY KEY nor a UNIQUE index with the columns' own collations, so parent rows are not"
                    + " unique (SQLite reports 'foreign key mismatch')"));
            return Optional.empty();
        }
        return Optional.of(r);
    }

    private static boolean isUniqueKey(Table parent, List<Column> to) {
        for (Schema.Key key : parent.keys()) {
            if (key.columns().size() != to.size()) {
                continue;
            }
            boolean all = true;
            for (Column c : to) {
                int i = indexOfIgnoreCase(key.columns(), c.name());
                if (i < 0 || !Schema.same(key.collations().get(i), c.collationOrBinary())) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static Report.Problem schemaProblem(ForeignKey fk, String why) {
        return new Report.Problem(Report.Problem.Kind.SCHEMA, fk.table(), fk.from(), fk.parent(), 0, List.of(),
                "foreign key " + fk.describe() + ": " + why);
    }

    private static int indexOfIgnoreCase(List<String> list, String s) {
        for (int i = 0; i < list.size(); i++) {
            if (Schema.same(list.get(i), s)) {
                return i;
            }
        }
        return -1;
    }
}
