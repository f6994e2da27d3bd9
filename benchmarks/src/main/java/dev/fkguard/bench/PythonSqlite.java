package dev.fkguard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The connection benchmark through a second SQLite: the library Python's {@code sqlite3} module links, which on
 * Debian is the system libsqlite3 that the {@code sqlite3} shell uses too (3.40.1 on bookworm), i.e. what most
 * clients that open the file outside the JVM parse the triggers with. One {@code python3} process runs the
 * whole series ({@code connection_bench.py}), so the interpreter's start is not timed.
 */
final class PythonSqlite {

    /** What the Python series measured, or why it did not run ({@code skipped} non-null, the rest null). */
    record Outcome(String python, String sqliteVersion, Stats without, Stats with, String skipped) {
        static Outcome skipped(String python, String why) {
            return new Outcome(python, null, null, null, why);
        }

        boolean ran() {
            return skipped == null;
        }
    }

    private PythonSqlite() {
    }

    static Outcome run(String python, Path workDir, Path without, Path with, String table, int opens, int warmups)
            throws IOException, InterruptedException {
        Path script = workDir.resolve("connection_bench.py");
        try (InputStream in = PythonSqlite.class.getResourceAsStream("connection_bench.py")) {
            if (in == null) {
                throw new IllegalStateException("connection_bench.py missing from the harness jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = List.of(python, script.toString(), without.toString(), with.toString(), table,
            Integer.toString(opens), Integer.toString(warmups));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            return Outcome.skipped(python, "`" + python + "` could not be started (" + e.getMessage() + ")");
        }
        String version = null;
        Stats a = new Stats();
        Stats b = new Stats();
        List<String> unexpected = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] parts = line.trim().split(" ", 2);
                switch (parts[0]) {
                    case "version" -> version = parts[1];
                    case "without" -> a.add(Long.parseLong(parts[1]));
                    case "with" -> b.add(Long.parseLong(parts[1]));
                    default -> unexpected.add(line);
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return Outcome.skipped(python, "`" + python + "` did not finish within 10 minutes");
        }
        if (p.exitValue() != 0 || version == null || a.size() != opens || b.size() != opens) {
            return Outcome.skipped(python, "`" + python + "` exited with " + p.exitValue() + " after " + a.size() + " of "
                + opens + " measurements" + (unexpected.isEmpty() ? "" : ": " + String.join(" / ", unexpected)));
        }
        return new Outcome(python, version, a, b, null);
    }
}
