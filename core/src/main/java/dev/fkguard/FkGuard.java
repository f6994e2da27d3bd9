package dev.fkguard;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/**
 * The entry point: plan, sync, check and drop fkguard's foreign-key triggers on one SQLite connection.
 *
 * <p>Every method works on the caller's connection and leaves its auto-commit mode as it found it.
 * {@link #sync}, {@link #drop}, {@link #addForeignKey} and {@link #dropForeignKey} run inside a SAVEPOINT: on a connection in auto-commit mode that
 * is a transaction of its own, committed at the end; inside the caller's open transaction it is
 * released into that transaction and nothing is committed. A refusal rolls the savepoint back, so
 * the database is exactly as it was.
 */
public final class FkGuard {
    private FkGuard() {
    }

    /** True when the connection talks to SQLite. Extensions use it to stay out of other databases' way. */
    public static boolean isSqlite(Connection connection) throws SQLException {
        DatabaseMetaData md = connection.getMetaData();
        return md != null && "SQLite".equalsIgnoreCase(md.getDatabaseProductName());
    }

    /** What a sync would do, without changing anything: the statements, and the problems it would refuse on. */
    public static Report plan(Connection connection, Options options) throws SQLException {
        return new Applier(requireSqlite(connection), options).plan(false);
    }

    /**
     * Makes the installed triggers equal the plan, in one savepoint.
     *
     * <p>With {@link Options#withPartial(boolean) partial} set, it protects what it can instead of
     * refusing: every clean, well declared key gets its triggers, and the keys left unenforced are in
     * {@link Report#problems()} of the returned report.
     *
     * @throws FkGuardException when orphan rows exist (and the policy is FAIL) or a foreign key is broken,
     *                          unless partial; the database is unchanged
     */
    public static Report sync(Connection connection, Options options) throws SQLException {
        return new Applier(requireSqlite(connection), options).sync();
    }

    /**
     * Compares installed triggers with the plan and counts orphan rows of every foreign key.
     * Changes nothing. {@link Report#healthy()} tells whether all is well.
     */
    public static Report check(Connection connection, Options options) throws SQLException {
        return new Applier(requireSqlite(connection), options).plan(true);
    }

    /** Drops every fkguard trigger of the schema (user triggers are never touched), in one savepoint. */
    public static Report drop(Connection connection, Options options) throws SQLException {
        return new Applier(requireSqlite(connection), options).drop();
    }

    /**
     * Declares a foreign key on an existing table, as if it had been written in its CREATE TABLE: the key is added
     * to the stored CREATE TABLE text in place (no copy of rows), so {@code pragma_foreign_key_list} and native
     * enforcement on {@code foreign_keys=ON} connections see it, and fkguard's triggers are synced to enforce it on
     * every other connection. One transaction (or a savepoint inside the caller's), all or nothing.
     *
     * @throws FkGuardException when rows already break the key (orphan policy FAIL), the table, a column or the
     *                          parent does not exist, the parent key is not unique, the name is taken, or the
     *                          connection cannot edit the schema (defensive mode); the database is unchanged
     */
    public static Report addForeignKey(Connection connection, ForeignKeySpec key, Options options) throws SQLException {
        return new ForeignKeyEditor(requireSqlite(connection), options).add(key);
    }

    /**
     * Removes a foreign key declaration from its table's CREATE TABLE text in place (no copy of rows) and syncs
     * fkguard's triggers, in one transaction. {@code key} picks the key by name ({@link ForeignKeySpec#named}) or by
     * its child columns, and parent when given.
     *
     * @throws FkGuardException when no key or more than one key matches; the database is unchanged
     */
    public static Report dropForeignKey(Connection connection, ForeignKeySpec key, Options options) throws SQLException {
        return new ForeignKeyEditor(requireSqlite(connection), options).drop(key);
    }

    /**
     * What {@link #addForeignKey} would run, without changing anything: the schema edit and the trigger statements
     * in order, and the problems it would refuse on (in {@link Report#problems()}, not thrown).
     */
    public static Report planAddForeignKey(Connection connection, ForeignKeySpec key, Options options) throws SQLException {
        return new ForeignKeyEditor(requireSqlite(connection), options).planAdd(key);
    }

    /** What {@link #dropForeignKey} would run, without changing anything; problems are reported, not thrown. */
    public static Report planDropForeignKey(Connection connection, ForeignKeySpec key, Options options) throws SQLException {
        return new ForeignKeyEditor(requireSqlite(connection), options).planDrop(key);
    }

    /**
     * {@link #plan} of a database file that is in sync by its in-sync stamp, answered from the file alone, without
     * SQLite: for a command line that can then say "nothing to change" without loading a driver. Empty whenever that
     * cannot be told with certainty (see {@link FileStamp}); then open a connection and call {@link #plan}. Never
     * use it in a process that has a connection open to the file (POSIX locks are per process).
     *
     * @param sqliteVersion the {@code sqlite_version()} of the SQLite a connection would run
     */
    public static java.util.Optional<Report> planFromFile(java.nio.file.Path file, Options options, String sqliteVersion) {
        return FileStamp.plan(file, options, sqliteVersion);
    }

    /**
     * {@link #sync} of a database file that is in sync by its stamp (so changing nothing), answered from the file
     * alone when a writer could also start on it at once; empty otherwise, as {@link #planFromFile}.
     */
    public static java.util.Optional<Report> syncFromFile(java.nio.file.Path file, Options options, String sqliteVersion) {
        return FileStamp.sync(file, options, sqliteVersion);
    }

    static Connection requireSqlite(Connection connection) throws SQLException {
        if (!isSqlite(connection)) {
            throw new FkGuardException("not a SQLite connection: " + connection.getMetaData().getDatabaseProductName()
                    + " (fkguard manages SQLite databases only)");
        }
        return connection;
    }
}
