package dev.fkguard.flyway;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happens below the supported range: the newest Flyway without {@code InternalCallback} (11.15.0), with this
 * module's classes (and so its plugin entry) on the class path, refuses to start: configuring it throws
 * {@code NoClassDefFoundError} naming the missing Flyway interface, before the database is opened. Flyway loads it in a class loader of its own, so the rest of the
 * suite keeps the newest Flyway.
 */
class FlywayBelowSupportedRangeTest {

    @Test
    void flywayWithoutInternalCallbackStopsWhileConfiguredBeforeOpeningTheDatabase(@TempDir Path dir) throws Exception {
        SqliteFixture db = new SqliteFixture(dir).small();
        try (URLClassLoader loader = classPathWith(Path.of(System.getProperty("fkguard.flyway.unsupported.jar")))) {
            Class<?> flyway = Class.forName("org.flywaydb.core.Flyway", true, loader);
            assertEquals(System.getProperty("fkguard.flyway.unsupported.version"),
                    FkGuardFlywayAutoConfiguration.flywayVersion(loader));

            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> {
                Object conf = flyway.getMethod("configure", ClassLoader.class).invoke(null, loader);
                conf = conf.getClass().getMethod("dataSource", String.class, String.class, String.class)
                        .invoke(conf, db.url(), null, null);
                conf = conf.getClass().getMethod("locations", String[].class).invoke(conf, (Object) new String[]{db.location()});
                Object instance = conf.getClass().getMethod("load").invoke(conf);
                instance.getClass().getMethod("migrate").invoke(instance);
            });

            String chain = causes(e);
            assertTrue(chain.contains("org/flywaydb/core/internal/callback/InternalCallback"), chain);
        }
        assertFalse(Files.exists(db.db), "Flyway stopped while being configured, before it opened the database");
    }

    /** The test class path with the given flyway-core in place of the newest one; parent: the platform loader. */
    private static URLClassLoader classPathWith(Path flywayCore) throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(flywayCore.toUri().toURL());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!Path.of(entry).getFileName().toString().startsWith("flyway-core")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
