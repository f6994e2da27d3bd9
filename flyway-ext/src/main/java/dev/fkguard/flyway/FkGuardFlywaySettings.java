package dev.fkguard.flyway;

import dev.fkguard.Options;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the Flyway callback does: sync, check or nothing; how it treats existing orphan rows; which schemas and
 * tables it looks at.
 *
 * <p>Outside code, the settings are read from Flyway <em>placeholders</em>, because placeholders reach Flyway
 * through every route it is configured by (Java API, {@code flyway.conf}, {@code flyway.toml}, environment
 * variables, command-line arguments, the Maven and Gradle plugins, Spring Boot's {@code spring.flyway.placeholders.*}).
 * Keys are matched case-insensitively, ignoring {@code .}, {@code -} and {@code _}, so {@code fkguard.orphanPolicy},
 * {@code fkguard_orphan_policy} (what {@code FLYWAY_PLACEHOLDERS_FKGUARD_ORPHAN_POLICY} becomes) and
 * {@code fkguard-orphan-policy} (Spring's relaxed form) are the same setting.
 *
 * @param mode            {@link Mode#SYNC} (default), {@link Mode#CHECK} or {@link Mode#OFF}
 * @param orphanPolicy    what a sync does when existing rows already break a foreign key
 * @param schemas         the SQLite schemas to manage, {@code main} by default
 * @param excludedTables  tables whose foreign keys are left alone
 * @param duringMigration {@link DuringMigration#ENFORCE} (default) or {@link DuringMigration#SUSPEND}
 * @param brokenKeys      what a sync does with a broken foreign key declaration: refuse (default) or enforce as SQLite does
 */
public record FkGuardFlywaySettings(Mode mode, Options.OrphanPolicy orphanPolicy, List<String> schemas,
                                    Set<String> excludedTables, DuringMigration duringMigration,
                                    Options.BrokenKeys brokenKeys) {

    /** What fkguard's triggers do while a migration runs (mode {@code sync}). */
    public enum DuringMigration {
        /**
         * They stay in place and the migration's own writes are checked as they happen (cascades run, a statement
         * that creates an orphan fails at once, naming the key). Before each statement, exactly the triggers it
         * would break step aside (those naming a table or column it drops); after the migration only keys that
         * were not enforced throughout are checked for orphan rows. Java migrations, which show fkguard no
         * statements, run as {@link #SUSPEND}. The default.
         */
        ENFORCE,
        /**
         * They step aside when the migration starts, and the sync at its end checks every key whose triggers it
         * creates: for migrations that pass through inconsistent states (children written before their parents).
         */
        SUSPEND;

        /** Parses {@code enforce} and {@code suspend}, case-insensitively. */
        public static DuringMigration parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "enforce":
                    return ENFORCE;
                case "suspend":
                    return SUSPEND;
                default:
                    throw new IllegalArgumentException("fkguard duringMigration must be 'enforce' or 'suspend', not '"
                            + text + "'");
            }
        }
    }

    /** The settings before {@code duringMigration} existed: triggers enforce during migrations. */
    public FkGuardFlywaySettings(Mode mode, Options.OrphanPolicy orphanPolicy, List<String> schemas,
                                 Set<String> excludedTables) {
        this(mode, orphanPolicy, schemas, excludedTables, DuringMigration.ENFORCE, Options.BrokenKeys.REFUSE);
    }

    /** The settings before {@code brokenKeys} existed: broken declarations refused. */
    public FkGuardFlywaySettings(Mode mode, Options.OrphanPolicy orphanPolicy, List<String> schemas,
                                 Set<String> excludedTables, DuringMigration duringMigration) {
        this(mode, orphanPolicy, schemas, excludedTables, duringMigration, Options.BrokenKeys.REFUSE);
    }

    /** What the callback does after a migration. */
    public enum Mode {
        /** Make the triggers equal the declared foreign keys (default). */
        SYNC,
        /** Change nothing; after migrate, baseline and repair log a warning when triggers are missing or stale or orphans exist. */
        CHECK,
        /** Do nothing at all. */
        OFF;

        /** Parses {@code sync}, {@code check} (or {@code check-only}) and {@code off}, case-insensitively. */
        public static Mode parse(String text) {
            String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            switch (t) {
                case "sync":
                    return SYNC;
                case "check":
                case "checkonly":
                    return CHECK;
                case "off":
                    return OFF;
                default:
                    throw new IllegalArgumentException("fkguard mode must be 'sync', 'check' or 'off', not '" + text + "'");
            }
        }
    }

    /** Prefix of every placeholder fkguard reads. */
    public static final String PREFIX = "fkguard";

    private static final String MODE = "mode";
    private static final String ORPHAN_POLICY = "orphanpolicy";
    private static final String SCHEMAS = "schemas";
    private static final String EXCLUDED_TABLES = "excludedtables";
    private static final String DURING_MIGRATION = "duringmigration";
    private static final String BROKEN_KEYS = "brokenkeys";

    public FkGuardFlywaySettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(orphanPolicy, "orphanPolicy");
        schemas = List.copyOf(schemas == null || schemas.isEmpty() ? List.of("main") : schemas);
        excludedTables = Set.copyOf(excludedTables == null ? Set.of() : excludedTables);
        duringMigration = duringMigration == null ? DuringMigration.ENFORCE : duringMigration;
        brokenKeys = brokenKeys == null ? Options.BrokenKeys.REFUSE : brokenKeys;
    }

    /** Sync, refuse orphans, schema {@code main}, nothing excluded, broken declarations refused. */
    public static FkGuardFlywaySettings defaults() {
        return new FkGuardFlywaySettings(Mode.SYNC, Options.OrphanPolicy.FAIL, List.of("main"), Set.of(),
                DuringMigration.ENFORCE, Options.BrokenKeys.REFUSE);
    }

    public FkGuardFlywaySettings withMode(Mode m) {
        return new FkGuardFlywaySettings(m, orphanPolicy, schemas, excludedTables, duringMigration, brokenKeys);
    }

    public FkGuardFlywaySettings withOrphanPolicy(Options.OrphanPolicy p) {
        return new FkGuardFlywaySettings(mode, p, schemas, excludedTables, duringMigration, brokenKeys);
    }

    public FkGuardFlywaySettings withSchemas(List<String> s) {
        return new FkGuardFlywaySettings(mode, orphanPolicy, s, excludedTables, duringMigration, brokenKeys);
    }

    public FkGuardFlywaySettings withExcludedTables(Set<String> t) {
        return new FkGuardFlywaySettings(mode, orphanPolicy, schemas, t, duringMigration, brokenKeys);
    }

    public FkGuardFlywaySettings withDuringMigration(DuringMigration d) {
        return new FkGuardFlywaySettings(mode, orphanPolicy, schemas, excludedTables, d, brokenKeys);
    }

    public FkGuardFlywaySettings withBrokenKeys(Options.BrokenKeys b) {
        return new FkGuardFlywaySettings(mode, orphanPolicy, schemas, excludedTables, duringMigration, b);
    }

    /** The core options for one schema. */
    public Options options(String schema) {
        return Options.defaults().withSchema(schema).withOrphanPolicy(orphanPolicy).withExcludedTables(excludedTables)
                .withBrokenKeys(brokenKeys);
    }

    /**
     * Reads the settings from Flyway placeholders. Placeholders that do not start with {@code fkguard} are ignored;
     * one that does but names no setting is an error, so a misspelled setting is never silently ignored.
     *
     * @throws IllegalArgumentException on an unknown fkguard key or a bad value
     */
    public static FkGuardFlywaySettings fromPlaceholders(Map<String, String> placeholders) {
        FkGuardFlywaySettings s = defaults();
        if (placeholders == null) {
            return s;
        }
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            String key = normalize(e.getKey());
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            String name = key.substring(PREFIX.length());
            String value = e.getValue() == null ? "" : e.getValue();
            switch (name) {
                case MODE:
                    s = s.withMode(Mode.parse(value));
                    break;
                case ORPHAN_POLICY:
                case "orphans":
                    s = s.withOrphanPolicy(Options.OrphanPolicy.parse(value));
                    break;
                case SCHEMAS:
                case "schema":
                    s = s.withSchemas(list(value));
                    break;
                case EXCLUDED_TABLES:
                case "exclude":
                case "excludetables":
                    s = s.withExcludedTables(new LinkedHashSet<>(list(value)));
                    break;
                case DURING_MIGRATION:
                    s = s.withDuringMigration(DuringMigration.parse(value));
                    break;
                case BROKEN_KEYS:
                    s = s.withBrokenKeys(Options.BrokenKeys.parse(value));
                    break;
                default:
                    throw new IllegalArgumentException("unknown fkguard setting '" + e.getKey()
                            + "' (known: fkguard.mode, fkguard.orphanPolicy, fkguard.schemas, fkguard.excludedTables,"
                            + " fkguard.duringMigration, fkguard.brokenKeys)");
            }
        }
        return s;
    }

    static String normalize(String key) {
        return key == null ? "" : key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }
}
