package dev.fkguard.cli;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code plan} and {@code sync} of a database in sync, answered from the file and its in-sync stamp before the JDBC
 * driver is loaded ({@link FkGuard#planFromFile}): no native library extracted, no connection opened, no trigger parsed. Only
 * for the simple cases: a plain path or a {@code jdbc:sqlite:} URL with a plain path and no parameters, schema
 * {@code main}, no {@code --partial}, and a known bundled SQLite; in every other case, and whenever the file or its
 * stamp leaves any doubt, the command takes its full path, unchanged.
 */
final class NoOpFromFile {
    private static final String JDBC = "jdbc:sqlite:";
    private static final String DRIVER_POM = "META-INF/maven/org.xerial/sqlite-jdbc/pom.properties";
    /** sqlite-jdbc's version is SQLite's with one more number: 3.54.1.0 bundles SQLite 3.54.1. */
    private static final Pattern DRIVER_VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+)\\.\\d+");

    /** How often this path answered, in this JVM: tests read it, since the output is the same by design. */
    static final AtomicLong ANSWERED = new AtomicLong();

    /** Tests only: false sends every command down its full path, to compare the two. */
    static volatile boolean enabled = true;

    private NoOpFromFile() {
    }

    static Optional<Report> plan(String db, Integer busyTimeout, Options options) {
        return answer(db, busyTimeout, options, FkGuard::planFromFile);
    }

    static Optional<Report> sync(String db, Integer busyTimeout, Options options) {
        return answer(db, busyTimeout, options, FkGuard::syncFromFile);
    }

    private static Optional<Report> answer(String db, Integer busyTimeout, Options options,
                                           TriFunction how) {
        if (!enabled || (busyTimeout != null && busyTimeout < 0)) {
            return Optional.empty(); // a bad --busy-timeout is the full path's to refuse
        }
        Optional<Path> file = plainFile(db);
        Optional<String> version = bundledSqliteVersion();
        if (file.isEmpty() || version.isEmpty()) {
            return Optional.empty();
        }
        Optional<Report> r = how.apply(file.get(), options, version.get());
        r.ifPresent(x -> ANSWERED.incrementAndGet());
        return r;
    }

    @FunctionalInterface
    private interface TriFunction {
        Optional<Report> apply(Path file, Options options, String sqliteVersion);
    }

    /**
     * The file {@code db} names when it is a plain path, or a {@code jdbc:sqlite:} URL with a plain path and no
     * query; empty for a {@code file:} URI, parameters, {@code :memory:} or anything else the full path must judge.
     */
    static Optional<Path> plainFile(String db) {
        if (db.startsWith(JDBC) && (db.contains("?") || db.startsWith(JDBC + "file:"))) {
            return Optional.empty();
        }
        try {
            // the path the full path opens, as it reads it (an in-memory or empty name is refused there)
            return Optional.of(Path.of(Databases.parse(db).shownPath()));
        } catch (Databases.InputError | InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static volatile Optional<String> bundled;

    /**
     * The version of SQLite the bundled sqlite-jdbc runs, from its pom.properties (one copy on the class path, a
     * version of four numbers), without loading it; empty when that cannot be told, or when system properties point
     * sqlite-jdbc at another native library. A stamp records the SQLite version it was written under, so a wrong
     * value here makes stamps mismatch, never answer wrongly; a test holds it equal to {@code sqlite_version()}.
     */
    static Optional<String> bundledSqliteVersion() {
        Optional<String> v = bundled;
        if (v == null) {
            v = readBundledVersion();
            bundled = v;
        }
        return v;
    }

    private static Optional<String> readBundledVersion() {
        if (NativeLibrary.userChose()) {
            return Optional.empty();
        }
        try {
            List<URL> poms = Collections.list(NoOpFromFile.class.getClassLoader().getResources(DRIVER_POM));
            if (poms.size() != 1) {
                return Optional.empty();
            }
            Properties p = new Properties();
            try (InputStream in = poms.get(0).openStream()) {
                p.load(in);
            }
            Matcher m = DRIVER_VERSION.matcher(String.valueOf(p.getProperty("version")));
            return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
