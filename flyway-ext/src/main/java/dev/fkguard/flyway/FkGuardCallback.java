package dev.fkguard.flyway;

import dev.fkguard.FkGuard;
import dev.fkguard.FkGuardException;
import dev.fkguard.MigrationGuard;
import dev.fkguard.Report;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogFactory;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps fkguard's foreign-key triggers in step with the schema after every Flyway migration on SQLite.
 *
 * <ul>
 *   <li>{@code BEFORE_EACH_MIGRATE}: an SQL migration starts with fkguard's triggers in place ({@link MigrationGuard#begin}),
 *       so its own writes are checked as they happen. A Java migration, which shows fkguard no statements, or any
 *       migration under {@code fkguard.duringMigration=suspend}, starts with them dropped ({@link MigrationGuard#suspend}),
 *       inside its transaction, so no other connection ever sees the database without them.</li>
 *   <li>{@code BEFORE_EACH_MIGRATE_STATEMENT}: drops exactly the triggers the statement would break (those naming a
 *       table or column it drops; all of them for a statement fkguard cannot classify). This lets table rebuilds
 *       ({@code DROP TABLE X}, {@code ALTER TABLE new_X RENAME TO X}) run, which SQLite would otherwise refuse.</li>
 *   <li>{@code AFTER_EACH_MIGRATE}: syncs on the migration's own connection, inside its transaction, so the
 *       migration and its trigger changes commit or roll back together; only keys that were not enforced for the
 *       whole migration are checked for orphans. A refusal (orphan rows, a broken foreign key declaration) fails
 *       the migration with fkguard's report in the message.</li>
 *   <li>{@code AFTER_MIGRATE}, {@code AFTER_BASELINE}, {@code AFTER_REPAIR}: syncs once more in a transaction of
 *       its own; this covers a baselined existing database and anything a non-transactional migration left.
 *       Usually it changes nothing. {@code AFTER_MIGRATE_ERROR}: puts the triggers back after a failed
 *       non-transactional migration (logs a warning if it cannot).</li>
 * </ul>
 *
 * <p>On a database that is not SQLite it does nothing and says so once at info level.
 *
 * <p>The no-argument constructor reads its {@link FkGuardFlywaySettings} from Flyway placeholders at each
 * event; the other constructor fixes them in code. Whatever the number of routes that registered it, only
 * one fkguard callback acts: the first one in the configuration's callbacks.
 */
public class FkGuardCallback implements Callback {

    /** The name this callback reports to Flyway; also how fkguard callbacks recognise each other. */
    public static final String NAME = "fkguard";

    private static final Set<String> NOTED_NOT_SQLITE = ConcurrentHashMap.newKeySet();

    private static final Set<Event> EVENTS = Set.of(Event.BEFORE_EACH_MIGRATE, Event.BEFORE_EACH_MIGRATE_STATEMENT,
            Event.AFTER_EACH_MIGRATE, Event.AFTER_MIGRATE, Event.AFTER_MIGRATE_ERROR, Event.AFTER_BASELINE,
            Event.AFTER_REPAIR);

    /** Warnings already logged by this callback, so a warning is said once, not after every migration. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** The guards of the running migration, per connection and schema. */
    private final Map<Connection, Map<String, MigrationGuard>> running =
            Collections.synchronizedMap(new WeakHashMap<>());

    private final FkGuardFlywaySettings fixedSettings;

    /** Settings come from Flyway placeholders ({@code fkguard.mode}, ...), defaults otherwise. */
    public FkGuardCallback() {
        this(null);
    }

    /** Settings fixed in code; fkguard placeholders are then ignored. */
    public FkGuardCallback(FkGuardFlywaySettings settings) {
        this.fixedSettings = settings;
    }

    @Override
    public boolean supports(Event event, Context context) {
        if (!EVENTS.contains(event)) {
            return false;
        }
        if (event == Event.BEFORE_EACH_MIGRATE_STATEMENT && context != null) {
            // only while a migration runs with its triggers in place on this connection
            Map<String, MigrationGuard> guards = running.get(context.getConnection());
            return guards != null && guards.values().stream().anyMatch(g -> !g.suspended());
        }
        // Flyway also asks with no context while it sets up; only the real event needs the election.
        return context == null || isTheActiveFkGuardCallback(context.getConfiguration());
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        if (event == Event.BEFORE_EACH_MIGRATE_STATEMENT) {
            // once per statement: a guard runs on the connection only when the migration's beginning read the
            // settings and saw SQLite, so neither is looked at again
            try {
                beforeStatement(context, context.getConnection());
            } catch (SQLException e) {
                throw new FlywayException("fkguard could not read the SQLite schema " + where(event, context) + ": "
                        + e.getMessage(), e);
            }
            return;
        }
        FkGuardFlywaySettings settings = settings(context.getConfiguration());
        if (settings.mode() == FkGuardFlywaySettings.Mode.OFF) {
            return;
        }
        Connection connection = context.getConnection();
        try {
            if (!FkGuard.isSqlite(connection)) {
                noteNotSqlite(connection);
                return;
            }
            if (settings.mode() == FkGuardFlywaySettings.Mode.CHECK) {
                if (event == Event.AFTER_MIGRATE || event == Event.AFTER_BASELINE || event == Event.AFTER_REPAIR) {
                    for (String schema : settings.schemas()) {
                        check(connection, settings, schema);
                    }
                }
                return;
            }
            if (event == Event.BEFORE_EACH_MIGRATE) {
                begin(context, connection, settings);
            } else if (event == Event.AFTER_MIGRATE_ERROR) {
                restoreAfterError(connection, settings);
            } else {
                Map<String, MigrationGuard> guards = event == Event.AFTER_EACH_MIGRATE ? running.remove(connection) : null;
                for (String schema : settings.schemas()) {
                    sync(event, context, connection, settings, schema, guards == null ? null : guards.get(schema));
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("fkguard could not read the SQLite schema " + where(event, context) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Before each statement of an SQL migration: every guard on its connection sees it first. */
    private void beforeStatement(Context context, Connection connection) throws SQLException {
        Map<String, MigrationGuard> guards = running.get(connection);
        if (guards != null && context.getStatement() != null) {
            for (MigrationGuard guard : guards.values()) {
                try {
                    guard.beforeStatement(context.getStatement().getSql());
                } catch (FkGuardException e) {
                    // a statement SQLite refuses under foreign_keys=ON (ALTER TABLE ... ADD COLUMN ... REFERENCES
                    // with a non-NULL default): refused before it runs
                    throw new FlywayException("fkguard refused a statement of migration "
                            + describe(context.getMigrationInfo()) + " before it ran, so the migration fails"
                            + (connection.getAutoCommit() ? "; it runs outside a transaction, so what its earlier"
                            + " statements changed stays" : " and is rolled back") + ":" + problems(e), e);
                }
            }
        }
    }

    /**
     * Before a migration: an SQL migration runs with the triggers in place (Flyway shows each statement before it
     * runs); a Java migration, or any migration under {@code fkguard.duringMigration=suspend}, runs with them
     * stepped aside, inside its transaction (invisible to every other connection).
     */
    private void begin(Context context, Connection connection, FkGuardFlywaySettings settings) throws SQLException {
        MigrationInfo info = context.getMigrationInfo();
        boolean sql = info != null && info.getType() != null && "SQL".equals(info.getType().name());
        boolean suspend = settings.duringMigration() == FkGuardFlywaySettings.DuringMigration.SUSPEND || !sql;
        Map<String, MigrationGuard> guards = new HashMap<>();
        for (String schema : settings.schemas()) {
            guards.put(schema, suspend ? MigrationGuard.suspend(connection, settings.options(schema))
                    : MigrationGuard.begin(connection, settings.options(schema)));
        }
        running.put(connection, guards);
        if (suspend) {
            log().info("fkguard " + describe(info) + ": foreign-key triggers suspended during the migration ("
                    + (sql ? "fkguard.duringMigration=suspend" : (info == null ? "no" : info.getType().name().toLowerCase(java.util.Locale.ROOT))
                    + " migration, fkguard sees none of its statements") + "); every key whose triggers come back is checked at its end");
        }
    }

    /** A failed non-transactional migration may have left the triggers dropped: put back what the schema needs. */
    private void restoreAfterError(Connection connection, FkGuardFlywaySettings settings) {
        running.remove(connection);
        for (String schema : settings.schemas()) {
            try {
                Report report = FkGuard.sync(connection, settings.options(schema));
                if (report.changed()) {
                    log().info("fkguard after failed migrate" + schemaNote(settings, schema) + ": " + report.summary());
                }
            } catch (SQLException e) {
                log().warn("fkguard could not restore the foreign-key triggers after the failed migration"
                        + schemaNote(settings, schema) + "; run the migration again or 'fkguard sync': " + e.getMessage());
            }
        }
    }

    @Override
    public String getCallbackName() {
        return NAME;
    }

    /** The settings in force for this configuration. */
    FkGuardFlywaySettings settings(Configuration configuration) {
        if (fixedSettings != null) {
            return fixedSettings;
        }
        try {
            return FkGuardFlywaySettings.fromPlaceholders(configuration == null ? null : configuration.getPlaceholders());
        } catch (IllegalArgumentException e) {
            throw new FlywayException("fkguard: " + e.getMessage(), e);
        }
    }

    private void sync(Event event, Context context, Connection connection, FkGuardFlywaySettings settings,
                      String schema, MigrationGuard guard) throws SQLException {
        Report report;
        try {
            report = guard == null ? FkGuard.sync(connection, settings.options(schema)) : guard.finish();
        } catch (FkGuardException e) {
            String what;
            if (event != Event.AFTER_EACH_MIGRATE) {
                what = "triggers left as they were";
            } else if (connection.getAutoCommit()) {
                what = "migration " + describe(context.getMigrationInfo())
                        + " fails; it ran outside a transaction, so what it changed stays";
            } else {
                what = "migration " + describe(context.getMigrationInfo()) + " fails and is rolled back";
            }
            throw new FlywayException("fkguard refused to sync the foreign-key triggers of schema '" + schema + "' "
                    + where(event, context) + ", " + what + ":" + problems(e), e);
        }
        if (guard != null && guard.suspended() && settings.duringMigration() == FkGuardFlywaySettings.DuringMigration.ENFORCE
                && "SQL".equals(context.getMigrationInfo() == null || context.getMigrationInfo().getType() == null ? null
                : context.getMigrationInfo().getType().name())) {
            log().info("fkguard " + where(event, context) + schemaNote(settings, schema) + ": a statement fkguard could not"
                    + " classify made every foreign-key trigger step aside; every key whose triggers came back was checked");
        }
        String change;
        if (guard == null) {
            change = report.changed() ? report.summary() : null;
        } else {
            change = report.created().isEmpty() && report.dropped().isEmpty() ? null
                    : "created " + report.created().size() + ", dropped " + report.dropped().size() + ", kept "
                    + report.kept() + " fkguard triggers for " + report.foreignKeys() + " foreign keys";
        }
        if (change != null) {
            log().info("fkguard " + where(event, context) + schemaNote(settings, schema) + ": " + change);
            for (String warning : report.warnings()) {
                if (warned.add(warning)) {
                    log().warn("fkguard: " + warning);
                }
            }
        }
    }

    /** The reasons of a refusal, one per line (the counts of a refusal's report are not what the migration changed). */
    private static String problems(FkGuardException e) {
        if (e.report() == null || e.report().problems().isEmpty()) {
            return " " + e.getMessage();
        }
        StringBuilder sb = new StringBuilder();
        for (Report.Problem p : e.report().problems()) {
            sb.append(System.lineSeparator()).append("  problem: ").append(p.message());
        }
        return sb.toString();
    }

    private void check(Connection connection, FkGuardFlywaySettings settings, String schema) throws SQLException {
        Report report = FkGuard.check(connection, settings.options(schema));
        if (!report.healthy()) {
            log().warn("fkguard check (mode=check, nothing changed)" + schemaNote(settings, schema) + ": "
                    + (report.inSync() ? "" : report.statements().size() + " trigger statements pending; ")
                    + report.describe());
        }
    }

    private static String schemaNote(FkGuardFlywaySettings settings, String schema) {
        return settings.schemas().size() == 1 && "main".equalsIgnoreCase(schema) ? "" : " [schema " + schema + "]";
    }

    private static String where(Event event, Context context) {
        if (event == Event.AFTER_EACH_MIGRATE) {
            return "after " + describe(context.getMigrationInfo());
        }
        if (event == Event.AFTER_BASELINE) {
            return "after baseline";
        }
        if (event == Event.AFTER_REPAIR) {
            return "after repair";
        }
        if (event == Event.AFTER_MIGRATE_ERROR) {
            return "after failed migrate";
        }
        return "after migrate";
    }

    private static String describe(MigrationInfo info) {
        if (info == null) {
            return "migration";
        }
        String version = info.getVersion() == null ? "R" : "V" + info.getVersion();
        return version + " (" + info.getDescription() + ")";
    }

    private static void noteNotSqlite(Connection connection) {
        String product;
        String url;
        try {
            DatabaseMetaData md = connection.getMetaData();
            product = md.getDatabaseProductName();
            url = md.getURL();
        } catch (SQLException e) {
            product = "unknown";
            url = "unknown";
        }
        if (NOTED_NOT_SQLITE.add(String.valueOf(url))) {
            log().info("fkguard: " + product + " is not SQLite; fkguard leaves this database alone");
        }
    }

    /**
     * True when this instance is the one fkguard callback that acts for this configuration: the first callback
     * named {@value #NAME} among the configured callbacks (API objects, Spring beans, {@code callbacks=} class
     * names), or, when none is configured, the jar's plugin ({@link FkGuardFlywayPlugin}), which Flyway adds after
     * the configured ones. Two routes that both register fkguard (a bean and a class name, the same class listed
     * twice, a class name and the plugin) therefore sync once.
     */
    boolean isTheActiveFkGuardCallback(Configuration configuration) {
        if (configuration == null) {
            return true;
        }
        Callback[] configured = configuration.getCallbacks();
        if (configured != null) {
            for (Callback callback : configured) {
                if (callback != null && NAME.equals(safeName(callback))) {
                    return callback == this;
                }
            }
        }
        return true;
    }

    private static String safeName(Callback callback) {
        try {
            return callback.getCallbackName();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static Log log() {
        return LogFactory.getLog(FkGuardCallback.class);
    }
}
