package dev.fkguard;

import dev.fkguard.SqlText.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stale-trigger diagnosis: which installed fkguard triggers name a table or a column that no longer
 * exists, and what that breaks. Schema in, findings out; no database is needed.
 *
 * <p>What breaks depends on how the trigger names the missing thing (checked against SQLite in
 * {@code StaleTriggersTest}):
 * <ul>
 * <li>a table, or a column with a qualifier ({@code OLD."c"}, {@code "fkg_c"."c"}): SQLite cannot
 *     compile the trigger, so every statement that fires it fails ({@code no such table: main.review}),
 *     and since 3.26 every {@code ALTER TABLE ... RENAME} and {@code DROP COLUMN} of the schema fails too,
 *     because they re-resolve every trigger;</li>
 * <li>a column assigned by {@code UPDATE ... SET}: the firing statement fails; RENAME does not check it;</li>
 * <li>a bare {@code "c"} in a condition: SQLite builds that accept double-quoted strings read it as
 *     the string {@code 'c'}, so the trigger runs and silently does nothing for the key (a cascade
 *     deletes no row); builds that do not, fail the firing statement.</li>
 * </ul>
 * A tool that drops or rebuilds a table without knowing about fkguard leaves such triggers behind;
 * {@code fkguard sync} replaces them.
 *
 * <p>The trigger text is read the way fkguard writes it: tables follow FROM, JOIN, UPDATE or INTO;
 * columns are qualified by NEW, OLD, a table alias or a table, or stand bare in the statement that
 * changes their table ({@code UPDATE t SET "c" = ...}, {@code DELETE FROM t WHERE ... "c"}).
 */
final class StaleTriggers {
    private static final Set<String> TABLE_BEFORE = Set.of("FROM", "JOIN", "UPDATE", "INTO");

    private StaleTriggers() {
    }

    /** Every fkguard trigger of the schema that names something missing, in creation order. */
    static List<Report.StaleTrigger> find(Schema schema) {
        return find(schema, schema.triggers());
    }

    /**
     * Those of {@code candidates} (triggers of the schema) that are fkguard's and name something missing, in creation
     * order. A plan passes only the triggers its diff drops: a kept trigger is exactly a planned one, and the
     * planner names only tables and columns the schema has.
     */
    static List<Report.StaleTrigger> find(Schema schema, List<Schema.Trigger> candidates) {
        List<Report.StaleTrigger> out = new ArrayList<>();
        if (candidates.isEmpty()) {
            return out;
        }
        Set<Schema.Trigger> among = new HashSet<>(candidates);
        for (Schema.Trigger t : schema.triggers()) {
            if (!among.contains(t)) {
                continue;
            }
            if (TriggerNames.isManaged(t.name())) {
                diagnose(t, schema).ifPresent(out::add);
            }
        }
        return out;
    }

    static Optional<Report.StaleTrigger> diagnose(Schema.Trigger trigger, Schema schema) {
        List<Token> tokens = SqlText.tokenize(trigger.sql() == null ? "" : trigger.sql());
        Names missing = new Names(schema, trigger.table());
        int begin = 0;
        while (begin < tokens.size() && !tokens.get(begin).is("BEGIN")) {
            begin++;
        }
        List<String> updateOf = updateOf(tokens.subList(0, begin));
        missing.scan(tokens.subList(0, begin));
        List<Token> statement = new ArrayList<>();
        for (Token t : tokens.subList(Math.min(begin + 1, tokens.size()), tokens.size())) {
            if (t.isPunct(";") || t.is("END")) {
                missing.scan(statement);
                statement.clear();
            } else {
                statement.add(t);
            }
        }
        missing.scan(statement);
        if (missing.tables.isEmpty() && missing.columns.isEmpty()) {
            return Optional.empty();
        }
        String firing = firing(trigger, updateOf);
        boolean unresolvable = !missing.tables.isEmpty() || missing.qualified;
        List<String> fails = new ArrayList<>();
        if (unresolvable || missing.setTarget) {
            fails.add(firing);
        }
        if (unresolvable) {
            fails.add("ALTER TABLE ... RENAME on any table");
            fails.add("ALTER TABLE ... DROP COLUMN on any table");
        }
        List<String> what = new ArrayList<>();
        if (!missing.tables.isEmpty()) {
            what.add((missing.tables.size() == 1 ? "table " : "tables ") + String.join(", ", missing.tables));
        }
        if (!missing.columns.isEmpty()) {
            what.add((missing.columns.size() == 1 ? "column " : "columns ") + String.join(", ", missing.columns));
        }
        boolean one = missing.tables.size() + missing.columns.size() == 1;
        String effect = !fails.isEmpty() ? firing + " fails"
                // a bare "name" that resolves to no column is read as a string where the build allows it
                : firing + " fails, or (where SQLite reads an unknown double-quoted name as a string) silently"
                        + " skips what the trigger does for the key";
        String message = trigger.name() + " names " + String.join(" and ", what) + ", which no longer exist"
                + (one ? "s" : "") + ": " + effect + (unresolvable ? ", and ALTER TABLE RENAME / DROP COLUMN fail on"
                + " every table" : "") + ", until `fkguard sync` replaces it";
        return Optional.of(new Report.StaleTrigger(trigger.name(), trigger.table(), List.copyOf(missing.tables),
                List.copyOf(missing.columns), fails, message));
    }

    /** The statements that fire the trigger, by its kind: {@code DELETE FROM book}, {@code UPDATE OF id ON book}. */
    private static String firing(Schema.Trigger trigger, List<String> updateOf) {
        String kind = TriggerNames.kindOf(trigger.name());
        String table = trigger.table();
        return switch (kind == null ? "" : kind) {
            case "ins" -> "INSERT INTO " + table;
            case "pdel" -> "DELETE FROM " + table;
            case "upd", "pupd" -> "UPDATE of " + table + "(" + String.join(", ", updateOf) + ")";
            default -> "every statement that fires it on " + table;
        };
    }

    /** The quoted column names after {@code UPDATE OF} in the trigger's header (rowid and its aliases left out). */
    private static List<String> updateOf(List<Token> header) {
        List<String> cols = new ArrayList<>();
        boolean in = false;
        for (Token t : header) {
            if (t.is("OF")) {
                in = true;
            } else if (in && t.is("ON")) {
                break;
            } else if (in && t.quoted()) {
                cols.add(t.text());
            }
        }
        return cols;
    }

    /** How a trigger names a column: qualified ({@code OLD."c"}, {@code "fkg_c"."c"}), as SET target, or bare. */
    private enum Use { QUALIFIED, SET, BARE }

    /** Collects, statement by statement, the tables and columns a trigger names that the schema lacks. */
    private static final class Names {
        final Schema schema;
        final String triggerTable;
        final Set<String> tables = new LinkedHashSet<>();
        final Set<String> columns = new LinkedHashSet<>();
        /** A missing column named with a qualifier: like a missing table, it stops the trigger compiling and every RENAME. */
        boolean qualified;
        /** A missing column assigned by UPDATE ... SET: the firing statement fails, RENAME does not check it. */
        boolean setTarget;

        Names(Schema schema, String triggerTable) {
            this.schema = schema;
            this.triggerTable = triggerTable;
        }

        /** Records the column if its table exists without it; {@code use} says how the trigger names it. */
        void column(String table, String column, Use use) {
            Optional<Schema.Table> t = schema.table(table);
            if (t.isPresent() && t.get().column(column).isEmpty()) {
                columns.add(t.get().name() + "." + column);
                qualified |= use == Use.QUALIFIED;
                setTarget |= use == Use.SET;
            }
        }

        void scan(List<Token> s) {
            Map<String, String> aliases = new HashMap<>();
            Set<String> ctes = new HashSet<>(); // names of common table expressions and of their columns
            for (int i = 0; i < s.size(); i++) {
                if (s.get(i).is("WITH")) {
                    int j = i + 1 < s.size() && s.get(i + 1).is("RECURSIVE") ? i + 2 : i + 1;
                    if (j < s.size()) {
                        ctes.add(key(s.get(j).text()));
                        for (int k = j + 2; isPunct(s, j + 1, "(") && k < s.size() && !s.get(k).isPunct(")"); k++) {
                            if (s.get(k).quoted()) {
                                ctes.add(key(s.get(k).text()));
                            }
                        }
                    }
                }
                if (isTableKeyword(s.get(i)) && i + 3 < s.size() && s.get(i + 1).word() && !isPunct(s, i + 2, ".")
                        && s.get(i + 2).is("AS")) {
                    aliases.put(key(s.get(i + 3).text()), s.get(i + 1).text());
                }
            }
            String target = null;
            boolean inSet = false;
            for (int i = 0; i < s.size(); i++) {
                Token t = s.get(i);
                if (t.is("SET")) {
                    inSet = true;
                } else if (t.is("WHERE")) {
                    inSet = false;
                }
                if (t.is("UPDATE") || t.is("DELETE") && i + 1 < s.size() && s.get(i + 1).is("FROM")) {
                    int at = t.is("UPDATE") ? i + 1 : i + 2;
                    if (at < s.size() && s.get(at).quoted()) {
                        target = s.get(at).text();
                    }
                }
                if (isTableKeyword(t) && i + 1 < s.size() && s.get(i + 1).quoted() && !isPunct(s, i + 2, ".")) {
                    String table = s.get(i + 1).text();
                    if (s.get(Math.min(i + 2, s.size() - 1)).is("AS") && i + 3 < s.size()) {
                        // an alias binds from here on: one statement can hold several subqueries that reuse an
                        // alias for different tables (the checks fused into one SELECT CASE)
                        aliases.put(key(s.get(i + 3).text()), table);
                    }
                    if (!ctes.contains(key(table)) && schema.table(table).isEmpty()) {
                        tables.add(table);
                    }
                    i += s.get(Math.min(i + 2, s.size() - 1)).is("AS") ? 3 : 1;
                } else if ((t.quoted() || t.is("NEW") || t.is("OLD")) && isPunct(s, i + 1, ".") && i + 2 < s.size()) {
                    // NEW / OLD: the trigger's table; an alias: its table; a CTE: nothing to check; else a table name
                    Token col = s.get(i + 2);
                    String table = !t.quoted() ? triggerTable
                            : aliases.getOrDefault(key(t.text()), ctes.contains(key(t.text())) ? null : t.text());
                    if (table != null && col.quoted()) {
                        column(table, col.text(), Use.QUALIFIED);
                    }
                    i += 2;
                } else if (t.quoted() && isPunct(s, i + 1, "(")) {
                    // a CTE's column list or a quoted function or collation name: not a column
                    i = closing(s, i + 1);
                } else if (t.quoted() && i > 0 && (s.get(i - 1).is("AS") || s.get(i - 1).is("COLLATE")
                        || s.get(i - 1).is("TRIGGER") || s.get(i - 1).is("WITH") || s.get(i - 1).is("RECURSIVE"))) {
                    continue;
                } else if (t.quoted() && target != null && !ctes.contains(key(t.text()))) {
                    column(target, t.text(), inSet && isPunct(s, i + 1, "=") ? Use.SET : Use.BARE);
                }
            }
        }

        private static boolean isTableKeyword(Token t) {
            return t.word() && !t.quoted() && TABLE_BEFORE.contains(t.text().toUpperCase(Locale.ROOT));
        }

        private static boolean isPunct(List<Token> s, int i, String p) {
            return i < s.size() && s.get(i).isPunct(p);
        }

        private static int closing(List<Token> s, int open) {
            int depth = 0;
            for (int i = open; i < s.size(); i++) {
                if (s.get(i).isPunct("(")) {
                    depth++;
                } else if (s.get(i).isPunct(")") && --depth == 0) {
                    return i;
                }
            }
            return s.size();
        }

        private static String key(String identifier) {
            return Schema.key(identifier);
        }
    }
}
