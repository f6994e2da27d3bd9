package dev.fkguard.flyway;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Everything Flyway logs, as "LEVEL message" lines, for a Flyway configured with {@code .loggers(CapturedLog.LOGGER)}
 * (Flyway's own route for a custom logger: the class name of a {@link LogCreator}).
 */
public final class CapturedLog implements AutoCloseable {
    static final String LOGGER = Creator.class.getName();
    private static final List<String> LINES = new CopyOnWriteArrayList<>();

    private CapturedLog() {
    }

    static CapturedLog start() {
        LINES.clear();
        return new CapturedLog();
    }

    /** Lines that fkguard itself logged (not Flyway's own "Executing Java callback: ... - fkguard"). */
    List<String> fkguardLines() {
        return LINES.stream().filter(l -> l.matches("(?s)^[A-Z]+ fkguard.*")).collect(Collectors.toList());
    }

    /** fkguard's info lines. */
    List<String> fkguardInfoLines() {
        return LINES.stream().filter(l -> l.startsWith("INFO fkguard")).collect(Collectors.toList());
    }

    List<String> lines() {
        return List.copyOf(LINES);
    }

    @Override
    public void close() {
        LINES.clear();
    }

    /** Instantiated by Flyway from its {@code loggers} setting. */
    public static final class Creator implements LogCreator {
        @Override
        public Log createLogger(Class<?> clazz) {
            return new Recorder();
        }
    }

    private static final class Recorder implements Log {
        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public void debug(String message) {
        }

        @Override
        public void info(String message) {
            LINES.add("INFO " + message);
        }

        @Override
        public void warn(String message) {
            LINES.add("WARN " + message);
        }

        @Override
        public void error(String message) {
            LINES.add("ERROR " + message);
        }

        @Override
        public void error(String message, Exception e) {
            LINES.add("ERROR " + message);
        }

        @Override
        public void notice(String message) {
            LINES.add("NOTICE " + message);
        }
    }
}
