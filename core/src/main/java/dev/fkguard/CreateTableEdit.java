package dev.fkguard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Edits the text of a {@code CREATE TABLE} statement the way SQLite's own tokenizer sees it: adds a table
 * constraint, finds and removes foreign key clauses. Pure text in, text out; comments, quoted identifiers,
 * string literals, nested parentheses ({@code CHECK}, {@code DEFAULT (...)}) and table options after the column
 * list ({@code WITHOUT ROWID}, {@code STRICT}) are respected, and everything not edited is kept byte for byte.
 */
final class CreateTableEdit {
    private CreateTableEdit() {
    }

    /**
     * One {@code REFERENCES} clause, in declaration order (textual order, which is the order SQLite numbers
     * foreign keys in, last one first, in {@code pragma_foreign_key_list}).
     *
     * @param name            the constraint name ({@code CONSTRAINT name}), or null
     * @param tableConstraint true for {@code FOREIGN KEY (...) REFERENCES ...}, false for a column's clause
     * @param removeFrom      where the text to remove starts (inclusive)
     * @param removeTo        where it ends (exclusive)
     */
    record Reference(String name, boolean tableConstraint, int removeFrom, int removeTo) {
    }

    /** The parts of the statement: tokens, the column list's parentheses, and its comma-separated items. */
    private record Parsed(List<SqlText.Token> tokens, int open, int close, List<int[]> items) {
    }

    /** Appends {@code , <constraint>} after the last column or constraint, before the column list's closing parenthesis. */
    static String addConstraint(String createTable, String constraint) {
        Parsed p = parse(createTable);
        int at = p.tokens().get(p.close() - 1).end();
        return createTable.substring(0, at) + ", " + constraint + createTable.substring(at);
    }

    /** Every constraint name declared in the statement ({@code CONSTRAINT name}), compared case-insensitively. */
    static Set<String> constraintNames(String createTable) {
        Parsed p = parse(createTable);
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        List<SqlText.Token> t = p.tokens();
        int depth = 0;
        for (int i = p.open() + 1; i < p.close(); i++) {
            if (t.get(i).isPunct("(")) {
                depth++;
            } else if (t.get(i).isPunct(")")) {
                depth--;
            } else if (depth == 0 && t.get(i).is("CONSTRAINT") && i + 1 < p.close() && t.get(i + 1).word()) {
                names.add(t.get(i + 1).text());
            }
        }
        return names;
    }

    /** Every foreign key clause, in declaration order. */
    static List<Reference> references(String createTable) {
        Parsed p = parse(createTable);
        List<SqlText.Token> t = p.tokens();
        List<Reference> out = new ArrayList<>();
        for (int[] item : p.items()) {
            int from = item[0];
            int to = item[1];
            if (from >= to) {
                continue;
            }
            SqlText.Token first = t.get(from);
            boolean tableItem = first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE")
                    || first.is("CHECK") || first.is("FOREIGN");
            int depth = 0;
            for (int i = from; i < to; i++) {
                SqlText.Token k = t.get(i);
                if (k.isPunct("(")) {
                    depth++;
                } else if (k.isPunct(")")) {
                    depth--;
                } else if (depth == 0 && k.is("REFERENCES")) {
                    int start = i;
                    if (tableItem) {
                        start = foreignKeyStart(t, from, i);
                    }
                    String name = null;
                    if (start - 2 >= from && t.get(start - 2).is("CONSTRAINT") && t.get(start - 1).word()) {
                        name = t.get(start - 1).text();
                        start -= 2;
                    }
                    int end = clauseEnd(t, i, to);
                    int removeFrom;
                    int removeTo = t.get(end - 1).end();
                    if (tableItem && start == from && end == to) {
                        // the whole item: take the comma before it with it
                        removeFrom = t.get(from - 1).start();
                    } else if (start > from) {
                        removeFrom = t.get(start - 1).end();
                    } else {
                        removeFrom = t.get(start).start();
                        removeTo = end < to ? t.get(end).start() : removeTo;
                    }
                    out.add(new Reference(name, tableItem, removeFrom, removeTo));
                    i = end - 1;
                }
            }
        }
        return out;
    }

    /** The statement without the clause. */
    static String remove(String createTable, Reference reference) {
        return createTable.substring(0, reference.removeFrom()) + createTable.substring(reference.removeTo());
    }

    /** Walks back from REFERENCES over {@code FOREIGN KEY ( ... )} to the FOREIGN token. */
    private static int foreignKeyStart(List<SqlText.Token> t, int from, int references) {
        int i = references - 1;
        int depth = 0;
        while (i > from) {
            SqlText.Token k = t.get(i);
            if (k.isPunct(")")) {
                depth++;
            } else if (k.isPunct("(")) {
                depth--;
                if (depth == 0) {
                    break;
                }
            }
            i--;
        }
        // t[i] is "(", t[i-1] KEY, t[i-2] FOREIGN
        int foreign = i - 2;
        if (foreign >= from && t.get(foreign).is("FOREIGN")) {
            return foreign;
        }
        throw new IllegalArgumentException("cannot read the FOREIGN KEY constraint before REFERENCES");
    }

    /** The index just after a foreign key clause that starts with REFERENCES at {@code i}. */
    private static int clauseEnd(List<SqlText.Token> t, int i, int to) {
        int j = i + 2; // REFERENCES name
        if (j < to && t.get(j).isPunct("(")) {
            int depth = 0;
            for (; j < to; j++) {
                if (t.get(j).isPunct("(")) {
                    depth++;
                } else if (t.get(j).isPunct(")") && --depth == 0) {
                    j++;
                    break;
                }
            }
        }
        while (j < to) {
            SqlText.Token k = t.get(j);
            if (k.is("ON")) {
                SqlText.Token action = j + 2 < to ? t.get(j + 2) : null;
                j += 3; // ON DELETE|UPDATE CASCADE|RESTRICT|SET x|NO ACTION
                if (action != null && (action.is("SET") || action.is("NO"))) {
                    j++;
                }
            } else if (k.is("MATCH")) {
                j += 2;
            } else if (k.is("DEFERRABLE") || (k.is("NOT") && j + 1 < to && t.get(j + 1).is("DEFERRABLE"))) {
                j += k.is("NOT") ? 2 : 1;
                if (j < to && t.get(j).is("INITIALLY")) {
                    j += 2;
                }
            } else {
                break;
            }
        }
        return Math.min(j, to);
    }

    private static Parsed parse(String createTable) {
        List<SqlText.Token> t = SqlText.tokenize(createTable == null ? "" : createTable);
        if (t.size() < 3 || !t.get(0).is("CREATE")) {
            throw new IllegalArgumentException("not a CREATE TABLE statement: " + createTable);
        }
        int open = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).isPunct("(")) {
                open = i;
                break;
            }
            if (t.get(i).is("AS") || t.get(i).is("USING")) {
                break;
            }
        }
        if (open < 0) {
            throw new IllegalArgumentException("no column list in: " + createTable);
        }
        List<int[]> items = new ArrayList<>();
        int depth = 0;
        int itemStart = open + 1;
        for (int i = open + 1; i < t.size(); i++) {
            SqlText.Token k = t.get(i);
            if (k.isPunct("(")) {
                depth++;
            } else if (k.isPunct(")")) {
                if (depth == 0) {
                    items.add(new int[] {itemStart, i});
                    return new Parsed(t, open, i, items);
                }
                depth--;
            } else if (depth == 0 && k.isPunct(",")) {
                items.add(new int[] {itemStart, i});
                itemStart = i + 1;
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses in: " + createTable);
    }

    /** {@code CONSTRAINT "n" FOREIGN KEY ("a") REFERENCES "p" ("x") ON DELETE CASCADE}, NO ACTION left out. */
    static String foreignKeyClause(String name, List<String> columns, String parent, List<String> parentColumns,
                                   String onDelete, String onUpdate) {
        StringBuilder sb = new StringBuilder();
        if (name != null) {
            sb.append("CONSTRAINT ").append(SqlText.id(name)).append(' ');
        }
        sb.append("FOREIGN KEY (").append(ids(columns)).append(") REFERENCES ").append(SqlText.id(parent));
        if (!parentColumns.isEmpty()) {
            sb.append(" (").append(ids(parentColumns)).append(')');
        }
        if (!"NO ACTION".equals(onDelete.toUpperCase(Locale.ROOT))) {
            sb.append(" ON DELETE ").append(onDelete);
        }
        if (!"NO ACTION".equals(onUpdate.toUpperCase(Locale.ROOT))) {
            sb.append(" ON UPDATE ").append(onUpdate);
        }
        return sb.toString();
    }

    private static String ids(List<String> names) {
        return String.join(", ", names.stream().map(SqlText::id).toList());
    }
}
