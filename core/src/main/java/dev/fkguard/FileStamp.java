package dev.fkguard;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@link FkGuard#plan} and {@link FkGuard#sync} of a database in sync, answered from its file alone: the rows of
 * {@code sqlite_schema} read without SQLite ({@link SchemaFile}) and checked against the in-sync stamp
 * ({@link SyncStamp}) exactly as the connection's path checks them. For a command line, which can then answer
 * "nothing to change" without loading a JDBC driver; anything it is not sure of is left to the full path.
 *
 * <p>Empty whenever the file cannot be read with certainty, the stamp does not match, or the options ask for what
 * a stamp cannot answer (a partial sync, a schema other than {@code main}). Use it only in a process with no
 * connection open to the file (see {@link SchemaFile} on POSIX locks), and never for {@code check}.
 */
final class FileStamp {
    private FileStamp() {
    }

    /**
     * What {@link FkGuard#plan} on a connection to {@code file} would return, when the file is in sync by its
     * stamp; empty otherwise.
     *
     * @param sqliteVersion the {@code sqlite_version()} of the SQLite the connection would run (part of the stamp)
     */
    static Optional<Report> plan(Path file, Options options, String sqliteVersion) {
        return answer(file, options, sqliteVersion, false).map(s -> new Report(List.of(), List.of(), List.of(), s.kept(),
                s.foreignKeys(), s.warnings(), List.of(), false));
    }

    /**
     * What {@link FkGuard#sync} would return (changing nothing), when the file is in sync by its stamp and a writer
     * could start on it at once (it is writable, no other process holds a write lock); else empty.
     */
    static Optional<Report> sync(Path file, Options options, String sqliteVersion) {
        return answer(file, options, sqliteVersion, true).map(SyncStamp.InSync::report);
    }

    /** With {@code writer}, only when a writer could start at once, as the sync's {@code BEGIN IMMEDIATE} must. */
    private static Optional<SyncStamp.InSync> answer(Path file, Options options, String sqliteVersion, boolean writer) {
        if (options.partial() || !options.schema().equals("main") || sqliteVersion == null) {
            return Optional.empty();
        }
        // the planner version (a digest of fkguard's classes in its jar) is read meanwhile on a second core
        Thread planner = new Thread(SyncStamp::plannerVersion, "fkguard planner version");
        planner.setDaemon(true);
        planner.start();
        Optional<List<SchemaReader.SchemaRow>> read = SchemaFile.read(file, writer);
        try {
            planner.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return read.flatMap(rows -> {
            SchemaReader.SchemaRows schema = new SchemaReader.SchemaRows(sqliteVersion, rows);
            return SyncStamp.answer(schema, SyncStamp.digests(schema, options));
        });
    }
}
