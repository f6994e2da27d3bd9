package dev.fkguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar copies sqlite-jdbc's native library itself (one bulk copy into the temp directory, deleted at
 * exit) and names it to the driver, which then skips its own copy and byte-by-byte comparison. Seen from outside,
 * with the JVM's own log of the libraries it loads ({@code -Xlog:library=info}).
 */
class NativeLibraryJarTest {
    private static final Pattern LOADED = Pattern.compile("Loaded library ([^\\s,]*sqlitejdbc[^\\s,]*)");

    @TempDir
    Path dir;

    record Run(int status, String out, String err, List<Path> loaded) {
    }

    private Run fkguard(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("fkguard.cliJar", "../cli/target/fkguard.jar"));
        assertTrue(Files.exists(jar), "build the jar first: " + jar);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:library=info"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<Path> loaded = new ArrayList<>();
        Matcher m = LOADED.matcher(out);
        while (m.find()) {
            loaded.add(Path.of(m.group(1)));
        }
        return new Run(p.exitValue(), out, err, loaded);
    }

    private Path database() throws Exception {
        Path db = dir.resolve("shop.db");
        CliJarTest.exec(db, "CREATE TABLE p (id INTEGER PRIMARY KEY)");
        CliJarTest.exec(db, "CREATE TABLE c (p INTEGER REFERENCES p)");
        return db;
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }

    @Test
    void theDriverLoadsTheJarsOwnCopyAndMakesNoneOfItsOwn() throws Exception {
        Path db = database();
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Run r = fkguard(List.of("-Djava.io.tmpdir=" + tmp), "sync", db.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(1, r.loaded().size(), r.out());
        Path lib = r.loaded().get(0);
        assertEquals(tmp.toRealPath(), lib.getParent().toRealPath(), r.out());
        assertTrue(lib.getFileName().toString().startsWith("fkguard-"), lib.toString());
        assertTrue(CliJarTest.count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") > 0);
    }

    @Test
    void theCopyIsDeletedWhenTheCommandExits() throws Exception {
        Path db = database();
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Run r = fkguard(List.of("-Djava.io.tmpdir=" + tmp), "sync", db.toString());
        assertEquals(1, r.loaded().size(), r.out());
        assertEquals(List.of(), list(tmp).stream().filter(f -> f.getFileName().toString().contains("sqlitejdbc")).toList());
    }

    @Test
    void theCopyGoesWhereTheDriverWouldPutItsOwn() throws Exception {
        Path db = database();
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path driverTmp = Files.createDirectory(dir.resolve("driver-tmp"));
        Run r = fkguard(List.of("-Djava.io.tmpdir=" + tmp, "-Dorg.sqlite.tmpdir=" + driverTmp), "sync", db.toString());
        assertEquals(1, r.loaded().size(), r.out());
        assertEquals(driverTmp.toRealPath(), r.loaded().get(0).getParent().toRealPath(), r.out());
    }

    @Test
    void aLibraryTheUserNamesIsTheOneLoaded() throws Exception {
        Path db = database();
        Path own = Files.createDirectory(dir.resolve("own"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        String name = System.mapLibraryName("sqlitejdbc");
        String resource = "/org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
        try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            Files.copy(in, own.resolve("mine-" + name));
        }
        Run r = fkguard(List.of("-Djava.io.tmpdir=" + tmp, "-Dorg.sqlite.lib.path=" + own,
                "-Dorg.sqlite.lib.name=mine-" + name), "sync", db.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(own.resolve("mine-" + name).toRealPath()), r.loaded().stream().map(p -> {
            try {
                return p.toRealPath();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList(), r.out());
        assertFalse(r.out().contains("fkguard-"), r.out());
    }
}
