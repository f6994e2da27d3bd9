package dev.fkguard.cli;

import dev.fkguard.FkGuard;
import dev.fkguard.ForeignKeySpec;
import dev.fkguard.Report;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fkguard add-key <db> --table T --columns a --parent P [--parent-columns x]}: declares a key on an existing table. */
@Command(name = "add-key", mixinStandardHelpOptions = true,
        description = {"Declare a foreign key on an existing table: the key is written into the table's CREATE TABLE"
                + " text in place (no copy of rows), so native enforcement sees it, and fkguard's triggers are synced"
                + " to enforce it on every connection. Rows that already break the key refuse it. All or nothing,"
                + " in one transaction."})
final class AddKeyCommand extends KeyCommands.KeyCommand {
    @Option(names = "--table", required = true, paramLabel = "TABLE", description = "The child table.")
    String table;

    @Option(names = "--columns", required = true, split = ",", paramLabel = "COLUMN",
            description = "The child columns, comma-separated, in key order.")
    List<String> columns;

    @Option(names = "--parent", required = true, paramLabel = "TABLE", description = "The parent table.")
    String parent;

    @Option(names = "--parent-columns", split = ",", paramLabel = "COLUMN",
            description = "The parent key columns (default: the parent's PRIMARY KEY).")
    List<String> parentColumns = List.of();

    @Option(names = "--on-delete", paramLabel = "ACTION", description = "NO ACTION (default), RESTRICT, CASCADE, SET NULL or SET DEFAULT.")
    String onDelete;

    @Option(names = "--on-update", paramLabel = "ACTION", description = "As --on-delete, for ON UPDATE.")
    String onUpdate;

    @Option(names = "--name", paramLabel = "NAME", description = "The constraint name (CONSTRAINT name).")
    String name;

    @Mixin
    Main.OrphanOption orphans;

    @Override
    int run(Connection c) throws SQLException {
        ForeignKeySpec spec = new ForeignKeySpec(table, columns, parent, parentColumns, onDelete, onUpdate, name);
        if (dryRun) {
            return KeyCommands.printPlan(this, FkGuard.planAddForeignKey(c, spec, target.options(orphans.policy())));
        }
        Report r = FkGuard.addForeignKey(c, spec, target.options(orphans.policy()));
        say("fkguard add-key " + target.db + ": added foreign key " + spec.describe() + "; " + r.summary());
        if (!target.quiet) {
            Main.printProblems(out(), r);
        }
        return Main.OK;
    }
}
