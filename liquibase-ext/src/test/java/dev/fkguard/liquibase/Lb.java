package dev.fkguard.liquibase;

import liquibase.Scope;
import liquibase.command.CommandScope;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.ResourceAccessor;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs Liquibase commands through its public command API, the way integrations (Spring Boot, Maven...) do. */
final class Lb {
    /** Held so that the level set below sticks (java.util.logging keeps loggers weakly). */
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");

    static {
        // No traffic but Maven Central: Liquibase's usage analytics stay off.
        System.setProperty("liquibase.analytics.enabled", "false");
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final ResourceAccessor resources;
    private final String changelog;
    private final Path db;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    private Lb(ResourceAccessor resources, String changelog, Path db) {
        this.resources = resources;
        this.changelog = changelog;
        this.db = db;
    }

    /** A changelog from the test class path, e.g. {@code changelogs/chinook.xml}. */
    static Lb classpath(String changelog, Path db) {
        return new Lb(new ClassLoaderResourceAccessor(Lb.class.getClassLoader()), changelog, db);
    }

    /** A changelog written by the test into {@code dir}. */
    static Lb directory(Path dir, String changelog, Path db) throws Exception {
        return new Lb(new DirectoryResourceAccessor(dir.toFile()), changelog, db);
    }

    Lb with(String argument, Object value) {
        extra.put(argument, value);
        return this;
    }

    String update() throws Exception {
        return run("update", Map.of());
    }

    String updateSql() throws Exception {
        return run("updateSql", Map.of());
    }

    String rollbackCount(int count) throws Exception {
        return run("rollbackCount", Map.of("count", count));
    }

    String validate() throws Exception {
        return run("validate", Map.of());
    }

    String run(String command, Map<String, Object> arguments) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put(Scope.Attr.resourceAccessor.name(), resources);
        Scope.child(scope, () -> {
            CommandScope cmd = new CommandScope(command)
                    .addArgumentValue("url", Sqlite.url(db))
                    .addArgumentValue("changelogFile", changelog);
            arguments.forEach(cmd::addArgumentValue);
            extra.forEach(cmd::addArgumentValue);
            cmd.setOutput(out);
            cmd.execute();
        });
        return out.toString(StandardCharsets.UTF_8);
    }

    /** For databases that are not files: a JDBC URL of any kind. */
    static String runOnUrl(ResourceAccessor resources, String changelog, String url, String command) throws Exception {
        return runOnUrl(resources, changelog, url, command, Map.of());
    }

    static String runOnUrl(ResourceAccessor resources, String changelog, String url, String command,
                           Map<String, Object> arguments) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), resources), () -> {
            CommandScope cmd = new CommandScope(command)
                    .addArgumentValue("url", url)
                    .addArgumentValue("changelogFile", changelog);
            arguments.forEach(cmd::addArgumentValue);
            cmd.setOutput(out).execute();
        });
        return out.toString(StandardCharsets.UTF_8);
    }
}
