package dev.fkguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar keeps sqlite-jdbc's native library extracted under the user's cache directory instead of
 * extracting it on every start: the first command writes it, later ones load it, and a damaged copy is written again.
 */
class NativeLibraryCacheJarTest {
    @TempDir
    Path dir;

    private CliJarTest.Run fkguardWithHome(Path home, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("fkguard.cliJar", "../cli/target/fkguard.jar"));
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Duser.home=" + home, "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("XDG_CACHE_HOME");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new CliJarTest.Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static List<Path> libraries(Path home) throws IOException {
        Path cache = home.resolve(".cache/fkguard/native");
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void the_first_command_extracts_the_native_library_once_and_later_commands_use_that_copy() throws Exception {
        Path db = CliJarTest.load(dir, "chinook.db", "Chinook_Sqlite.sql");
        Path home = Files.createDirectories(dir.resolve("home"));

        CliJarTest.Run first = fkguardWithHome(home, "sync", db.toString());
        List<Path> written = libraries(home);
        long modified = Files.getLastModifiedTime(written.get(0)).toMillis();
        CliJarTest.Run second = fkguardWithHome(home, "check", db.toString());

        assertEquals(0, first.status(), first.err());
        assertEquals(0, second.status(), second.err());
        assertEquals(1, written.size(), "one library, no partial file left: " + written);
        assertTrue(written.get(0).getFileName().toString().contains("sqlitejdbc"), written.toString());
        assertEquals(written, libraries(home));
        assertEquals(modified, Files.getLastModifiedTime(written.get(0)).toMillis(), "the second command wrote nothing");
    }

    @Test
    void a_truncated_copy_is_written_again_and_the_command_still_works() throws Exception {
        Path db = CliJarTest.load(dir, "chinook.db", "Chinook_Sqlite.sql");
        Path home = Files.createDirectories(dir.resolve("home"));
        assertEquals(0, fkguardWithHome(home, "sync", db.toString()).status());
        Path library = libraries(home).get(0);
        long size = Files.size(library);
        Files.write(library, new byte[100]);

        CliJarTest.Run run = fkguardWithHome(home, "check", db.toString());

        assertEquals(0, run.status(), run.err());
        assertEquals(size, Files.size(library));
    }

    @Test
    void an_unwritable_cache_leaves_sqlite_jdbc_to_extract_as_before() throws Exception {
        Path db = CliJarTest.load(dir, "chinook.db", "Chinook_Sqlite.sql");
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve(".cache"), "a file where the cache directory would be");

        CliJarTest.Run run = fkguardWithHome(home, "sync", db.toString());

        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("created"), run.out());
    }
}
