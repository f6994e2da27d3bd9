package dev.fkguard.cli;

import dev.fkguard.Report;

/** What add-key and drop-key share. */
final class KeyCommands {
    private KeyCommands() {
    }

    /** --dry-run: the statements on stdout, the problems on stderr; exit 1 when the change would be refused. */
    static int printPlan(Main.DbCommand command, Report plan) {
        if (!plan.problems().isEmpty()) {
            command.err().println("fkguard: would be refused, nothing was changed");
            Main.printProblems(command.err(), plan);
            return Main.REFUSED;
        }
        for (String sql : plan.statements()) {
            command.out().println(sql + ";");
        }
        return Main.OK;
    }
}
