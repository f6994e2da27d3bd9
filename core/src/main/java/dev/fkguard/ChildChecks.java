package dev.fkguard;

import static dev.fkguard.KeyComparisons.column;
import static dev.fkguard.KeyComparisons.from;
import static dev.fkguard.KeyComparisons.sameRow;
import static dev.fkguard.SqlText.id;
import static dev.fkguard.TriggerBody.raiseIf;
import static dev.fkguard.TriggerBody.updateOf;
import static dev.fkguard.TriggerNames.identities;
import static dev.fkguard.TriggerNames.name;

import dev.fkguard.Schema.Column;
import dev.fkguard.Schema.Table;
import dev.fkguard.TriggerPlanner.Planned;
import dev.fkguard.TriggerPlanner.Resolved;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cases I.1 and I.2 of the table in {@link TriggerPlanner}: the child side. One AFTER INSERT and one
 * AFTER UPDATE trigger per child table, with one check per foreign key: a new or changed key that is
 * not NULL, does not reference its own row and finds no parent fails, with the parent lookup's
 * comparison ({@link KeyComparisons}). These triggers only read.
 */
final class ChildChecks {
    private ChildChecks() {
    }

    static Planned childInsert(List<Resolved> fks) {
        Table child = fks.get(0).child();
        StringBuilder body = new StringBuilder();
        for (Resolved r : fks) {
            body.append(raiseIf(r, violated(r)));
        }
        String name = name(child.name(), "ins", identities(fks));
        return new Planned(name, child.name(), "CREATE TRIGGER " + id(name) + " AFTER INSERT ON " + id(child.name())
                + " BEGIN\n" + TriggerBody.render(body) + "END", fks);
    }

    static Planned childUpdate(List<Resolved> fks) {
        Table child = fks.get(0).child();
        Set<String> of = new LinkedHashSet<>();
        boolean rowid = false;
        StringBuilder body = new StringBuilder();
        for (Resolved r : fks) {
            List<String> changed = new ArrayList<>();
            for (Column c : r.from()) {
                of.add(id(c.name()));
                rowid |= child.rowidAlias().map(a -> Schema.same(a.name(), c.name())).orElse(false);
                changed.add(changed(c));
            }
            String anyChanged = changed.size() == 1 ? changed.get(0) : "(" + String.join(" OR ", changed) + ")";
            body.append(raiseIf(r, anyChanged + " AND " + violated(r)));
        }
        if (rowid) {
            of.add("rowid");
            of.add("oid");
            of.add("_rowid_");
        }
        String name = name(child.name(), "upd", identities(fks));
        return new Planned(name, child.name(), "CREATE TRIGGER " + id(name) + " AFTER UPDATE" + updateOf(of, fks, false)
                + " ON " + id(child.name()) + " BEGIN\n" + TriggerBody.render(body) + "END", fks);
    }

    /**
     * True when the UPDATE changed the child column in a way SQLite's parent lookup could tell apart:
     * binary, and type-exact. {@code NEW.c IS NOT OLD.c} compares with the column's collation, so a column
     * declared with another collation gets {@code COLLATE BINARY}. Two values of different types that IS
     * calls equal (2 and 2.0) can only both be stored in a column without affinity (BLOB): INTEGER, REAL
     * and NUMERIC affinity store one of the two forms, TEXT stores text. Only such a column needs the
     * typeof test (2 and 2.0 turn into different text for a TEXT parent).
     */
    private static String changed(Column c) {
        String n = "NEW." + id(c.name());
        String o = "OLD." + id(c.name());
        String test = n + " IS NOT " + o + (Schema.same("BINARY", c.collationOrBinary()) ? "" : " COLLATE BINARY");
        return c.affinity() == Schema.Affinity.BLOB ? "(" + test + " OR typeof(" + n + ") IS NOT typeof(" + o + "))" : test;
    }

    /** True for the NEW row when it breaks the key: no NULL in the key, not itself, no parent. */
    private static String violated(Resolved r) {
        List<String> terms = new ArrayList<>();
        for (Column c : r.from()) {
            terms.add("NEW." + id(c.name()) + " IS NOT NULL");
        }
        String alias = "fkg_p";
        String lookup = parentMatch(r, "NEW", alias);
        if (r.selfReferencing()) {
            terms.add(notItself(r));
            List<String> same = sameRow(r.parent(), alias, "NEW");
            if (!same.isEmpty()) {
                lookup += " AND NOT (" + String.join(" AND ", same) + ")";
            }
        }
        terms.add("NOT EXISTS (SELECT 1 FROM " + from(r.parent(), alias) + " WHERE " + lookup + ")");
        return String.join(" AND ", terms);
    }

    /** The parent row (alias) matches the child values of {@code childRef}: parent collation and affinity. */
    private static String parentMatch(Resolved r, String childRef, String parentAlias) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < r.from().size(); i++) {
            terms.add(column(parentAlias, r.to().get(i)) + " = +" + childRef + "." + id(r.from().get(i).name()));
        }
        return String.join(" AND ", terms);
    }

    /**
     * fkey.c's "row references itself" test for a self-referencing key: OP_Ne without collation or
     * affinity for an ordinary key, OP_Eq after OP_MustBeInt for a rowid parent. IS, not =, so that a
     * NULL parent column makes the test false instead of NULL (NOT NULL would hide the violation).
     */
    private static String selfMatch(Resolved r) {
        if (r.parentIsRowid()) {
            return "NEW." + id(r.to().get(0).name()) + " IS +NEW." + id(r.from().get(0).name());
        }
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < r.from().size(); i++) {
            terms.add("+NEW." + id(r.to().get(i).name()) + " IS +NEW." + id(r.from().get(i).name()) + " COLLATE BINARY");
        }
        return String.join(" AND ", terms);
    }

    /** The negation of {@link #selfMatch}: {@code a IS NOT b} for a one-column key (IS never yields NULL). */
    private static String notItself(Resolved r) {
        if (r.parentIsRowid()) {
            return "NEW." + id(r.to().get(0).name()) + " IS NOT +NEW." + id(r.from().get(0).name());
        }
        if (r.from().size() == 1) {
            return "+NEW." + id(r.to().get(0).name()) + " IS NOT +NEW." + id(r.from().get(0).name()) + " COLLATE BINARY";
        }
        return "NOT (" + selfMatch(r) + ")";
    }
}
