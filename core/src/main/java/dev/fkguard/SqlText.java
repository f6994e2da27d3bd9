package dev.fkguard;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough of SQLite's tokenizer to read what the pragmas do not tell: a column's declared
 * collation, WITHOUT ROWID, and whether each REFERENCES clause is DEFERRABLE INITIALLY DEFERRED.
 * Also identifier and literal quoting for the SQL fkguard writes.
 */
final class SqlText {
    private SqlText() {
    }

    /** True for {@code [A-Za-z0-9_]}, the ASCII word characters: what trigger names and unquoted collation names are made of. */
    static boolean isAsciiWordChar(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
    }

    /**
     * {@code "name"} with embedded double quotes doubled: safe for any identifier. Always quoted: leaving
     * the quotes out where SQLite does not need them saved only 1 % of the schema parse (measured on 3.40)
     * and changes what a stale trigger does (a bare unknown name fails, a quoted one may be read as a
     * string), which {@link StaleTriggers} reports from the quoted text.
     */
    static String id(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }


    /** {@code 'text'} with embedded single quotes doubled. */
    static String literal(String text) {
        return '\'' + text.replace("'", "''") + '\'';
    }

    /**
     * A token: {@code word} is true for bare words and quoted identifiers, whose text is unquoted;
     * {@code string} for a '...' literal, whose text is its content. {@code start} and {@code end} delimit it in
     * the SQL text (end exclusive, quotes included), or are -1 for a token made by hand.
     */
    record Token(String text, boolean word, boolean quoted, boolean string, int start, int end) {
        Token(String text, boolean word, boolean quoted) {
            this(text, word, quoted, false, -1, -1);
        }

        boolean is(String keyword) {
            return word && !quoted && Schema.same(text, keyword);
        }

        /** This punctuation character, e.g. {@code (} or {@code .}. */
        boolean isPunct(String p) {
            return !word && !string && text.equals(p);
        }
    }

    static List<Token> tokenize(String sql) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < n) {
                    char d = sql.charAt(j);
                    if (d == close) {
                        if (close != ']' && j + 1 < n && sql.charAt(j + 1) == close) {
                            sb.append(d);
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    sb.append(d);
                    j++;
                }
                out.add(new Token(sb.toString(), c != '\'', c != '\'', c == '\'', i, Math.min(j + 1, n)));
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$' || sql.charAt(j) > 127)) {
                    j++;
                }
                out.add(new Token(sql.substring(i, j), true, false, false, i, j));
                i = j;
            } else {
                out.add(new Token(String.valueOf(c), false, false, false, i, i + 1));
                i++;
            }
        }
        return out;
    }

    /** What the CREATE TABLE text says beyond the pragmas. */
    record TableText(Map<String, String> collations, boolean withoutRowid, List<Boolean> deferredReferences,
                     boolean replacesOnConflict) {
    }

    /**
     * Reads a CREATE TABLE statement.
     *
     * @return column collations keyed by {@link Schema#key} of the column name, WITHOUT ROWID, and for every
     *         REFERENCES clause in textual order (which is declaration order) whether it is
     *         DEFERRABLE INITIALLY DEFERRED
     */
    static TableText readCreateTable(String sql) {
        Map<String, String> collations = new HashMap<>();
        List<Boolean> deferred = new ArrayList<>();
        List<Token> tokens = tokenize(sql == null ? "" : sql);
        int open = -1;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("AS")) {
                return new TableText(collations, false, deferred, false);
            }
            if (t.isPunct("(")) {
                open = i;
                break;
            }
        }
        if (open < 0) {
            return new TableText(collations, false, deferred, false);
        }
        int depth = 0;
        int close = tokens.size();
        List<List<Token>> items = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (int i = open + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isPunct("(")) {
                depth++;
            } else if (t.isPunct(")")) {
                if (depth == 0) {
                    close = i;
                    break;
                }
                depth--;
            } else if (depth == 0 && t.isPunct(",")) {
                items.add(current);
                current = new ArrayList<>();
                continue;
            }
            current.add(depth == 0 ? t : new Token(t.text(), t.word(), true, t.string(), t.start(), t.end()));
        }
        items.add(current);
        boolean replaces = false;
        for (List<Token> item : items) {
            if (item.isEmpty()) {
                continue;
            }
            replaces |= replacesOnConflict(item);
            Token first = item.get(0);
            boolean constraint = first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE")
                    || first.is("CHECK") || first.is("FOREIGN");
            for (int i = 0; i < item.size(); i++) {
                Token t = item.get(i);
                if (!constraint && t.is("COLLATE") && i + 1 < item.size() && item.get(i + 1).word()) {
                    collations.put(Schema.key(first.text()), item.get(i + 1).text());
                }
                if (t.is("REFERENCES")) {
                    deferred.add(isDeferredClause(item, i + 1));
                }
            }
        }
        boolean withoutRowid = false;
        for (int i = close + 1; i + 1 < tokens.size(); i++) {
            if (tokens.get(i).is("WITHOUT") && tokens.get(i + 1).is("ROWID")) {
                withoutRowid = true;
            }
        }
        return new TableText(collations, withoutRowid, deferred, replaces);
    }

    /**
     * True when a PRIMARY KEY or UNIQUE constraint of this column definition or table constraint says ON
     * CONFLICT REPLACE: a plain INSERT or UPDATE that collides with it then deletes the old row.
     * (NOT NULL ON CONFLICT REPLACE only puts the default in place of a NULL.)
     */
    private static boolean replacesOnConflict(List<Token> item) {
        String constraint = "";
        for (int i = 0; i < item.size(); i++) {
            Token t = item.get(i);
            for (String k : new String[] {"PRIMARY", "UNIQUE", "NULL", "CHECK", "DEFAULT", "COLLATE", "REFERENCES",
                    "GENERATED", "AS", "CONSTRAINT"}) {
                if (t.is(k)) {
                    constraint = k;
                }
            }
            if (t.is("ON") && i + 2 < item.size() && item.get(i + 1).is("CONFLICT") && item.get(i + 2).is("REPLACE")
                    && (constraint.equals("PRIMARY") || constraint.equals("UNIQUE"))) {
                return true;
            }
        }
        return false;
    }

    /** Scans one REFERENCES clause (up to the next REFERENCES) for DEFERRABLE INITIALLY DEFERRED, not preceded by NOT. */
    private static boolean isDeferredClause(List<Token> item, int from) {
        for (int i = from; i < item.size(); i++) {
            Token t = item.get(i);
            if (t.is("REFERENCES")) {
                return false;
            }
            if (t.is("DEFERRABLE")) {
                boolean not = i > 0 && item.get(i - 1).is("NOT");
                boolean initiallyDeferred = i + 2 < item.size() && item.get(i + 1).is("INITIALLY")
                        && item.get(i + 2).is("DEFERRED");
                return !not && initiallyDeferred;
            }
        }
        return false;
    }
}
