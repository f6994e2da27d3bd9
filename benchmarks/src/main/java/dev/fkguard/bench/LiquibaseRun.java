package dev.fkguard.bench;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.resource.DirectoryResourceAccessor;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;

/** Liquibase 4.33's {@code update} through its command API, with or without fkguard's exec listener. */
final class LiquibaseRun {
    static {
        System.setProperty("liquibase.analytics.enabled", "false");
        java.util.logging.Logger.getLogger("liquibase").setLevel(java.util.logging.Level.WARNING);
    }

    private static final java.util.logging.Logger KEEP = java.util.logging.Logger.getLogger("liquibase");

    private LiquibaseRun() {
    }

    /** Nanoseconds of the update command. */
    static long update(Path db, Path dir, String changelog, boolean withListener) throws Exception {
        KEEP.setLevel(java.util.logging.Level.WARNING);
        long[] ns = new long[1];
        // Liquibase's console messages ("Running Changeset: ...") go to its logger, which is at WARNING, not to stdout
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(dir.toFile()),
                Scope.Attr.ui.name(), new liquibase.ui.LoggerUIService()), () -> {
            CommandScope cmd = new CommandScope("update")
                    .addArgumentValue("url", "jdbc:sqlite:" + db.toAbsolutePath())
                    .addArgumentValue("changelogFile", changelog);
            if (withListener) {
                cmd.addArgumentValue("changeExecListenerClass", "dev.fkguard.liquibase.FkGuardChangeExecListener");
            }
            cmd.setOutput(new ByteArrayOutputStream());
            long start = System.nanoTime();
            cmd.execute();
            ns[0] = System.nanoTime() - start;
        });
        return ns[0];
    }
}
