package dev.fkguard;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a plan, sync, check or drop looks at and how it reacts to existing orphan rows.
 *
 * <p>The defaults are right for almost everyone: schema {@code main}, refuse when orphans exist,
 * no table left out. Options are immutable; the {@code with...} methods return a copy.
 *
 * @param schema        the attached schema to manage ({@code main}, or the name given to ATTACH)
 * @param orphanPolicy  what to do when rows already violate a foreign key about to be enforced
 * @param excludedTables tables whose foreign keys fkguard leaves alone, as child or as parent
 *                      (compared as SQLite compares identifiers: ASCII letters case-insensitively, nothing else)
 * @param partial       sync protects what it can instead of refusing: every foreign key that is clean
 *                      and well declared gets its triggers; a key with orphan rows (under policy FAIL)
 *                      or a broken declaration is left unenforced and reported in
 *                      {@link Report#problems()}, and the sync returns instead of throwing (a broken
 *                      declaration under {@link BrokenKeys#ENFORCE} is enforced instead, as SQLite does)
 * @param brokenKeys    what to do with a foreign key whose declaration is broken (missing parent table,
 *                      parent key that is not unique, missing parent column, wrong number of columns)
 */
public record Options(String schema, OrphanPolicy orphanPolicy, Set<String> excludedTables, boolean partial,
                      BrokenKeys brokenKeys) {

    /**
     * What a plan or sync does with a broken foreign key declaration, one that SQLite itself cannot
     * enforce: its parent table does not exist, or its parent columns are missing, not the PRIMARY KEY
     * or a UNIQUE index, or of the wrong number. With {@code foreign_keys=ON} SQLite refuses every
     * write that needs such a key ({@code no such table: main.p}, {@code foreign key mismatch - "c"
     * referencing "p"}) while the other keys keep working. To leave broken keys out and install the
     * rest, use {@link #withPartial partial} with {@link #REFUSE}.
     */
    public enum BrokenKeys {
        /** Refuse the sync and name every broken declaration: a migration that leaves one behind fails loudly. */
        REFUSE,
        /**
         * Enforce as SQLite does: the broken key gets triggers that refuse the writes native refuses, with
         * native's message, and every valid key gets its usual triggers. The report warns about each.
         */
        ENFORCE;

        /** Parses {@code refuse} / {@code enforce}, case-insensitively. */
        public static BrokenKeys parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("broken keys must be 'refuse' or 'enforce', not '" + text + "'");
            }
        }
    }

    /** What a sync does when existing rows already break a foreign key it is about to enforce. */
    public enum OrphanPolicy {
        /** Refuse: nothing is changed, the report names the table, columns, count and a few rowids. */
        FAIL,
        /** Install the triggers anyway and report the orphans as warnings. */
        WARN;

        /** Parses {@code fail} / {@code warn}, case-insensitively. */
        public static OrphanPolicy parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("orphan policy must be 'fail' or 'warn', not '" + text + "'");
            }
        }
    }

    /** All or nothing (not {@linkplain #partial() partial}), broken declarations refused. */
    public Options(String schema, OrphanPolicy orphanPolicy, Set<String> excludedTables) {
        this(schema, orphanPolicy, excludedTables, false, BrokenKeys.REFUSE);
    }

    public Options {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(orphanPolicy, "orphanPolicy");
        Objects.requireNonNull(brokenKeys, "brokenKeys");
        if (schema.isBlank()) {
            throw new IllegalArgumentException("schema name must not be blank");
        }
        // SQLite's identifier comparison: ASCII letters folded, nothing else
        TreeSet<String> excluded = new TreeSet<>(java.util.Comparator.comparing(Schema::key));
        if (excludedTables != null) {
            excluded.addAll(excludedTables);
        }
        excludedTables = java.util.Collections.unmodifiableSet(excluded);
    }

    /** Schema {@code main}, orphans refused, nothing excluded, broken declarations refused. */
    public static Options defaults() {
        return new Options("main", OrphanPolicy.FAIL, Set.of());
    }

    public Options withSchema(String schema) {
        return new Options(schema, orphanPolicy, excludedTables, partial, brokenKeys);
    }

    public Options withOrphanPolicy(OrphanPolicy policy) {
        return new Options(schema, policy, excludedTables, partial, brokenKeys);
    }

    public Options withExcludedTables(Set<String> tables) {
        return new Options(schema, orphanPolicy, tables, partial, brokenKeys);
    }

    /**
     * With {@code true}, sync protects what it can: it installs the triggers of every clean, well
     * declared foreign key and reports the others instead of refusing (see {@link #partial()}).
     */
    public Options withPartial(boolean partial) {
        return new Options(schema, orphanPolicy, excludedTables, partial, brokenKeys);
    }

    /** {@link BrokenKeys#REFUSE} (the default) or {@link BrokenKeys#ENFORCE} broken declarations as SQLite does. */
    public Options withBrokenKeys(BrokenKeys mode) {
        return new Options(schema, orphanPolicy, excludedTables, partial, mode);
    }

    boolean excludes(String table) {
        return excludedTables.contains(table);
    }
}
