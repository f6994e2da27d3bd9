package dev.fkguard;

import java.util.List;

/**
 * What a plan, sync, check or drop found and did.
 *
 * @param statements the DDL, in order: every {@code DROP TRIGGER} first, then every {@code CREATE TRIGGER}
 * @param created    names of the triggers created (or, for a plan, to be created)
 * @param dropped    names of the triggers dropped (or to be dropped)
 * @param kept       number of fkguard triggers already correct and left as they were
 * @param foreignKeys number of foreign keys enforced by the planned triggers
 * @param warnings   things worth knowing that do not stop a sync (missing child index, deferred keys, ...)
 * @param problems   reasons a sync refuses (orphan rows, broken foreign key declarations)
 * @param applied    true when the statements were executed and committed (or released into the caller's transaction)
 * @param staleTriggers installed fkguard triggers that name a table or column that no longer exists
 *                   (found before the sync; a sync replaces them)
 */
public record Report(List<String> statements, List<String> created, List<String> dropped, int kept,
                     int foreignKeys, List<String> warnings, List<Problem> problems, boolean applied,
                     List<StaleTrigger> staleTriggers) {

    public Report {
        statements = List.copyOf(statements);
        created = List.copyOf(created);
        dropped = List.copyOf(dropped);
        warnings = List.copyOf(warnings);
        problems = List.copyOf(problems);
        staleTriggers = List.copyOf(staleTriggers);
    }

    /** A report with no stale triggers. */
    public Report(List<String> statements, List<String> created, List<String> dropped, int kept,
                  int foreignKeys, List<String> warnings, List<Problem> problems, boolean applied) {
        this(statements, created, dropped, kept, foreignKeys, warnings, problems, applied, List.of());
    }

    /** True when the installed triggers already equal the plan. */
    public boolean inSync() {
        return statements.isEmpty();
    }

    /** True when the triggers are in sync and nothing is wrong with the data or the declarations. */
    public boolean healthy() {
        return inSync() && problems.isEmpty();
    }

    /** True when the sync changed the schema. */
    public boolean changed() {
        return applied && !statements.isEmpty();
    }

    /** A one-line summary such as {@code created 4, dropped 1, kept 40 fkguard triggers for 11 foreign keys}. */
    public String summary() {
        return "created " + created.size() + ", dropped " + dropped.size() + ", kept " + kept
                + " fkguard triggers for " + foreignKeys + " foreign keys"
                + (warnings.isEmpty() ? "" : ", " + warnings.size() + " warning" + (warnings.size() == 1 ? "" : "s"))
                + (problems.isEmpty() ? "" : ", " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s"));
    }

    /**
     * The warnings grouped by kind, for a summary of one line per kind: a sentence describing the kind
     * (it reads after a count, e.g. "2991 foreign keys have no index on their child columns: ..."),
     * mapped to that kind's warnings, kinds in order of first appearance.
     */
    public java.util.Map<String, List<String>> warningsByKind() {
        return WarningKind.group(warnings);
    }

    /** The whole report as text: summary, stale triggers, problems, warnings. */
    public String describe() {
        StringBuilder sb = new StringBuilder(summary());
        for (StaleTrigger s : staleTriggers) {
            sb.append(System.lineSeparator()).append("  stale: ").append(s.message());
        }
        for (Problem p : problems) {
            sb.append(System.lineSeparator()).append("  problem: ").append(p.message());
        }
        for (String w : warnings) {
            sb.append(System.lineSeparator()).append("  warning: ").append(w);
        }
        return sb.toString();
    }

    /**
     * One reason a sync refuses.
     *
     * @param kind       {@link Kind#ORPHANS} for rows that already break the key, {@link Kind#SCHEMA} for a broken declaration
     * @param table      the child table
     * @param columns    the child columns of the foreign key
     * @param parent     the parent table as declared
     * @param orphans    number of orphan rows (0 for a schema problem)
     * @param sampleRows up to five rowids (or primary key values of a WITHOUT ROWID table) of orphan rows
     * @param message    a sentence that names all of the above
     */
    public record Problem(Kind kind, String table, List<String> columns, String parent, long orphans,
                          List<String> sampleRows, String message) {
        public enum Kind { ORPHANS, SCHEMA }

        public Problem {
            columns = List.copyOf(columns);
            sampleRows = List.copyOf(sampleRows);
        }
    }

    /**
     * An installed fkguard trigger that names a table or column that no longer exists, typically left
     * behind by a tool that dropped or rebuilt a table. Usually SQLite fails every statement that fires
     * it, and (since 3.26) every {@code ALTER TABLE ... RENAME} and {@code DROP COLUMN} in the schema;
     * {@code fails} and {@code message} say exactly what, for this trigger.
     *
     * @param name           the trigger
     * @param table          the table it is on
     * @param missingTables  tables it names that do not exist
     * @param missingColumns columns it names that do not exist, as {@code table.column}
     * @param fails          the statements that fail while it is there (empty when SQLite may instead run
     *                       the trigger and silently skip its work, see the message)
     * @param message        a sentence that names all of the above and the cure ({@code fkguard sync})
     */
    public record StaleTrigger(String name, String table, List<String> missingTables, List<String> missingColumns,
                               List<String> fails, String message) {
        public StaleTrigger {
            missingTables = List.copyOf(missingTables);
            missingColumns = List.copyOf(missingColumns);
            fails = List.copyOf(fails);
        }
    }
}
