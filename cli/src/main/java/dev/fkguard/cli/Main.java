package dev.fkguard.cli;

import dev.fkguard.FkGuard;
import dev.fkguard.FkGuardException;
import dev.fkguard.Options;
import dev.fkguard.Report;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fkguard plan|sync|check|drop <db>}, {@code fkguard run <db> -- <command>}: exit 0 success, 1 refused or out of sync, 2 usage or input error, 3 busy. */
@Command(name = "fkguard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Keeps SQLite foreign keys enforced for every connection with generated triggers.", ""},
        subcommands = {Main.Plan.class, Main.Sync.class, Main.Check.class, Main.Drop.class, RunCommand.class,
                AddKeyCommand.class, DropKeyCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success", "1:refused (orphan rows, broken foreign key) or out of sync", "2:usage or input error",
                "3:busy: another connection held a lock past --busy-timeout; nothing was changed"})
public final class Main implements Runnable {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int INPUT = 2;
    static final int BUSY = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
    }

    /** Runs the command line with the given streams and returns the exit status. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("fkguard: " + e.getMessage());
            return INPUT;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: plan, sync, check, drop or run");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"fkguard " + (v == null ? "development build" : v)};
        }
    }

    /** What every command takes: the database and which part of it to manage. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "<db>", description = "SQLite database file, or a jdbc:sqlite: URL. fkguard never creates one.")
        String db;

        @Option(names = "--schema", defaultValue = "main", paramLabel = "NAME",
                description = "Schema to manage (default: ${DEFAULT-VALUE}).")
        String schema;

        @Option(names = "--exclude", split = ",", paramLabel = "TABLE",
                description = "Tables whose foreign keys are left alone, as child or parent (repeat or comma-separate).")
        List<String> exclude = List.of();

        @Option(names = {"-q", "--quiet"}, description = "Print nothing but errors.")
        boolean quiet;

        @Option(names = {"-v", "--verbose"}, description = "List every warning and problem, not one line per kind.")
        boolean verbose;

        @Option(names = "--busy-timeout", paramLabel = "MS",
                description = "How long to wait for another connection's lock (default: the URL's busy_timeout, else "
                        + Databases.DEFAULT_BUSY_TIMEOUT_MS + ").")
        Integer busyTimeout;

        @Option(names = "--broken-keys", defaultValue = "refuse", paramLabel = "refuse|enforce",
                description = "A foreign key SQLite cannot enforce (missing parent table or column, parent key not"
                        + " unique, wrong column count): refuse the sync and name it (default), or enforce it as SQLite"
                        + " does, refusing every write that needs it with SQLite's message.")
        String brokenKeys;

        Options options(Options.OrphanPolicy policy) {
            return new Options(schema, policy, Set.copyOf(exclude)).withBrokenKeys(Options.BrokenKeys.parse(brokenKeys));
        }
    }

    /** {@code --orphans fail|warn}, for plan and sync. */
    static final class OrphanOption {
        @Option(names = "--orphans", defaultValue = "fail", paramLabel = "fail|warn",
                description = "Refuse (fail) or only report (warn) rows that already break a foreign key"
                        + " (default: ${DEFAULT-VALUE}).")
        String value;

        Options.OrphanPolicy policy() {
            return Options.OrphanPolicy.parse(value);
        }
    }

    abstract static class DbCommand implements Callable<Integer> {
        @Mixin
        Target target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        /** Problems, then warnings one line per kind (all of them with --verbose, none with --quiet), then a total. */
        void report(PrintWriter w, Report r) {
            ReportText.print(w, r, target.verbose, target.quiet);
        }

        void say(String text) {
            if (!target.quiet) {
                out().println(text);
            }
        }

        abstract boolean readOnly();

        abstract int run(Connection c) throws SQLException;

        /**
         * The exit status when the command was answered without a connection ({@link NoOpFromFile}), having printed
         * what {@link #run} would; empty to take the full path.
         */
        Optional<Integer> answerFromFile() {
            return Optional.empty();
        }

        /** The options, or empty when they do not parse (the full path reports that, after opening the file). */
        static Optional<Options> parsed(java.util.function.Supplier<Options> options) {
            try {
                return Optional.of(options.get());
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        @Override
        public Integer call() {
            Optional<Integer> answered = answerFromFile();
            if (answered.isPresent()) {
                return answered.get();
            }
            Connection c;
            int timeout;
            try {
                timeout = Databases.busyTimeout(target.db, target.busyTimeout);
                c = Databases.open(target.db, readOnly(), target.busyTimeout, note -> err().println("fkguard: " + note));
            } catch (Databases.OpenFailure e) {
                err().println("fkguard: " + e.getMessage());
                return e instanceof Databases.Busy ? BUSY : INPUT;
            }
            try (c) {
                return run(c);
            } catch (FkGuardException e) {
                if (e.report() == null) {
                    err().println("fkguard: " + e.getMessage());
                    return INPUT;
                }
                err().println("fkguard: refused, nothing was changed");
                report(err(), e.report());
                return REFUSED;
            } catch (SQLException e) {
                if (Databases.isBusy(e)) {
                    err().println("fkguard: " + Databases.busyMessage(target.db, timeout));
                    return BUSY;
                }
                err().println("fkguard: " + Databases.explain(target.db, e));
                return INPUT;
            }
        }
    }

    /** The report on one screen, without --verbose or --quiet (see {@link ReportText}). */
    static void printProblems(PrintWriter w, Report r) {
        ReportText.print(w, r, false, false);
    }

    @Command(name = "plan", mixinStandardHelpOptions = true,
            description = "Print the SQL that sync would run (nothing when in sync). Changes nothing.")
    static final class Plan extends DbCommand {
        @Mixin
        OrphanOption orphans;

        @Option(names = "--json", description = "Print the plan as JSON.")
        boolean json;

        @Override
        boolean readOnly() {
            return true;
        }

        @Override
        Optional<Integer> answerFromFile() {
            return parsed(() -> target.options(orphans.policy())).flatMap(o ->
                    NoOpFromFile.plan(target.db, target.busyTimeout, o).map(r -> print(r, o.orphanPolicy())));
        }

        @Override
        int run(Connection c) throws SQLException {
            Options.OrphanPolicy policy = orphans.policy();
            return print(FkGuard.plan(c, target.options(policy)), policy);
        }

        private int print(Report r, Options.OrphanPolicy policy) {
            List<Report.Problem> refusing = policy == Options.OrphanPolicy.WARN
                    ? r.problems().stream().filter(p -> p.kind() == Report.Problem.Kind.SCHEMA).toList() : r.problems();
            if (json) {
                out().println(Json.report(r));
            } else {
                if (!target.quiet) {
                    for (String sql : r.statements()) {
                        out().println(sql + ";");
                        out().println();
                    }
                }
                if (!r.problems().isEmpty() || !r.staleTriggers().isEmpty() || (!r.warnings().isEmpty() && !target.quiet)) {
                    err().println("-- " + r.summary());
                    report(err(), r);
                }
            }
            return refusing.isEmpty() ? OK : REFUSED;
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "Create, drop and repair fkguard's triggers so they enforce every declared foreign key."
                    + " All or nothing, in one transaction.")
    static final class Sync extends DbCommand {
        @Mixin
        OrphanOption orphans;

        @Option(names = "--partial", description = "Protect what can be protected: install the triggers of every"
                + " clean, well declared foreign key, report the others as a refusal would, and exit 1,"
                + " instead of refusing the whole sync.")
        boolean partial;

        @Override
        boolean readOnly() {
            return false;
        }

        @Override
        Optional<Integer> answerFromFile() {
            if (partial) {
                return Optional.empty(); // a partial sync reports the keys it leaves out: never from a stamp
            }
            return parsed(() -> target.options(orphans.policy()))
                    .flatMap(o -> NoOpFromFile.sync(target.db, target.busyTimeout, o))
                    .map(r -> SyncOutput.print(out(), err(), target.quiet, target.verbose, target.db, r));
        }

        @Override
        int run(Connection c) throws SQLException {
            Report r = FkGuard.sync(c, target.options(orphans.policy()).withPartial(partial));
            return SyncOutput.print(out(), err(), target.quiet, target.verbose, target.db, r);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Exit 0 when the triggers are in sync and no row breaks a foreign key; otherwise say what is"
                    + " wrong and exit 1. Changes nothing.")
    static final class Check extends DbCommand {
        @Option(names = "--json", description = "Print the findings as JSON.")
        boolean json;

        @Override
        boolean readOnly() {
            return true;
        }

        @Override
        int run(Connection c) throws SQLException {
            Report r = FkGuard.check(c, target.options(Options.OrphanPolicy.FAIL));
            if (json) {
                out().println(Json.report(r));
            } else if (r.healthy()) {
                say("ok: " + r.kept() + " fkguard triggers in sync for " + r.foreignKeys() + " foreign keys, no orphan rows");
            } else {
                PrintWriter w = out();
                if (!r.inSync()) {
                    w.println("out of sync: " + r.created().size() + " trigger(s) missing or outdated, " + r.dropped().size()
                            + " to drop (fkguard plan " + target.db + " shows the SQL)");
                }
                report(w, r);
            }
            return r.healthy() ? OK : REFUSED;
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true,
            description = "Remove every fkguard trigger (triggers written by users are never touched).")
    static final class Drop extends DbCommand {
        @Override
        boolean readOnly() {
            return false;
        }

        @Override
        int run(Connection c) throws SQLException {
            Report r = FkGuard.drop(c, target.options(Options.OrphanPolicy.FAIL));
            say("fkguard drop " + target.db + ": dropped " + r.dropped().size() + " fkguard triggers");
            return OK;
        }
    }
}
