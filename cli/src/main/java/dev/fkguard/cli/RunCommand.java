package dev.fkguard.cli;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code fkguard run <db> -- <command> [args...]}: steps fkguard's triggers aside for a tool that
 * changes the schema without knowing about them, then puts back every trigger the database can carry.
 *
 * <p>The triggers are dropped in a committed transaction of their own, the command runs as a child
 * process that inherits the working directory, the environment and the three standard streams, and
 * the closing sync is partial: every clean, well declared key gets its triggers, the others are
 * reported. fkguard's own lines go to stderr, so the command's stdout stays its own. When fkguard is
 * interrupted (Ctrl-C reaches the command too), it still waits for the command and syncs before it exits.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Drop fkguard's triggers, run a command that changes the schema (a migration tool, a script, the"
                + " sqlite3 shell), then sync. The command gets this working directory, environment, stdin, stdout and"
                + " stderr; everything after -- is passed to it untouched.",
                "The closing sync protects what it can: every clean, well declared foreign key gets its triggers, the"
                + " others are reported as sync reports them (table, columns, parent, rows) and the status is 1.",
                "While the command runs no fkguard trigger exists: other connections are not held to the foreign keys.",
                "If <db> does not exist yet there is nothing to drop; it is synced if the command creates it."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the command succeeded and every foreign key is enforced",
                "1:the command succeeded, some foreign keys are left unenforced (orphan rows, broken declaration)",
                "2:usage or input error (the command is not run when <db> cannot be used)",
                "3:busy: another connection held a lock past --busy-timeout (the command is not run when the triggers"
                        + " cannot be dropped)",
                "*:the command's own status when it failed (127: it could not be started); the sync still ran"})
final class RunCommand implements Callable<Integer> {
    static final int NOT_STARTED = 127;

    @Mixin
    Main.Target target;

    @Mixin
    Main.OrphanOption orphans;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "<command>",
            description = "The command and its arguments, after --, e.g. -- python3 manage.py migrate.")
    List<String> command;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private void say(String text) {
        if (!target.quiet) {
            err().println(text);
        }
    }

    @Override
    public Integer call() {
        Options options = target.options(orphans.policy()).withPartial(true);
        boolean exists;
        try {
            exists = Files.exists(Path.of(Databases.parse(target.db).shownPath()));
        } catch (Databases.InputError e) {
            err().println("fkguard: " + e.getMessage() + " (the command was not run)");
            return Main.INPUT;
        }
        if (!exists) {
            say("fkguard run: " + target.db + " does not exist yet, so there are no triggers to drop");
        } else {
            Integer refused = dropTriggers(options);
            if (refused != null) {
                return refused;
            }
        }
        ClosingSync closing = new ClosingSync(options);
        Thread hook = new Thread(closing::afterInterrupt, "fkguard-run-closing-sync");
        Runtime.getRuntime().addShutdownHook(hook);
        int status;
        try {
            status = closing.runCommand();
        } finally {
            closing.finish();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and does the sync itself
            }
        }
        int sync = closing.syncStatus;
        if (status != 0) {
            err().println("fkguard run: the command exited with status " + status
                    + (sync == Main.OK ? "; every foreign key is enforced again" : "; see the sync report above"));
            return status;
        }
        return sync;
    }

    private Connection open() throws Databases.OpenFailure {
        return Databases.open(target.db, false, target.busyTimeout, note -> err().println("fkguard: " + note));
    }

    /** An exit status and a line on stderr for a database that could not be used. */
    private int failed(Exception e, String after) {
        if (e instanceof SQLException sql) {
            boolean busy = Databases.isBusy(sql);
            String message;
            try {
                message = busy ? Databases.busyMessage(target.db, Databases.busyTimeout(target.db, target.busyTimeout))
                        : Databases.explain(target.db, sql);
            } catch (Databases.InputError bad) {
                message = bad.getMessage();
            }
            err().println("fkguard: " + message + after);
            return busy ? Main.BUSY : Main.INPUT;
        }
        err().println("fkguard: " + e.getMessage() + after);
        return e instanceof Databases.Busy ? Main.BUSY : Main.INPUT;
    }

    /** Drops every fkguard trigger and commits; returns an exit status when the command must not run. */
    private Integer dropTriggers(Options options) {
        try (Connection c = open()) {
            Report r = FkGuard.drop(c, options);
            say("fkguard run: dropped " + r.dropped().size() + " fkguard triggers of " + target.db + "; running "
                    + String.join(" ", command));
            return null;
        } catch (Databases.OpenFailure | SQLException e) {
            return failed(e, " (the command was not run)");
        }
    }

    /** The command, and the sync after it, exactly once, whether fkguard ends normally or is interrupted. */
    private final class ClosingSync {
        private final Options options;
        private Process process;
        private boolean synced;
        int syncStatus = Main.INPUT;

        ClosingSync(Options options) {
            this.options = options;
        }

        int runCommand() {
            try {
                synchronized (this) {
                    process = new ProcessBuilder(command).inheritIO().start();
                }
            } catch (IOException e) {
                err().println("fkguard run: cannot start " + command.get(0) + ": " + e.getMessage());
                return NOT_STARTED;
            }
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    // keep waiting: the sync must come after the command
                }
            }
        }

        /** The shutdown hook: fkguard was interrupted; wait for the command, then sync. */
        void afterInterrupt() {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p != null) {
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            finish();
            err().flush();
        }

        synchronized void finish() {
            if (!synced) {
                synced = true;
                syncStatus = sync();
            }
        }

        private int sync() {
            try {
                if (!Files.exists(Path.of(Databases.parse(target.db).shownPath()))) {
                    err().println("fkguard: no such database file: " + target.db + " (the command did not create it)");
                    return Main.INPUT;
                }
            } catch (Databases.InputError e) {
                err().println("fkguard: " + e.getMessage());
                return Main.INPUT;
            }
            try (Connection c = open()) {
                return SyncOutput.print(err(), err(), target.quiet, target.verbose, target.db, FkGuard.sync(c, options));
            } catch (Databases.OpenFailure | SQLException e) {
                return failed(e, "; the closing sync did not run, so no fkguard trigger is installed"
                        + " (run fkguard sync " + target.db + ")");
            }
        }
    }
}
