package dev.fkguard.cli;

import dev.fkguard.Report;
import java.io.PrintWriter;
import java.util.List;

/** How a finished sync is told, by {@code sync} and by {@code run}: summary, names, problems; and its exit status. */
final class SyncOutput {
    private SyncOutput() {
    }

    /**
     * Prints the report ({@code info} unless quiet; the problems of a partial sync always, on {@code err},
     * as {@link ReportText} lays them out) and returns 0, or 1 when keys were left unenforced.
     */
    static int print(PrintWriter info, PrintWriter err, boolean quiet, boolean verbose, String db, Report r) {
        if (!quiet) {
            info.println("fkguard sync " + db + ": " + r.summary());
            list(info, "created", r.created());
            list(info, "dropped", r.dropped());
            for (Report.StaleTrigger s : r.staleTriggers()) {
                info.println("  replaced stale trigger " + s.name() + " (it named "
                        + String.join(", ", concat(s.missingTables(), s.missingColumns())) + ", which no longer exist"
                        + (s.missingTables().size() + s.missingColumns().size() == 1 ? "s" : "") + ")");
            }
        }
        if (r.problems().isEmpty()) {
            ReportText.print(info, r, verbose, quiet);
            return Main.OK;
        }
        err.println("fkguard: " + r.problems().size() + " foreign key" + (r.problems().size() == 1 ? " is" : "s are")
                + " left unenforced; every other key is enforced. Fix what is named below and run fkguard sync " + db);
        ReportText.print(err, r, verbose, quiet);
        return Main.REFUSED;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void list(PrintWriter w, String what, List<String> names) {
        if (!names.isEmpty()) {
            int shown = Math.min(names.size(), 8);
            w.println("  " + what + ": " + String.join(", ", names.subList(0, shown))
                    + (names.size() > shown ? " and " + (names.size() - shown) + " more" : ""));
        }
    }
}
