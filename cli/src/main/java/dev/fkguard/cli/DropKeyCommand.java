package dev.fkguard.cli;

import dev.fkguard.FkGuard;
import dev.fkguard.ForeignKeySpec;
import dev.fkguard.Options;
import dev.fkguard.Report;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fkguard drop-key <db> --table T (--name N | --columns a)}: removes a key's declaration and its triggers. */
@Command(name = "drop-key", mixinStandardHelpOptions = true,
        description = {"Remove a foreign key from its table's CREATE TABLE text in place (no copy of rows) and sync"
                + " fkguard's triggers. All or nothing, in one transaction."})
final class DropKeyCommand extends KeyCommands.KeyCommand {
    @Option(names = "--table", required = true, paramLabel = "TABLE", description = "The child table.")
    String table;

    @Option(names = "--name", paramLabel = "NAME", description = "The constraint name of the key.")
    String name;

    @Option(names = "--columns", split = ",", paramLabel = "COLUMN",
            description = "Or: the key's child columns, comma-separated (for a key without a name).")
    List<String> columns = List.of();

    @Option(names = "--parent", paramLabel = "TABLE", description = "With --columns: the parent table, when several keys share the columns.")
    String parent;

    @Override
    int run(Connection c) throws SQLException {
        if ((name == null) == columns.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --name or --columns");
        }
        ForeignKeySpec key = name != null ? ForeignKeySpec.named(table, name)
                : new ForeignKeySpec(table, columns, parent, List.of(), null, null, null);
        Options options = target.options(Options.OrphanPolicy.FAIL);
        if (dryRun) {
            return KeyCommands.printPlan(this, FkGuard.planDropForeignKey(c, key, options));
        }
        Report r = FkGuard.dropForeignKey(c, key, options);
        say("fkguard drop-key " + target.db + ": dropped foreign key " + key.describe() + "; " + r.summary());
        return Main.OK;
    }
}
