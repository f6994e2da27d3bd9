package dev.fkguard.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Opening databases the careful way: never creating one, never writing into a file that holds no
 * database, and saying clearly what is wrong.
 *
 * <p>Whatever the user gives (a path, a {@code jdbc:sqlite:} URL with a path, or one with a
 * {@code file:} URI), it is turned into a {@code file:} URI with {@code mode=rw} or {@code mode=ro}.
 * SQLite itself then refuses to create the file: no check on a decoded path can disagree with the
 * file SQLite really opens. A zero-byte file opens as an empty database that the first write would
 * turn into one; it is refused before anything is written.
 */
final class Databases {
    static final int DEFAULT_BUSY_TIMEOUT_MS = 5000;
    private static final String JDBC = "jdbc:sqlite:";

    private Databases() {
    }

    /** Why a database could not be opened; the message says what and which file. */
    abstract static class OpenFailure extends Exception {
        OpenFailure(String message) {
            super(message);
        }
    }

    /** Bad input: a missing file, not a database, a bad URL; the exit status is 2. */
    static final class InputError extends OpenFailure {
        InputError(String message) {
            super(message);
        }
    }

    /** Another connection holds a lock longer than the busy timeout; the exit status is 3. */
    static final class Busy extends OpenFailure {
        Busy(String message) {
            super(message);
        }
    }

    /** What the user named, taken apart: the URI SQLite opens, its query, and what fkguard reads from it. */
    record Target(String uriPath, List<String> params, String shownPath, Integer busyTimeout, boolean noLock,
                  boolean readOnlyAsked) {
    }

    /**
     * Opens an existing database file.
     *
     * @param busyTimeoutMs the {@code --busy-timeout}, or null: then the URL's {@code busy_timeout}, else 5 s
     */
    static Connection open(String db, boolean readOnly, Integer busyTimeoutMs) throws OpenFailure {
        return open(db, readOnly, busyTimeoutMs, note -> { });
    }

    /**
     * As above; {@code notes} hears of anything done on the way that the user should know about.
     *
     * <p>A read-only open of a file with a hot journal (a crash in the middle of a write left
     * {@code <db>-journal} behind) fails with SQLITE_READONLY_ROLLBACK: SQLite must roll the journal
     * back before anyone can read the file. The first read-write open by anyone does that, and it
     * restores exactly the last committed state, so when the user may write the file and its
     * directory, fkguard opens it read-write once, lets SQLite roll back, says so, and goes on read-only.
     * Otherwise the message says what to do.
     */
    static Connection open(String db, boolean readOnly, Integer busyTimeoutMs, java.util.function.Consumer<String> notes)
            throws OpenFailure {
        try {
            return openOnce(db, readOnly, busyTimeoutMs);
        } catch (HotJournal e) {
            Target t = parse(db);
            Path file = Path.of(t.shownPath()).toAbsolutePath();
            Path dir = file.getParent();
            // the URL's mode=ro, nolock or immutable rule a write out, and so does a file this user may not write
            boolean mayWrite = !t.readOnlyAsked() && !t.noLock() && Files.isWritable(file) && dir != null && Files.isWritable(dir);
            if (!mayWrite) {
                throw new InputError(file + " has a hot journal (" + file + "-journal): a crash interrupted a write, and"
                        + " SQLite must roll it back before the file can be read, which needs write access to the file"
                        + " and its directory. Open it once read-write as a user who may write it (fkguard sync, or"
                        + " sqlite3 " + file + " 'PRAGMA user_version'), then run this again");
            }
            close(openOnce(db, false, busyTimeoutMs));
            notes.accept("rolled back the interrupted write in " + file + "-journal (a crash left it behind; any"
                    + " writer does this on opening), which restores the last committed state");
            return openOnce(db, readOnly, busyTimeoutMs);
        }
    }

    /** SQLITE_READONLY_ROLLBACK: only a read-write connection can roll back the hot journal. */
    private static final class HotJournal extends OpenFailure {
        HotJournal(String message) {
            super(message);
        }
    }

    private static Connection openOnce(String db, boolean readOnly, Integer busyTimeoutMs) throws OpenFailure {
        Target t = parse(db);
        if (!readOnly && t.readOnlyAsked()) {
            throw new InputError(db + ": the URL opens the database read-only (mode=ro), and this command writes;"
                    + " remove mode=ro");
        }
        if (!readOnly && t.noLock()) {
            throw new InputError(db + ": nolock / immutable turn SQLite's file locking off, and a write without locks"
                    + " can corrupt the file while another connection writes; remove them from the URL");
        }
        List<String> params = new ArrayList<>();
        params.add("mode=" + (readOnly ? "ro" : "rw"));
        params.addAll(t.params());
        String url = JDBC + t.uriPath() + "?" + String.join("&", params);
        int timeout = busyTimeout(t, busyTimeoutMs);
        SQLiteConfig config = new SQLiteConfig();
        // flags set one by one: setReadOnly(false) would set CREATE again
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        if (readOnly) {
            config.resetOpenMode(SQLiteOpenMode.READWRITE);
            config.setOpenMode(SQLiteOpenMode.READONLY);
        }
        config.setOpenMode(SQLiteOpenMode.OPEN_URI);
        config.setBusyTimeout(timeout);
        NativeLibrary.copyOnce();
        Connection c;
        try {
            c = config.createConnection(url);
        } catch (SQLException e) {
            throw failure(t, e, timeout);
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM sqlite_master), page_count FROM pragma_page_count")) {
            rs.next();
            if (rs.getLong(2) == 0) {
                throw new InputError(t.shownPath() + " is not a SQLite database (the file is empty;"
                        + " fkguard never turns a file into a database)");
            }
            return c;
        } catch (SQLException e) {
            close(c);
            throw failure(t, e, timeout);
        } catch (InputError e) {
            close(c);
            throw e;
        }
    }

    /** The busy timeout in force: {@code --busy-timeout}, else the URL's {@code busy_timeout}, else 5 s. */
    static int busyTimeout(String db, Integer option) throws InputError {
        return busyTimeout(parse(db), option);
    }

    private static int busyTimeout(Target t, Integer option) throws InputError {
        int ms = option != null ? option : t.busyTimeout() != null ? t.busyTimeout() : DEFAULT_BUSY_TIMEOUT_MS;
        if (ms < 0) {
            throw new InputError("the busy timeout must be 0 or more milliseconds, not " + ms);
        }
        return ms;
    }

    /** True for SQLITE_BUSY and SQLITE_LOCKED, with any extended code. */
    static boolean isBusy(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return primary == 5 || primary == 6;
    }

    static String busyMessage(String db, int timeoutMs) {
        return db + " is locked by another connection (waited " + timeoutMs + " ms); nothing was changed."
                + " Retry when the other writer is done, or wait longer with --busy-timeout=MS";
    }

    /** A failed SQL statement, as the user should read it. */
    static String explain(String db, SQLException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("NOTADB") || m.contains("not a database")) {
            return db + " is not a SQLite database (" + m + ")";
        }
        return m;
    }

    private static OpenFailure failure(Target t, SQLException e, int timeout) {
        if (e instanceof org.sqlite.SQLiteException se
                && se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_READONLY_ROLLBACK) {
            return new HotJournal(e.getMessage());
        }
        if (isBusy(e)) {
            return new Busy(busyMessage(t.shownPath(), timeout));
        }
        if (isWal(Path.of(t.shownPath())) && e instanceof org.sqlite.SQLiteException se
                && (se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_READONLY_DIRECTORY
                || se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_READONLY_CANTINIT
                || se.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CANTOPEN)) {
            Path file = Path.of(t.shownPath()).toAbsolutePath();
            return new InputError(file + " is in WAL mode: even reading it needs " + file.getFileName() + "-wal and "
                    + file.getFileName() + "-shm beside it, and SQLite could not create them in " + file.getParent()
                    + " (" + se.getResultCode().name() + "). Run as a user who may write that directory, or make it"
                    + " writable for this user; or have such a user switch the database out of WAL once:"
                    + " sqlite3 " + file + " 'PRAGMA journal_mode=DELETE'");
        }
        if ((e.getErrorCode() & 0xff) == 14) { // SQLITE_CANTOPEN
            Path p = Path.of(t.shownPath());
            if (Files.isDirectory(p)) {
                return new InputError("not a file: " + t.shownPath());
            }
            if (!Files.exists(p)) {
                return new InputError("no such database file: " + t.shownPath() + " (fkguard never creates a database)");
            }
            return new InputError("cannot open " + t.shownPath() + ": " + e.getMessage());
        }
        return new InputError(explain(t.shownPath(), e));
    }

    /** The file header says WAL (bytes 18 and 19 are 2); read only to choose a message. */
    private static boolean isWal(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(20);
            return header.length == 20 && header[18] == 2 && header[19] == 2;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void close(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the first failure is the one to report
        }
    }

    /** Splits what the user gave into a {@code file:} URI path and its query parameters. */
    static Target parse(String db) throws InputError {
        String rest;
        String query = "";
        String uriPath;
        String shown;
        if (db.startsWith(JDBC)) {
            rest = db.substring(JDBC.length());
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            if (rest.startsWith("file:")) {
                uriPath = rest;
                shown = decode(uriPath.substring("file:".length()).replaceFirst("^//(localhost)?(?=/)", ""));
            } else {
                // sqlite-jdbc reads a path here literally: no percent decoding
                shown = rest;
                uriPath = uri(rest);
            }
        } else {
            shown = db;
            uriPath = uri(db);
        }
        if (shown.isEmpty() || shown.equals(":memory:")) {
            throw new InputError("an in-memory database holds nothing to enforce: give a database file");
        }
        List<String> params = new ArrayList<>();
        Integer busy = null;
        boolean noLock = false;
        boolean readOnlyAsked = false;
        for (String p : query.isEmpty() ? new String[0] : query.split("&")) {
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            switch (key) {
                case "mode" -> {
                    if (value.equalsIgnoreCase("memory")) {
                        throw new InputError("an in-memory database holds nothing to enforce: give a database file");
                    }
                    // fkguard chooses ro or rw itself; rwc (create) is never passed on
                    readOnlyAsked = value.equalsIgnoreCase("ro");
                }
                case "busy_timeout" -> {
                    try {
                        busy = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new InputError("busy_timeout must be a number of milliseconds, not '" + value + "'");
                    }
                }
                case "nolock", "immutable" -> {
                    noLock |= !(value.equals("0") || value.equalsIgnoreCase("false"));
                    params.add(p);
                }
                default -> params.add(p);
            }
        }
        return new Target(uriPath, params, shown, busy, noLock, readOnlyAsked);
    }

    /** A {@code file:} URI for a literal path: the characters a URI gives meaning to are escaped. */
    private static String uri(String path) {
        String abs = Path.of(path).toAbsolutePath().toString();
        StringBuilder sb = new StringBuilder("file:");
        for (byte b : abs.getBytes(StandardCharsets.UTF_8)) {
            char ch = (char) (b & 0xff);
            if (ch == '%' || ch == '?' || ch == '#' || ch == ' ' || ch == '&' || ch == '=' || ch < 0x20 || ch >= 0x7f) {
                sb.append('%').append(String.format("%02X", b & 0xff));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** Percent-decoding as SQLite does it: {@code %HH} only, {@code +} stays a plus. */
    private static String decode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            if (s.charAt(i) == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
