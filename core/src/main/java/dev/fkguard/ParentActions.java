package dev.fkguard;

import static dev.fkguard.KeyComparisons.actionMatch;
import static dev.fkguard.KeyComparisons.aligned;
import static dev.fkguard.KeyComparisons.alignedChildren;
import static dev.fkguard.KeyComparisons.children;
import static dev.fkguard.KeyComparisons.collation;
import static dev.fkguard.KeyComparisons.counterCheck;
import static dev.fkguard.KeyComparisons.orphanGuard;
import static dev.fkguard.KeyComparisons.parentExists;
import static dev.fkguard.KeyComparisons.rowKey;
import static dev.fkguard.KeyComparisons.sameRow;
import static dev.fkguard.KeyComparisons.scanMatch;
import static dev.fkguard.SqlText.id;
import static dev.fkguard.SqlText.literal;
import static dev.fkguard.TriggerBody.raiseIf;
import static dev.fkguard.TriggerBody.updateOf;
import static dev.fkguard.TriggerNames.identities;
import static dev.fkguard.TriggerNames.name;

import dev.fkguard.Schema.Action;
import dev.fkguard.Schema.Column;
import dev.fkguard.Schema.Table;
import dev.fkguard.TriggerPlanner.Planned;
import dev.fkguard.TriggerPlanner.Resolved;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Cases D.1-D.4 and U.1-U.4 of the table in {@link TriggerPlanner}: the parent side. The AFTER DELETE
 * and AFTER UPDATE triggers of a parent table, whose bodies run the actions (CASCADE, SET NULL,
 * SET DEFAULT) and the NO ACTION and RESTRICT checks in native's order, with native's comparisons
 * ({@link KeyComparisons}).
 */
final class ParentActions {
    private ParentActions() {
    }

    /** D.1-D.4 for one key, as the statements of a trigger body. */
    private static String deleteBody(Resolved r) {
        Action action = r.declared().onDelete();
        String body;
        if (action == Action.CASCADE && r.selfReferencing() && !rowKey(r.child()).isEmpty()) {
            body = cascadeDeleteSubtree(r);
        } else if (aligned(r)) {
            // scan, action and lookup agree: the children are exactly those of the action's WHERE
            String children = alignedChildren(r);
            body = switch (action) {
                case NO_ACTION, RESTRICT -> raiseIf(r, "EXISTS (" + children + ")");
                case CASCADE -> "  DELETE FROM " + id(r.child().name()) + " WHERE " + actionWhere(r) + ";\n";
                case SET_NULL -> setChildren(r, "NULL");
                case SET_DEFAULT -> setChildren(r, "DEFAULT") + raiseIf(r, "EXISTS (" + children + ")");
            };
        } else {
            body = switch (action) {
                case NO_ACTION -> raiseIf(r, "EXISTS (" + children(r, scanMatch(r, "OLD", "fkg_c")) + ")");
                case RESTRICT -> raiseIf(r, "EXISTS (" + children(r, "(" + actionMatch(r, "OLD", "fkg_c") + ") OR ("
                        + scanMatch(r, "OLD", "fkg_c") + ")") + ")");
                case CASCADE -> counterCheck(r, null) + "  DELETE FROM " + id(r.child().name()) + " WHERE " + actionWhere(r) + ";\n";
                case SET_NULL -> counterCheck(r, null) + setChildren(r, "NULL");
                case SET_DEFAULT -> counterCheck(r, null) + setChildren(r, "DEFAULT") + defaultStillOld(r);
            } + orphanGuard(r);
        }
        return body;
    }

    /** U.1-U.4 for one key, as the statements of a trigger body (the trigger's WHEN says the key changed). */
    private static String updateBody(Resolved r) {
        Action action = r.declared().onUpdate();
        String body;
        if (aligned(r)) {
            // a row that references itself counts as a child too (measured: changing the key of such a
            // row is refused under NO ACTION)
            String children = alignedChildren(r);
            body = switch (action) {
                case NO_ACTION, RESTRICT -> raiseIf(r, "EXISTS (" + children + ")");
                case CASCADE -> setChildren(r, "NEW");
                case SET_NULL -> setChildren(r, "NULL");
                case SET_DEFAULT -> setChildren(r, "DEFAULT") + raiseIf(r, "EXISTS (" + children + ")");
            };
        } else {
            // fkScanChildren skips the row being changed; whether that row still has a parent is the
            // orphan guard's question
            String notItself = "";
            if (r.selfReferencing()) {
                List<String> itself = sameRow(r.child(), "fkg_c", "NEW");
                notItself = itself.isEmpty() ? "" : " AND NOT (" + String.join(" AND ", itself) + ")";
            }
            String counter = "(SELECT count(*) FROM " + id(r.child().name()) + " AS \"fkg_c\" WHERE "
                    + scanMatch(r, "OLD", "fkg_c") + notItself + ") > (SELECT count(*) FROM " + id(r.child().name())
                    + " AS \"fkg_c\" WHERE " + scanMatch(r, "NEW", "fkg_c") + notItself + ")";
            body = switch (action) {
                case NO_ACTION -> raiseIf(r, counter);
                case RESTRICT -> raiseIf(r, "EXISTS (" + children(r, actionMatch(r, "OLD", "fkg_c")) + ")") + raiseIf(r, counter);
                case CASCADE -> counterCheck(r, "NEW") + setChildren(r, "NEW");
                case SET_NULL -> counterCheck(r, "NEW") + setChildren(r, "NULL");
                case SET_DEFAULT -> counterCheck(r, "NEW") + setChildren(r, "DEFAULT") + defaultStillOld(r);
            } + orphanGuard(r);
        }
        return body;
    }

    /**
     * The DELETE trigger of the given keys of one parent table: actions first, the last declared key
     * first (as sqlite3FkActions), then the NO ACTION checks, which native makes at the end of the
     * statement. One key per trigger on tables whose keys lie on a cycle, all keys of the table otherwise.
     */
    static Planned parentDelete(List<Resolved> keys) {
        StringBuilder body = new StringBuilder();
        for (Resolved r : actionsFirst(keys, Resolved::onDelete)) {
            body.append(deleteBody(r));
        }
        Table parent = keys.get(0).parent();
        String name = name(parent.name(), "pdel", identities(keys));
        return new Planned(name, parent.name(), "CREATE TRIGGER " + id(name) + " AFTER DELETE ON "
                + id(parent.name()) + " BEGIN\n" + TriggerBody.render(body) + "END", keys);
    }

    /** The UPDATE trigger of keys that all reference the same parent columns, ordered as for DELETE. */
    static Planned parentUpdate(List<Resolved> keys) {
        Resolved first = keys.get(0);
        Set<String> of = new LinkedHashSet<>();
        List<String> changed = new ArrayList<>();
        for (Column c : first.to()) {
            of.add(id(c.name()));
            changed.add("OLD." + id(c.name()) + " IS NOT NEW." + id(c.name()));
        }
        if (first.parentIsRowid()) {
            of.add("rowid");
            of.add("oid");
            of.add("_rowid_");
        }
        StringBuilder body = new StringBuilder();
        for (Resolved r : actionsFirst(keys, Resolved::onUpdate)) {
            body.append(updateBody(r));
        }
        String name = name(first.parent().name(), "pupd", identities(keys));
        return new Planned(name, first.parent().name(), "CREATE TRIGGER " + id(name) + " AFTER UPDATE"
                + updateOf(of, keys, true) + " ON " + id(first.parent().name()) + " WHEN " + String.join(" OR ", changed)
                + " BEGIN\n" + TriggerBody.render(body) + "END", keys);
    }

    private static List<Resolved> actionsFirst(List<Resolved> keys, java.util.function.Function<Resolved, Action> action) {
        List<Resolved> out = new ArrayList<>();
        for (int i = keys.size() - 1; i >= 0; i--) {
            if (action.apply(keys.get(i)) != Action.NO_ACTION) {
                out.add(keys.get(i));
            }
        }
        for (Resolved r : keys) {
            if (action.apply(r) == Action.NO_ACTION) {
                out.add(r);
            }
        }
        return out;
    }

    /** SQLite fires the newest trigger first: separate triggers are created in the reverse of firing order. */
    static List<Resolved> creationOrder(List<Resolved> keys, java.util.function.Function<Resolved, Action> action) {
        List<Resolved> firing = new ArrayList<>(actionsFirst(keys, action));
        java.util.Collections.reverse(firing);
        return firing;
    }

    /** After SET DEFAULT: a child whose default equals the old key still points at a parent that is gone. */
    private static String defaultStillOld(Resolved r) {
        return raiseIf(r, "EXISTS (" + children(r, actionMatch(r, "OLD", "fkg_c") + " AND NOT " + parentExists(r, "fkg_c")) + ")");
    }

    /**
     * The WHERE of native's action triggers (fkActionTrigger): {@code OLD.p = c}, written exactly so.
     * Inside a trigger OLD.p has no affinity, so the child column's affinity decides any conversion.
     */
    private static String actionWhere(Resolved r) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < r.from().size(); i++) {
            terms.add("OLD." + id(r.to().get(i).name()) + " = " + id(r.from().get(i).name()));
        }
        return String.join(" AND ", terms);
    }

    /** {@code UPDATE C SET c = NULL | NEW.p | DEFAULT WHERE <native action WHERE>}. */
    private static String setChildren(Resolved r, String what) {
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < r.from().size(); i++) {
            Column c = r.from().get(i);
            String value = switch (what) {
                case "NULL" -> "NULL";
                case "NEW" -> "NEW." + id(r.to().get(i).name());
                default -> defaultValue(c);
            };
            sets.add(id(c.name()) + " = " + value);
        }
        return "  UPDATE " + id(r.child().name()) + " SET " + String.join(", ", sets) + " WHERE " + actionWhere(r) + ";\n";
    }

    /**
     * The column's DEFAULT as SQLite evaluates it. The grammar takes a bare word or a quoted identifier
     * after DEFAULT ({@code DEFAULT other}, {@code DEFAULT "other"}) as a string, not as a column name:
     * pasted into the trigger it would name a column. Unquoted TRUE, FALSE, NULL and CURRENT_* are
     * keywords, and everything else (numbers, literals, parenthesised expressions) means what it says.
     */
    static String defaultValue(Column c) {
        if (c.defaultSql() == null) {
            return "NULL";
        }
        List<SqlText.Token> tokens = SqlText.tokenize(c.defaultSql());
        if (tokens.size() == 1 && tokens.get(0).word()) {
            SqlText.Token t = tokens.get(0);
            boolean keyword = !t.quoted() && (t.is("NULL") || t.is("TRUE") || t.is("FALSE") || t.is("CURRENT_TIME")
                    || t.is("CURRENT_DATE") || t.is("CURRENT_TIMESTAMP"));
            boolean number = !t.quoted() && !t.text().isEmpty() && t.text().charAt(0) >= '0' && t.text().charAt(0) <= '9';
            if (!keyword && !number) {
                return literal(t.text());
            }
        }
        return "(" + c.defaultSql() + ")";
    }

    /**
     * D.2 for a self reference: every descendant of OLD, found by a recursive CTE over live rows with
     * native's action comparison, is deleted by one statement. With recursive_triggers off this
     * trigger does not fire for the rows it deletes itself, so it must reach the whole subtree at
     * once; with it on, the nested firings find their subtrees already gone or about to go. Before
     * deleting, native's counter is reproduced for every level: a row that the scan comparison ties to
     * OLD or to a doomed row, but that the cascade does not reach, makes the statement fail. UNION
     * stops at cycles in the data.
     */
    private static String cascadeDeleteSubtree(Resolved r) {
        Table t = r.child();
        List<String> keyCols = rowKey(t);
        // the CTE's name must differ from the one table the statement reads, or the CTE would read itself
        String d = Schema.same(t.name(), "fkg_d") ? "fkg_e" : "fkg_d";
        List<String> dCols = new ArrayList<>();
        List<String> join = new ArrayList<>();
        List<String> cSel = new ArrayList<>();
        List<String> xSel = new ArrayList<>();
        for (int i = 0; i < keyCols.size(); i++) {
            dCols.add("\"k" + i + "\"");
            join.add("\"fkg_p\"." + keyCols.get(i) + " = " + id(d) + ".\"k" + i + "\"");
            cSel.add("\"fkg_c\"." + keyCols.get(i));
            xSel.add("\"fkg_x\"." + keyCols.get(i));
        }
        List<String> actionLink = new ArrayList<>();
        List<String> scanLink = new ArrayList<>();
        for (int i = 0; i < r.from().size(); i++) {
            Column p = r.to().get(i);
            String c = id(r.from().get(i).name());
            // +p: no affinity, as OLD.p has none in native's action trigger; the collation stays
            actionLink.add("+\"fkg_p\"." + id(p.name()) + " = \"fkg_c\"." + c);
            // two columns compare as fkey.c's scan does; the parent's collation made explicit
            scanLink.add("\"fkg_p\"." + id(p.name()) + " COLLATE " + collation(p) + " = \"fkg_x\"." + c);
        }
        String tn = id(t.name());
        String cte = "WITH RECURSIVE " + id(d) + "(" + String.join(", ", dCols) + ") AS (SELECT " + String.join(", ", cSel)
                + " FROM " + tn + " AS \"fkg_c\" WHERE " + actionMatch(r, "OLD", "fkg_c") + " UNION SELECT "
                + String.join(", ", cSel) + " FROM " + id(d) + " JOIN " + tn + " AS \"fkg_p\" ON " + String.join(" AND ", join)
                + " JOIN " + tn + " AS \"fkg_c\" ON " + String.join(" AND ", actionLink) + ")";
        String key = keyCols.size() == 1 ? keyCols.get(0) : "(" + String.join(", ", keyCols) + ")";
        String xKey = xSel.size() == 1 ? xSel.get(0) : "(" + String.join(", ", xSel) + ")";
        String doomed = "SELECT " + String.join(", ", dCols) + " FROM " + id(d);
        String escapes = cte + " SELECT 1 FROM " + tn + " AS \"fkg_x\" WHERE " + scanMatch(r, "OLD", "fkg_x")
                + " AND " + xKey + " NOT IN (" + doomed + ") UNION ALL SELECT 1 FROM " + id(d) + " JOIN " + tn
                + " AS \"fkg_p\" ON " + String.join(" AND ", join) + " JOIN " + tn + " AS \"fkg_x\" ON "
                + String.join(" AND ", scanLink) + " WHERE " + xKey + " NOT IN (" + doomed + ")";
        return (aligned(r) ? "" : raiseIf(r, "EXISTS (" + escapes + ")")) + "  DELETE FROM " + tn + " WHERE " + key + " IN (" + cte + " " + doomed + ");\n"
                + (aligned(r) ? "" : orphanGuard(r));
    }
}
