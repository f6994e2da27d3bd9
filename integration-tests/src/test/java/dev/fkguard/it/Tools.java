package dev.fkguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real tools (Debian's Django, Alembic, sqlite-utils, the sqlite3 shell), each run in a process of
 * its own, and the real jar around them. In CI ({@code FKGUARD_CI} set by {@code .ci/run}) a missing
 * tool fails the test; elsewhere the test is skipped and says which tool is missing.
 */
final class Tools {
    /** Debian installs its Python modules for /usr/bin/python3; a python3 earlier on the PATH may lack them. */
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    private static final Map<String, Boolean> AVAILABLE = new HashMap<>();

    private Tools() {
    }

    record Result(int status, String out, String err) {
        String both() {
            return out + err;
        }
    }

    /** Fails in CI, skips elsewhere, unless {@code probe} (a command) runs and exits 0. */
    static void require(String what, String... probe) {
        boolean ok = AVAILABLE.computeIfAbsent(String.join(" ", probe), k -> {
            try {
                return run(Path.of("."), null, probe).status() == 0;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        });
        if (!ok) {
            String why = what + " is not installed (tried: " + String.join(" ", probe) + "); .ci/run installs it with apt-get";
            if (System.getenv("FKGUARD_CI") != null) {
                fail(why);
            }
            Assumptions.abort("skipped outside CI: " + why);
        }
    }

    static void requirePythonModule(String debianPackage, String module) {
        require(debianPackage, PYTHON, "-c", "import " + module);
    }

    static void requireSqlite3() {
        require("sqlite3", "sqlite3", "-version");
    }

    /** Runs a command in {@code dir}, stdin from {@code input} (or nothing), and waits for it. */
    static Result run(Path dir, Path input, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        if (input != null) {
            pb.redirectInput(input.toFile());
        }
        Process p = pb.start();
        if (input == null) {
            p.getOutputStream().close();
        }
        try {
            var err = new java.util.concurrent.CompletableFuture<byte[]>();
            Thread t = new Thread(() -> {
                try {
                    err.complete(p.getErrorStream().readAllBytes());
                } catch (IOException e) {
                    err.completeExceptionally(e);
                }
            });
            t.start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IOException(e);
        }
    }

    /** {@code java -jar cli/target/fkguard.jar run <db> -- <command>} in {@code dir}. */
    static Result fkguardRun(Path dir, Path input, String db, String... command) throws IOException {
        Path jar = Path.of(System.getProperty("fkguard.cliJar", "../cli/target/fkguard.jar")).toAbsolutePath();
        assertTrue(Files.exists(jar), "build the jar first: " + jar);
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "run", db, "--"));
        args.addAll(List.of(command));
        return run(dir, input, args.toArray(String[]::new));
    }

    static Connection open(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    static Report sync(Path db) throws SQLException {
        try (Connection c = open(db)) {
            return FkGuard.sync(c, Options.defaults());
        }
    }

    /** What {@code fkguard check} finds. */
    static Report check(Path db) throws SQLException {
        try (Connection c = open(db)) {
            return FkGuard.check(c, Options.defaults());
        }
    }

    static void assertHealthy(Path db) throws SQLException {
        Report r = check(db);
        assertTrue(r.healthy(), "fkguard check: " + r.describe());
    }

    /** A plain sqlite3 shell, foreign_keys off as always, must be refused with fkguard's message for the key. */
    static void assertShellRefuses(Path db, String sql, String key) throws IOException {
        Result r = run(db.getParent(), null, "sqlite3", db.toString(), sql);
        assertNotEquals(0, r.status(), "sqlite3 accepted: " + sql);
        assertTrue(r.err().contains("FOREIGN KEY constraint failed: " + key), r.err());
    }

    static void assertOk(Result r) {
        assertEquals(0, r.status(), r.both());
    }

    static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text.stripIndent());
    }
}
