package dev.fkguard.cli;

import dev.fkguard.Report;
import picocli.CommandLine.Option;

/** What add-key and drop-key share. */
final class KeyCommands {
    private KeyCommands() {
    }

    /** An add-key or drop-key command: with {@code --dry-run} it only reads and prints the SQL. */
    abstract static class KeyCommand extends Main.DbCommand {
        @Option(names = "--dry-run", description = "Print the SQL it would run and change nothing.")
        boolean dryRun;

        @Override
        boolean readOnly() {
            return dryRun;
        }
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
