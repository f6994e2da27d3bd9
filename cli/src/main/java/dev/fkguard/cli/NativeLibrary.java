package dev.fkguard.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * sqlite-jdbc's native library, copied out of the jar by the CLI instead of by the driver. The driver copies it into
 * the temp directory at every start too, but then reads the resource and the copy back one byte at a time to compare
 * them: about 60 ms of a cold command's main thread, and a loop the JIT then compiles while the command waits for the
 * CPU. Here the library is copied once per process, in one bulk copy, into a new temp file of this process's own
 * (deleted at exit, as the driver's copy is), and named to the driver with {@code org.sqlite.lib.path} and
 * {@code org.sqlite.lib.name}. A failed write throws, so no partial copy is ever named. Anything unusual (either
 * property already set by the user, no library for this platform in the jar, an I/O error) leaves the driver to
 * find and copy its library as it always does, and so does a copy the driver then fails to load (a temp directory
 * mounted noexec, say). Nothing is written outside the driver's own temp directory.
 */
final class NativeLibrary {
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";
    /** The copy this process made and named, or null. */
    private static Path copied;
    private static boolean tried;

    private NativeLibrary() {
    }

    /** Call before the first connection is opened; later calls do nothing. Never fails: at worst it changes nothing. */
    static synchronized void copyOnce() {
        if (tried) {
            return;
        }
        tried = true;
        if (userChose()) {
            return;
        }
        Path file = null;
        try {
            String resource = org.sqlite.util.LibraryLoaderUtil.getNativeLibResourcePath();
            String name = org.sqlite.util.LibraryLoaderUtil.getNativeLibName();
            try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource + "/" + name)) {
                if (in == null) {
                    return;
                }
                // where the driver would copy it: org.sqlite.tmpdir, else java.io.tmpdir
                String dir = System.getProperty("org.sqlite.tmpdir");
                file = dir == null ? Files.createTempFile("fkguard-", "-" + name)
                        : Files.createTempFile(Path.of(dir), "fkguard-", "-" + name);
                file.toFile().deleteOnExit();
                long n = Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                if (n == 0 || Files.size(file) != n) {
                    Files.deleteIfExists(file);
                    return;
                }
            }
            System.setProperty(PATH, file.getParent().toString());
            System.setProperty(NAME, file.getFileName().toString());
            copied = file;
        } catch (IOException | RuntimeException | LinkageError e) {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // deleted at exit
                }
            }
        }
    }

    /** True when the driver's library was chosen by the user's system properties, not by {@link #copyOnce}. */
    static synchronized boolean userChose() {
        String path = System.getProperty(PATH);
        String name = System.getProperty(NAME);
        if (path == null && name == null) {
            return false;
        }
        return copied == null || !copied.getParent().toString().equals(path) || !copied.getFileName().toString().equals(name);
    }
}
