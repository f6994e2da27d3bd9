package dev.fkguard;

import java.util.ArrayList;
import java.util.List;

/**
 * Says what one SQL text (one statement, or several separated by semicolons) does to the tables that
 * fkguard's triggers name, so that the triggers can stay in place during a migration and step aside only
 * where a statement needs it. Reads the text with {@link SqlText#tokenize} (quoted identifiers, comments,
 * string literals, schema prefixes).
 *
 * <p>Conservative: a statement whose effect it cannot tell for sure is {@link Kind#UNKNOWN}, and the caller
 * then steps aside completely. Only statements that certainly leave every table and column in place
 * (queries, DML, transaction control, CREATE/DROP of indexes, views and user triggers, ...) are
 * {@link Kind#HARMLESS}.
 */
final class StatementClassifier {
    private StatementClassifier() {
    }

    enum Kind {
        /** Changes no table or column: triggers stay as they are. */
        HARMLESS,
        /** {@code CREATE TABLE table}: its keys are new, their rows must be checked at the end. */
        CREATE_TABLE,
        /** {@code DROP TABLE table}: every trigger naming it must go first. */
        DROP_TABLE,
        /** {@code ALTER TABLE table ADD COLUMN}: may declare a new key (column REFERENCES). */
        ADD_COLUMN,
        /** {@code ALTER TABLE table DROP COLUMN column}: every trigger naming that column of the table must go first. */
        DROP_COLUMN,
        /** {@code ALTER TABLE table RENAME TO newName}. */
        RENAME_TABLE,
        /** {@code ALTER TABLE table RENAME [COLUMN] column TO newName}. */
        RENAME_COLUMN,
        /** {@code CREATE INDEX ... ON table}: may make a parent key unique. */
        CREATE_INDEX,
        /** {@code DROP INDEX index} (the index name is in {@code table}): may leave a parent key without its unique index. */
        DROP_INDEX,
        /**
         * {@code CREATE TRIGGER ... ON table} or {@code DROP TRIGGER name} (the trigger name is in {@code column}) of the
         * user's: changes no table, but a broken key's B.6 trigger depends on the parent's INSERT triggers.
         */
        USER_TRIGGER,
        /** Anything else: fkguard cannot tell what it does, so its triggers step aside completely. */
        UNKNOWN
    }

    /**
     * What one statement does.
     *
     * @param schema  the schema prefix as written ({@code main.t}), or null when there was none
     * @param table   the table concerned, unquoted, or null
     * @param column  the column concerned (DROP COLUMN, RENAME COLUMN), or null
     * @param newName the new name (RENAME), or null
     * @param added   the column definition that ADD COLUMN adds, or null (not ADD COLUMN, or not one fkguard can read)
     */
    record Effect(Kind kind, String schema, String table, String column, String newName, ColumnDefinition added) {
        Effect(Kind kind, String schema, String table, String column, String newName) {
            this(kind, schema, table, column, newName, null);
        }

        static Effect of(Kind kind) {
            return new Effect(kind, null, null, null, null);
        }

        /** True for the statements that make SQLite re-resolve every trigger of the schema (and so fail on one that dangles). */
        boolean resolvesTriggers() {
            return kind == Kind.DROP_COLUMN || kind == Kind.RENAME_TABLE || kind == Kind.RENAME_COLUMN;
        }

        /** True when the statement is about {@code schemaName} (no prefix, {@code temp} aside, counts as any). */
        boolean concerns(String schemaName) {
            return schema == null || Schema.key(schema).equals(Schema.key(schemaName));
        }
    }

    /** The effects of every statement in {@code sql}, in order; an empty text has none. */
    static List<Effect> classify(String sql) {
        if (sql != null && isSingleDml(sql)) {
            return List.of(Effect.of(Kind.HARMLESS));
        }
        return tokenized(sql);
    }

    /** {@link #classify} without the DML shortcut: every text through the tokenizer. */
    static List<Effect> tokenized(String sql) {
        List<Effect> out = new ArrayList<>();
        List<SqlText.Token> current = new ArrayList<>();
        int depth = 0;
        boolean inTriggerBody = false;
        int cases = 0;
        for (SqlText.Token t : SqlText.tokenize(sql == null ? "" : sql)) {
            if (!inTriggerBody && t.is("BEGIN") && !current.isEmpty() && isCreateTrigger(current)) {
                inTriggerBody = true;
                cases = 0;
            } else if (inTriggerBody && t.is("CASE")) {
                cases++;
            } else if (inTriggerBody && t.is("END")) {
                if (cases > 0) {
                    cases--;
                } else {
                    inTriggerBody = false;
                }
            }
            if (!t.word() && !t.quoted()) {
                if (t.text().equals("(")) {
                    depth++;
                } else if (t.text().equals(")")) {
                    depth--;
                }
            }
            if (!t.word() && !t.quoted() && t.text().equals(";") && depth <= 0 && !inTriggerBody) {
                if (!current.isEmpty()) {
                    out.add(one(current));
                }
                current = new ArrayList<>();
                depth = 0;
                continue;
            }
            current.add(t);
        }
        if (!current.isEmpty()) {
            out.add(one(current));
        }
        return out;
    }

    private static final String[] DML = {"INSERT", "UPDATE", "DELETE", "REPLACE", "SELECT", "VALUES"};

    /**
     * The shortcut for a migration's bulk of statements: text that starts with a DML keyword (no comment or
     * quote before it) and holds no semicolon except at its very end is one DML statement, which changes no
     * table or column. Anything else (a semicolon inside a string literal included) takes the tokenizer.
     */
    static boolean isSingleDml(String sql) {
        int start = 0;
        int n = sql.length();
        while (start < n && Character.isWhitespace(sql.charAt(start))) {
            start++;
        }
        int end = n;
        while (end > start && (Character.isWhitespace(sql.charAt(end - 1)) || sql.charAt(end - 1) == ';')) {
            end--;
        }
        int semicolon = sql.indexOf(';', start);
        if (semicolon >= 0 && semicolon < end) {
            return false;
        }
        for (String keyword : DML) {
            int k = start + keyword.length();
            if (sql.regionMatches(true, start, keyword, 0, keyword.length())
                    && k < end && !Character.isLetterOrDigit(sql.charAt(k)) && sql.charAt(k) != '_') {
                return true;
            }
        }
        return false;
    }

    private static boolean isCreateTrigger(List<SqlText.Token> tokens) {
        int i = 0;
        if (!tokens.get(i).is("CREATE")) {
            return false;
        }
        i++;
        if (i < tokens.size() && (tokens.get(i).is("TEMP") || tokens.get(i).is("TEMPORARY"))) {
            i++;
        }
        return i < tokens.size() && tokens.get(i).is("TRIGGER");
    }

    /** One statement, tokens without the final semicolon. */
    static Effect one(List<SqlText.Token> t) {
        Cursor c = new Cursor(t);
        if (c.is("EXPLAIN")) {
            return Effect.of(Kind.HARMLESS);
        }
        String first = c.word();
        if (first == null) {
            return Effect.of(Kind.UNKNOWN);
        }
        switch (first.toUpperCase(java.util.Locale.ROOT)) {
            case "SELECT", "VALUES", "INSERT", "REPLACE", "UPDATE", "DELETE", "WITH",
                    "BEGIN", "COMMIT", "END", "SAVEPOINT", "RELEASE", "ROLLBACK",
                    "ANALYZE", "REINDEX", "VACUUM", "ATTACH", "DETACH" -> {
                return Effect.of(Kind.HARMLESS);
            }
            case "PRAGMA" -> {
                return pragma(c);
            }
            case "CREATE" -> {
                return create(c);
            }
            case "DROP" -> {
                return drop(c);
            }
            case "ALTER" -> {
                return alter(c);
            }
            default -> {
                return Effect.of(Kind.UNKNOWN);
            }
        }
    }

    /** Pragmas that change how the schema is read or rewritten are unknown; the rest read or set connection state. */
    private static Effect pragma(Cursor c) {
        Name n = c.name();
        if (n == null) {
            return Effect.of(Kind.UNKNOWN);
        }
        String p = n.name().toLowerCase(java.util.Locale.ROOT);
        if (p.equals("writable_schema") || p.equals("legacy_alter_table") || p.equals("schema_version")) {
            return Effect.of(Kind.UNKNOWN);
        }
        return Effect.of(Kind.HARMLESS);
    }

    private static Effect create(Cursor c) {
        c.skipEach("TEMP", "TEMPORARY", "UNIQUE", "VIRTUAL");
        if (c.accept("TABLE")) {
            if (c.accept("IF")) {
                if (!c.accept("NOT") || !c.accept("EXISTS")) {
                    return Effect.of(Kind.UNKNOWN);
                }
            }
            Name n = c.name();
            return n == null ? Effect.of(Kind.UNKNOWN) : new Effect(Kind.CREATE_TABLE, n.schema(), n.name(), null, null);
        }
        if (c.accept("INDEX")) {
            if (c.accept("IF")) {
                if (!c.accept("NOT") || !c.accept("EXISTS")) {
                    return Effect.of(Kind.UNKNOWN);
                }
            }
            Name index = c.name();
            if (index == null || !c.accept("ON")) {
                return Effect.of(Kind.UNKNOWN);
            }
            String table = c.identifier();
            return table == null ? Effect.of(Kind.UNKNOWN) : new Effect(Kind.CREATE_INDEX, index.schema(), table, null, null);
        }
        if (c.accept("VIEW")) {
            return Effect.of(Kind.HARMLESS);
        }
        if (c.accept("TRIGGER")) {
            return ofTrigger(c, true);
        }
        return Effect.of(Kind.UNKNOWN);
    }

    private static Effect drop(Cursor c) {
        if (c.accept("TABLE")) {
            if (c.accept("IF") && !c.accept("EXISTS")) {
                return Effect.of(Kind.UNKNOWN);
            }
            Name n = c.name();
            return n == null || !c.atEnd() ? Effect.of(Kind.UNKNOWN)
                    : new Effect(Kind.DROP_TABLE, n.schema(), n.name(), null, null);
        }
        if (c.accept("INDEX")) {
            if (c.accept("IF") && !c.accept("EXISTS")) {
                return Effect.of(Kind.UNKNOWN);
            }
            Name index = c.name();
            return index == null || !c.atEnd() ? Effect.of(Kind.UNKNOWN)
                    : new Effect(Kind.DROP_INDEX, index.schema(), index.name(), null, null);
        }
        if (c.accept("VIEW")) {
            return Effect.of(Kind.HARMLESS);
        }
        if (c.accept("TRIGGER")) {
            return ofTrigger(c, false);
        }
        return Effect.of(Kind.UNKNOWN);
    }

    /**
     * A user's trigger is harmless; creating or dropping one of fkguard's by hand (or anything named like one) is not
     * something to guess about.
     */
    private static Effect ofTrigger(Cursor c, boolean create) {
        if (c.accept("IF")) {
            c.skipEach("NOT");
            c.skipEach("EXISTS");
        }
        Name n = c.name();
        if (n == null || n.name().regionMatches(true, 0, TriggerNames.PREFIX, 0, TriggerNames.PREFIX.length())) {
            return Effect.of(Kind.UNKNOWN);
        }
        if (!create) {
            return new Effect(Kind.USER_TRIGGER, n.schema(), null, n.name(), null);
        }
        // the table follows the first bare ON (a name that is a keyword must be quoted)
        c.skipTo("ON");
        String table = c.accept("ON") ? c.identifier() : null;
        return table == null ? Effect.of(Kind.UNKNOWN) : new Effect(Kind.USER_TRIGGER, n.schema(), table, n.name(), null);
    }

    private static Effect alter(Cursor c) {
        if (!c.accept("TABLE")) {
            return Effect.of(Kind.UNKNOWN);
        }
        Name n = c.name();
        if (n == null) {
            return Effect.of(Kind.UNKNOWN);
        }
        if (c.accept("ADD")) {
            c.accept("COLUMN");
            ColumnDefinition added = ColumnDefinition.parse(c.rest()).orElse(null);
            return new Effect(Kind.ADD_COLUMN, n.schema(), n.name(), added == null ? null : added.name(), null, added);
        }
        if (c.accept("DROP")) {
            c.skipEach("COLUMN");
            String col = c.identifier();
            return col == null || !c.atEnd() ? Effect.of(Kind.UNKNOWN)
                    : new Effect(Kind.DROP_COLUMN, n.schema(), n.name(), col, null);
        }
        if (c.accept("RENAME")) {
            if (c.accept("TO")) {
                String to = c.identifier();
                return to == null || !c.atEnd() ? Effect.of(Kind.UNKNOWN)
                        : new Effect(Kind.RENAME_TABLE, n.schema(), n.name(), null, to);
            }
            c.skipEach("COLUMN");
            String col = c.identifier();
            if (col == null || !c.accept("TO")) {
                return Effect.of(Kind.UNKNOWN);
            }
            String to = c.identifier();
            return to == null || !c.atEnd() ? Effect.of(Kind.UNKNOWN)
                    : new Effect(Kind.RENAME_COLUMN, n.schema(), n.name(), col, to);
        }
        return Effect.of(Kind.UNKNOWN);
    }

    private record Name(String schema, String name) {
    }

    /** The statement's cursor: names, schema prefixes and the rest of a statement. */
    private static final class Cursor extends SqlCursor {
        Cursor(List<SqlText.Token> tokens) {
            super(tokens);
        }

        /** Moves to the next bare {@code keyword}, or to the end. */
        void skipTo(String keyword) {
            while (!atEnd() && !is(keyword)) {
                i++;
            }
        }

        /** The tokens not read yet. */
        List<SqlText.Token> rest() {
            return tokens.subList(Math.min(i, tokens.size()), tokens.size());
        }

        /** A bare word, as the statement's first keyword. */
        String word() {
            if (atEnd() || !tokens.get(i).word() || tokens.get(i).quoted()) {
                return null;
            }
            return tokens.get(i++).text();
        }

        /** One identifier, bare or quoted. A string literal (which SQLite also takes here) is not read: the statement is then unknown. */
        String identifier() {
            if (atEnd() || !tokens.get(i).word()) {
                return null;
            }
            return tokens.get(i++).text();
        }

        /** {@code name} or {@code schema.name}. */
        Name name() {
            String first = identifier();
            if (first == null) {
                return null;
            }
            if (!atEnd() && !tokens.get(i).word() && tokens.get(i).text().equals(".")) {
                i++;
                String second = identifier();
                return second == null ? null : new Name(first, second);
            }
            return new Name(null, first);
        }
    }
}
