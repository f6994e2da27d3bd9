package dev.fkguard;

import static dev.fkguard.SqlText.id;
import static dev.fkguard.SqlText.literal;

import dev.fkguard.Schema.Column;
import dev.fkguard.Schema.ForeignKey;
import dev.fkguard.Schema.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Cases B.1 to B.5 of {@link TriggerPlanner}'s table: a broken foreign key declaration enforced as
 * SQLite enforces it ({@link Options.BrokenKeys#ENFORCE}). Native enforcement cannot check such a
 * key, so it refuses every statement that needs it, at prepare time, with an error instead of a
 * constraint failure (measured on 3.40 and 3.54):
 *
 * <pre>
 *   parent table missing        INSERT into C, DELETE from C, UPDATE OF a key column of C   no such table: main.P
 *   parent key not unique,      the same, and DELETE from P, UPDATE OF a column of P that    foreign key mismatch - "C" referencing "P"
 *   parent column missing,      any foreign key touches (as parent: the columns a key names,
 *   wrong number of columns     or the implied PRIMARY KEY; as child: its key columns; rowid
 *                               too when one of them is the rowid alias)
 * </pre>
 *
 * INSERT into P passes, except under a deferred mismatched key or when P has INSERT triggers of the
 * user's: SQLite then looks the parent index up for every INSERT into P (B.6). (It does so for a multi-row INSERT too, which no trigger can tell from
 * a one-row INSERT; README difference 12.) The last row is SQLite's rule, not the broken key's: an UPDATE of P that needs any foreign key
 * processing (sqlite3FkRequired) looks up the parent index of every key that references P
 * (sqlite3FkOldmask), so it fails on the mismatched one too.
 *
 * INSERT into P and UPDATE of other columns pass. fkguard gives each such statement a BEFORE trigger
 * that raises native's message, so it wins over any other key's check, as native's prepare-time error
 * does. Child triggers are created after parent triggers and in declaration order, so that on a table
 * with several broken keys the last declared child key speaks first, as {@code sqlite3FkCheck} walks
 * its list and stops at the first error.
 */
final class BrokenKeyTriggers {
    private BrokenKeyTriggers() {
    }

    /** A foreign key SQLite cannot enforce, with the error native gives for every write that needs it. */
    record Broken(ForeignKey declared, Table child, Optional<Table> parent, String why, String nativeError) {
        String warning() {
            return "foreign key " + declared.describe() + " is broken and enforced as SQLite does: " + why
                    + "; every write that needs it is refused with '" + nativeError + "'";
        }
    }

    /**
     * The broken key as native sees it, or empty when fkguard cannot say what native does (a child
     * column that does not exist, which only a hand-edited schema has).
     */
    static Optional<Broken> of(Schema schema, String schemaName, Table child, ForeignKey fk, String why) {
        for (String c : fk.from()) {
            if (child.column(c).isEmpty()) {
                return Optional.empty();
            }
        }
        Optional<Table> parent = schema.table(fk.parent());
        String error = parent.isEmpty()
                ? "no such table: " + schemaName + "." + fk.parent()
                : "foreign key mismatch - \"" + quoted(child.name()) + "\" referencing \"" + quoted(fk.parent()) + "\"";
        // the problem's own note on what SQLite reports is said better by the error itself
        return Optional.of(new Broken(fk, child, parent, why.replaceFirst(" \\(SQLite [^)]*\\)$", ""), error));
    }

    /** A name as SQLite's {@code %w} writes it inside double quotes: embedded double quotes doubled. */
    private static String quoted(String name) {
        return name.replace("\"", "\"\"");
    }

    /** The triggers, in creation order: every parent-side trigger first, then the child side in declaration order. */
    static List<TriggerPlanner.Planned> plan(Schema schema, List<Broken> broken) {
        List<TriggerPlanner.Planned> out = new ArrayList<>();
        for (Broken b : broken) {
            if (b.parent().isPresent()) {
                Table p = b.parent().get();
                out.add(trigger(b, p, "bpdel", "DELETE"));
                if (b.declared().deferred() || hasInsertTriggerOfItsOwn(schema, p)) {
                    // SQLite then looks the parent index up for every INSERT into P
                    out.add(trigger(b, p, "bpins", "INSERT"));
                }
                List<Column> key = foreignKeyColumns(schema, p);
                if (!key.isEmpty()) {
                    out.add(trigger(b, p, "bpupd", "UPDATE" + of(p, key)));
                }
            }
        }
        for (Broken b : broken) {
            List<Column> from = b.declared().from().stream().map(c -> b.child().column(c).orElseThrow()).toList();
            out.add(trigger(b, b.child(), "bins", "INSERT"));
            out.add(trigger(b, b.child(), "bupd", "UPDATE" + of(b.child(), from)));
            out.add(trigger(b, b.child(), "bdel", "DELETE"));
        }
        return out;
    }

    /**
     * The columns of P whose update makes SQLite process foreign keys at all (sqlite3FkRequired): the parent
     * columns of every key that references P (named, or the implied PRIMARY KEY) and the child columns of
     * every key declared on P. Such an UPDATE then looks up the parent index of every key referencing P
     * (sqlite3FkOldmask), and fails on a mismatched one even when its own columns are not in the SET list.
     */
    private static List<Column> foreignKeyColumns(Schema schema, Table p) {
        Set<String> seen = new java.util.HashSet<>();
        List<Column> out = new ArrayList<>();
        java.util.function.Consumer<Column> add = c -> {
            if (seen.add(Schema.key(c.name()))) {
                out.add(c);
            }
        };
        for (Table t : schema.tables()) {
            for (ForeignKey fk : t.foreignKeys()) {
                if (!Schema.same(fk.parent(), p.name())) {
                    continue;
                }
                if (fk.to().isEmpty()) {
                    p.primaryKey().forEach(add);
                } else {
                    for (String c : fk.to()) {
                        p.column(c).ifPresent(add);
                    }
                }
            }
        }
        for (ForeignKey fk : p.foreignKeys()) {
            for (String c : fk.from()) {
                p.column(c).ifPresent(add);
            }
        }
        return out;
    }

    /** True when a trigger that is not fkguard's fires on INSERT into P (BEFORE or AFTER). */
    private static boolean hasInsertTriggerOfItsOwn(Schema schema, Table p) {
        for (Schema.Trigger t : schema.triggers()) {
            if (TriggerNames.isManaged(t.name()) || !Schema.same(t.table(), p.name())) {
                continue;
            }
            // the event comes before the first bare ON (a name that is a keyword must be quoted)
            for (SqlText.Token token : SqlText.tokenize(t.sql())) {
                if (token.is("ON")) {
                    break;
                }
                if (token.is("INSERT")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code OF} the columns, with rowid's names when one is the rowid alias; nothing for a generated column (never named in SET). */
    private static String of(Table t, List<Column> cols) {
        Set<String> of = new LinkedHashSet<>();
        boolean rowid = false;
        for (Column c : cols) {
            if (c.generated()) {
                return "";
            }
            of.add(id(c.name()));
            rowid |= t.rowidAlias().map(a -> Schema.same(a.name(), c.name())).orElse(false);
        }
        if (rowid) {
            of.add("rowid");
            of.add("oid");
            of.add("_rowid_");
        }
        return " OF " + String.join(", ", of);
    }

    private static TriggerPlanner.Planned trigger(Broken b, Table on, String kind, String event) {
        String name = TriggerNames.name(on.name(), kind, b.declared().describe() + "\u0000" + b.declared().onDelete()
                + "\u0000" + b.declared().onUpdate() + "\u0000" + b.nativeError());
        String sql = "CREATE TRIGGER " + id(name) + " BEFORE " + event + " ON " + id(on.name()) + " BEGIN\n"
                + "  SELECT RAISE(ABORT, " + literal(b.nativeError()) + ");\nEND";
        return new TriggerPlanner.Planned(name, on.name(), sql, List.of());
    }
}
