package dev.fkguard.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * Flyway in a class loader of its own, with or without fkguard-flyway: "without" hides the jar's classes and its
 * Flyway plugin entry, so that Flyway runs exactly as in a project that does not have the jar. Both load Flyway
 * from the same class path entries; the SQLite driver comes from the parent (the harness's own).
 */
final class IsolatedFlyway implements AutoCloseable {
    private static final String QUIET = "dev.fkguard.bench.QuietFlywayLog";
    private static final String PLUGINS = "META-INF/services/org.flywaydb.core.extensibility.Plugin";

    private final Loader loader;

    private IsolatedFlyway(boolean withFkguard) {
        this.loader = new Loader(classPath(), IsolatedFlyway.class.getClassLoader(), withFkguard);
    }

    static IsolatedFlyway load(boolean withFkguard) {
        return new IsolatedFlyway(withFkguard);
    }

    /** True when this loader sees fkguard's callback. */
    boolean seesFkguard() {
        try {
            Class.forName("dev.fkguard.flyway.FkGuardCallback", false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** {@code Flyway.configure(loader).dataSource(url).locations(location).placeholders(p).load().migrate()}; nanoseconds of migrate(). */
    long migrate(Path db, Path location, Map<String, String> placeholders) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            Class<?> flyway = loader.loadClass("org.flywaydb.core.Flyway");
            Object cfg = flyway.getMethod("configure", ClassLoader.class).invoke(null, loader);
            Class<?> fc = cfg.getClass();
            fc.getMethod("dataSource", String.class, String.class, String.class)
                    .invoke(cfg, "jdbc:sqlite:" + db.toAbsolutePath(), null, null);
            fc.getMethod("locations", String[].class).invoke(cfg, (Object) new String[] {"filesystem:" + location.toAbsolutePath()});
            fc.getMethod("placeholders", Map.class).invoke(cfg, placeholders);
            fc.getMethod("loggers", String[].class).invoke(cfg, (Object) new String[] {QUIET});
            Object f = fc.getMethod("load").invoke(cfg);
            long start = System.nanoTime();
            f.getClass().getMethod("migrate").invoke(f);
            return System.nanoTime() - start;
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    private static URL[] classPath() {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                try {
                    urls.add(new File(entry).toURI().toURL());
                } catch (MalformedURLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return urls.toArray(new URL[0]);
    }

    /** Child-first for Flyway (and fkguard, when wanted); everything else from the parent. */
    private static final class Loader extends URLClassLoader {
        private final boolean withFkguard;

        Loader(URL[] urls, ClassLoader parent, boolean withFkguard) {
            super(urls, parent);
            this.withFkguard = withFkguard;
        }

        private boolean ownsClass(String name) {
            return name.startsWith("org.flywaydb.") || name.startsWith(QUIET)
                    || (name.startsWith("dev.fkguard.") && !name.startsWith("dev.fkguard.bench."));
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!ownsClass(name)) {
                return super.loadClass(name, resolve);
            }
            if (!withFkguard && name.startsWith("dev.fkguard.") && !name.startsWith(QUIET)) {
                throw new ClassNotFoundException(name + " (hidden: Flyway without fkguard)");
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        public URL getResource(String name) {
            Enumeration<URL> all = getResources0(name);
            return all.hasMoreElements() ? all.nextElement() : null;
        }

        @Override
        public Enumeration<URL> getResources(String name) {
            return getResources0(name);
        }

        private Enumeration<URL> getResources0(String name) {
            try {
                List<URL> found = Collections.list(findResources(name));
                if (found.isEmpty()) {
                    return getParent().getResources(name);
                }
                if (name.equals(PLUGINS) && !withFkguard) {
                    List<URL> filtered = new ArrayList<>();
                    for (URL u : found) {
                        filtered.add(withoutFkguard(u));
                    }
                    return Collections.enumeration(filtered);
                }
                return Collections.enumeration(found);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static URL withoutFkguard(URL u) throws IOException {
            String text;
            try (InputStream in = u.openStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            StringBuilder sb = new StringBuilder();
            for (String line : text.split("\n")) {
                if (!line.trim().startsWith("dev.fkguard.")) {
                    sb.append(line).append('\n');
                }
            }
            Path tmp = Files.createTempFile("flyway-plugins", ".txt");
            tmp.toFile().deleteOnExit();
            Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
            return tmp.toUri().toURL();
        }
    }
}
