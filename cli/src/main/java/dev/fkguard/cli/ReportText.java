package dev.fkguard.cli;

import dev.fkguard.Report;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * A report as a person reads it, on one screen whatever the schema's size: stale triggers (of a plan or
 * check: a sync replaces them), problems (the few
 * that refuse), counted per kind; then warnings, one line per kind with a count (a kind seen once is
 * shown as it is); then a total. {@code --verbose} lists every warning; {@code --json} has it all.
 */
final class ReportText {
    /** Problems listed before "and N more". */
    static final int SHOWN_PROBLEMS = 10;
    /** Longest line printed outside --verbose; messages name tables and columns, which can be long. */
    static final int MAX_LINE = 400;

    private ReportText() {
    }

    static void print(PrintWriter w, Report r, boolean verbose, boolean quiet) {
        if (!r.applied()) {
            // after a sync they are replaced: the sync's own output says so
            for (Report.StaleTrigger s : r.staleTriggers()) {
                w.println(line("  stale: " + s.message(), verbose));
            }
        }
        List<Report.Problem> problems = r.problems();
        int shown = verbose ? problems.size() : Math.min(problems.size(), SHOWN_PROBLEMS);
        for (Report.Problem p : problems.subList(0, shown)) {
            w.println(line("  problem: " + p.message(), verbose));
        }
        if (shown < problems.size()) {
            w.println("  problem: ... and " + (problems.size() - shown) + " more (--verbose lists them)");
        }
        if (problems.size() > 1) {
            long orphans = problems.stream().filter(p -> p.kind() == Report.Problem.Kind.ORPHANS).count();
            w.println("  problems: " + orphans + " foreign key(s) broken by existing rows, " + (problems.size() - orphans)
                    + " broken declaration(s)");
        }
        if (quiet) {
            return;
        }
        boolean grouped = false;
        if (verbose) {
            for (String warning : r.warnings()) {
                w.println("  warning: " + warning);
            }
        } else {
            for (Map.Entry<String, List<String>> kind : r.warningsByKind().entrySet()) {
                if (kind.getValue().size() == 1) {
                    w.println(line("  warning: " + kind.getValue().get(0), false));
                } else {
                    grouped = true;
                    w.println(line("  warning: " + kind.getValue().size() + " " + kind.getKey(), false));
                }
            }
        }
        if (problems.size() + r.warnings().size() > 1) {
            w.println("  total: " + count(problems.size(), "problem") + ", " + count(r.warnings().size(), "warning")
                    + (grouped || shown < problems.size() ? " (--verbose lists every one, --json gives the full report)" : ""));
        }
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String line(String text, boolean verbose) {
        return verbose || text.length() <= MAX_LINE ? text
                : text.substring(0, MAX_LINE) + "... (" + text.length() + " characters; --verbose or --json for all)";
    }
}
