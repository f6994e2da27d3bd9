package dev.fkguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cli/fkguard ...}: the launcher script, run by sh as a deploy script runs it. */
class CliLauncherTest {
    @TempDir
    Path dir;

    private static final Path LAUNCHER = Path.of(System.getProperty("fkguard.cliLauncher", "../cli/fkguard"));

    private static CliJarTest.Run launch(Path launcher, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new CliJarTest.Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void theLauncherSyncsChinookSoThatAPlainConnectionRefusesAnOrphan() throws Exception {
        Path db = CliJarTest.load(dir, "chinook.db", "Chinook_Sqlite.sql");
        CliJarTest.Run sync = launch(LAUNCHER, Map.of(), "sync", db.toString());
        assertEquals(0, sync.status(), sync.err());
        assertTrue(sync.out().contains("for 11 foreign keys"), sync.out());
        SQLException e = assertThrows(SQLException.class, () -> CliJarTest.exec(db, "DELETE FROM Genre WHERE GenreId=24"));
        assertTrue(e.getMessage().contains("FOREIGN KEY constraint failed"), e.getMessage());
        assertEquals(0, launch(LAUNCHER, Map.of(), "check", db.toString()).status());
    }

    @Test
    void fkguardJavaOptsReplaceTheLaunchersOptions() throws Exception {
        // a heap too small to start: proves the variable reaches java (and the default options do not)
        CliJarTest.Run r = launch(LAUNCHER, Map.of("FKGUARD_JAVA_OPTS", "-Xmx1k"), "--help");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("heap") || r.out().contains("heap"), r.out() + r.err());
        assertEquals(0, launch(LAUNCHER, Map.of("FKGUARD_JAVA_OPTS", ""), "--help").status());
    }

    @Test
    void aLauncherLinkedElsewhereStillFindsTheJar() throws Exception {
        Path link = dir.resolve("bin").resolve("fkguard");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, LAUNCHER.toAbsolutePath().normalize());
        CliJarTest.Run r = launch(link, Map.of(), "--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Usage: fkguard"), r.out());
    }
}
