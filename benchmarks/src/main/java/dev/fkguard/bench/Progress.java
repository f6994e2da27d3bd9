package dev.fkguard.bench;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on stderr, so stdout carries only the markdown tables. */
final class Progress {
    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    void say(String line) {
        if (out != null) {
            out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + line);
            out.flush();
        }
    }
}
