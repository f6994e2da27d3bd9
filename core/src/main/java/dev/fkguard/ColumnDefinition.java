package dev.fkguard;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One column definition as SQLite's grammar reads it ({@code name [type] [constraint ...]}), from the tokens of
 * {@link SqlText#tokenize}: enough to tell what {@code ALTER TABLE ... ADD COLUMN} does with foreign keys.
 *
 * <p>With {@code foreign_keys=ON}, SQLite refuses to add a column that has a REFERENCES clause and a default other
 * than NULL to a table that has rows ("Cannot add a REFERENCES column with non-NULL default value",
 * {@code sqlite3AlterFinishAddColumn}): every existing row would get the default as its key, unchecked. NULL there
 * means SQLite's test, the default expression being the literal NULL: {@code DEFAULT NULL}, {@code DEFAULT (NULL)}
 * (any number of parentheses), {@code DEFAULT +NULL}; {@code DEFAULT -NULL}, {@code DEFAULT (+NULL)},
 * {@code DEFAULT 'NULL'} and {@code DEFAULT "NULL"} are not NULL (measured on 3.40 and 3.54). The last DEFAULT clause
 * counts. A generated column is not checked; a PRIMARY KEY or UNIQUE column is refused by SQLite for that reason
 * first.
 *
 * @param name        the column name, unquoted
 * @param parents     the parent table of every REFERENCES clause, unquoted, in order
 * @param defaultText the last DEFAULT clause's expression as written (tokens re-joined), or null when there is none
 * @param defaultNull true when there is no DEFAULT clause or the last one is the literal NULL
 * @param generated   an {@code AS (...)} / {@code GENERATED ALWAYS AS (...)} column
 * @param keyOrUnique a PRIMARY KEY or UNIQUE column, which ADD COLUMN refuses whatever the foreign keys
 */
record ColumnDefinition(String name, List<String> parents, String defaultText, boolean defaultNull,
                        boolean generated, boolean keyOrUnique) {

    /** Words that end a type name and start a column constraint. */
    private static final String[] CONSTRAINT_STARTS = {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK",
        "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"};

    /** True when SQLite with {@code foreign_keys=ON} refuses to add this column to a table that has rows. */
    boolean refusedWhileKeysAreOn() {
        return !parents.isEmpty() && !defaultNull && !generated && !keyOrUnique;
    }

    /**
     * Parses the tokens of one column definition (what follows {@code ADD [COLUMN]}), or returns empty when they do
     * not follow the grammar: SQLite then refuses the statement itself, with its own message.
     */
    static Optional<ColumnDefinition> parse(List<SqlText.Token> tokens) {
        Cursor c = new Cursor(tokens);
        if (c.atEnd() || !(c.peek().word() || c.peek().string())) {
            return Optional.empty();
        }
        String name = c.next().text();
        // type name: words (and strings), then an optional (n) or (n, m)
        while (!c.atEnd() && (c.peek().word() || c.peek().string()) && !startsConstraint(c.peek())) {
            c.next();
        }
        if (!c.atEnd() && c.peek().isPunct("(")) {
            if (!c.skipGroup()) {
                return Optional.empty();
            }
        }
        List<String> parents = new ArrayList<>();
        String defaultText = null;
        boolean defaultNull = true;
        boolean generated = false;
        boolean keyOrUnique = false;
        while (!c.atEnd()) {
            if (c.accept("CONSTRAINT")) {
                if (c.atEnd() || !(c.peek().word() || c.peek().string())) {
                    return Optional.empty();
                }
                c.next();
            } else if (c.accept("PRIMARY")) {
                if (!c.accept("KEY")) {
                    return Optional.empty();
                }
                keyOrUnique = true;
                c.skipAny("ASC", "DESC");
                if (!c.conflictClause()) {
                    return Optional.empty();
                }
                c.skipAny("AUTOINCREMENT");
            } else if (c.accept("NOT")) {
                if (!c.accept("NULL") || !c.conflictClause()) {
                    return Optional.empty();
                }
            } else if (c.accept("NULL")) {
                if (!c.conflictClause()) {
                    return Optional.empty();
                }
            } else if (c.accept("UNIQUE")) {
                keyOrUnique = true;
                if (!c.conflictClause()) {
                    return Optional.empty();
                }
            } else if (c.accept("CHECK")) {
                if (!c.skipGroup()) {
                    return Optional.empty();
                }
            } else if (c.accept("DEFAULT")) {
                Optional<List<SqlText.Token>> expr = c.defaultExpression();
                if (expr.isEmpty()) {
                    return Optional.empty();
                }
                defaultText = text(expr.get());
                defaultNull = isNullLiteral(expr.get());
            } else if (c.accept("COLLATE")) {
                if (c.atEnd() || !(c.peek().word() || c.peek().string())) {
                    return Optional.empty();
                }
                c.next();
            } else if (c.accept("REFERENCES")) {
                if (c.atEnd() || !(c.peek().word() || c.peek().string())) {
                    return Optional.empty();
                }
                parents.add(c.next().text());
                if (!c.atEnd() && c.peek().isPunct("(") && !c.skipGroup()) {
                    return Optional.empty();
                }
                if (!c.foreignKeyClauseTail()) {
                    return Optional.empty();
                }
            } else if (c.accept("GENERATED")) {
                if (!c.accept("ALWAYS") || !c.accept("AS") || !c.skipGroup()) {
                    return Optional.empty();
                }
                generated = true;
                c.skipAny("STORED", "VIRTUAL");
            } else if (c.accept("AS")) {
                if (!c.skipGroup()) {
                    return Optional.empty();
                }
                generated = true;
                c.skipAny("STORED", "VIRTUAL");
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new ColumnDefinition(name, List.copyOf(parents), defaultText, defaultNull, generated,
                keyOrUnique));
    }

    private static boolean startsConstraint(SqlText.Token t) {
        for (String k : CONSTRAINT_STARTS) {
            if (t.is(k)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLite's test: the default expression is the literal NULL. Parentheses do not make a node of their own, and
     * {@code DEFAULT +literal} drops the plus; any other operator, {@code -NULL} or {@code (+NULL)}, is an expression.
     */
    private static boolean isNullLiteral(List<SqlText.Token> expr) {
        List<SqlText.Token> e = expr;
        if (e.size() == 2 && e.get(0).isPunct("+")) {
            return e.get(1).is("NULL");
        }
        while (e.size() >= 2 && e.get(0).isPunct("(") && e.get(e.size() - 1).isPunct(")")
                && closes(e, 0) == e.size() - 1) {
            e = e.subList(1, e.size() - 1);
        }
        return e.size() == 1 && e.get(0).is("NULL");
    }

    /** The index of the parenthesis that closes the one at {@code open}, or -1. */
    private static int closes(List<SqlText.Token> e, int open) {
        int depth = 0;
        for (int i = open; i < e.size(); i++) {
            if (e.get(i).isPunct("(")) {
                depth++;
            } else if (e.get(i).isPunct(")")) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The tokens as SQL again, for a message: names and strings quoted, a space only where the text had one. */
    private static String text(List<SqlText.Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            SqlText.Token t = tokens.get(i);
            boolean spaced = i > 0 && (t.start() < 0 || tokens.get(i - 1).end() < t.start());
            sb.append(spaced ? " " : "").append(t.string() ? SqlText.literal(t.text()) : t.quoted() ? SqlText.id(t.text()) : t.text());
        }
        return sb.toString();
    }

    private static final class Cursor extends SqlCursor {
        Cursor(List<SqlText.Token> tokens) {
            super(tokens);
        }

        /** A balanced {@code ( ... )} group at the cursor. */
        boolean skipGroup() {
            if (atEnd() || !peek().isPunct("(")) {
                return false;
            }
            int end = closes(tokens, i);
            if (end < 0) {
                return false;
            }
            i = end + 1;
            return true;
        }

        /** An optional {@code ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE}. */
        boolean conflictClause() {
            if (!accept("ON")) {
                return true;
            }
            if (!accept("CONFLICT") || atEnd() || !peek().word() || peek().quoted()) {
                return false;
            }
            i++;
            return true;
        }

        /**
         * What DEFAULT takes: a parenthesized expression, or one literal with an optional sign (a number may be
         * several tokens here, {@code 1.5}, {@code 1e-5}, and a blob is {@code x} followed by a string).
         */
        Optional<List<SqlText.Token>> defaultExpression() {
            int from = i;
            if (!atEnd() && peek().isPunct("(")) {
                return skipGroup() ? Optional.of(tokens.subList(from, i)) : Optional.empty();
            }
            if (!atEnd() && (peek().isPunct("+") || peek().isPunct("-"))) {
                i++;
            }
            if (atEnd() || !(peek().word() || peek().string())) {
                return Optional.empty();
            }
            SqlText.Token first = next();
            if (first.is("NULL")) {
                return Optional.of(tokens.subList(from, i));
            }
            // the rest of a number or blob: anything up to the next constraint
            while (!atEnd() && !startsConstraint(peek()) && !peek().isPunct("(")) {
                i++;
            }
            return Optional.of(tokens.subList(from, i));
        }

        /** {@code ON DELETE|UPDATE action}, {@code MATCH name}, {@code [NOT] DEFERRABLE [INITIALLY ...]}, in any number. */
        boolean foreignKeyClauseTail() {
            while (!atEnd()) {
                if (accept("ON")) {
                    if (!accept("DELETE") && !accept("UPDATE")) {
                        return false;
                    }
                    if (accept("SET")) {
                        if (!accept("NULL") && !accept("DEFAULT")) {
                            return false;
                        }
                    } else if (accept("NO")) {
                        if (!accept("ACTION")) {
                            return false;
                        }
                    } else if (!accept("CASCADE") && !accept("RESTRICT")) {
                        return false;
                    }
                } else if (accept("MATCH")) {
                    if (atEnd() || !peek().word()) {
                        return false;
                    }
                    i++;
                } else if (!atEnd() && peek().is("NOT") && i + 1 < tokens.size() && tokens.get(i + 1).is("DEFERRABLE")) {
                    i += 2;
                    deferrableTail();
                } else if (accept("DEFERRABLE")) {
                    deferrableTail();
                } else {
                    return true;
                }
            }
            return true;
        }

        private void deferrableTail() {
            if (accept("INITIALLY")) {
                skipAny("DEFERRED", "IMMEDIATE");
            }
        }
    }
}
