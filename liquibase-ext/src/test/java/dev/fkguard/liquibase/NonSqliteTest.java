package dev.fkguard.liquibase;

import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On a database that is not SQLite (H2 here) the change type and the listener do nothing, and never fail. */
class NonSqliteTest {
    @TempDir
    Path dir;

    @Test
    void on_h2_the_change_is_a_no_op_that_logs_why_and_the_changeSet_succeeds() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("h2db").toAbsolutePath();
        Changelogs.xml(dir, "c.xml", """
                <changeSet id="tables" author="t">
                    <createTable tableName="parent"><column name="id" type="INT"><constraints primaryKey="true"/></column></createTable>
                    <createTable tableName="child">
                        <column name="id" type="INT"><constraints primaryKey="true"/></column>
                        <column name="parent_id" type="INT"><constraints foreignKeyName="fk_child_parent" references="parent(id)"/></column>
                    </createTable>
                </changeSet>
                <changeSet id="sync" author="t" runAlways="true"><fkguard:syncForeignKeyTriggers/></changeSet>
                """);
        List<String> messages = new ArrayList<>();
        Logger liquibase = Logger.getLogger("liquibase");
        Level level = liquibase.getLevel();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        liquibase.setLevel(Level.INFO);
        liquibase.addHandler(handler);
        try {
            Lb.runOnUrl(new DirectoryResourceAccessor(dir.toFile()), "c.xml", url, "update");
        } finally {
            liquibase.removeHandler(handler);
            liquibase.setLevel(level);
        }

        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select EXECTYPE from DATABASECHANGELOG where ID = 'sync'")) {
            assertTrue(rs.next());
            assertEquals("EXECUTED", rs.getString(1));
        }
        assertTrue(messages.stream().anyMatch(m -> m != null && m.contains("fkguard manages SQLite databases only")),
                () -> "no info log about the no-op among " + messages.size() + " messages");
    }

    @Test
    void on_h2_the_listener_does_nothing_and_the_update_succeeds() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("h2db").toAbsolutePath();
        Changelogs.xml(dir, "c.xml", """
                <changeSet id="tables" author="t">
                    <createTable tableName="parent"><column name="id" type="INT"><constraints primaryKey="true"/></column></createTable>
                </changeSet>
                """);

        Lb.runOnUrl(new DirectoryResourceAccessor(dir.toFile()), "c.xml", url, "update",
                java.util.Map.of("changeExecListenerClass", FkGuardChangeExecListener.class.getName()));

        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from DATABASECHANGELOG")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void on_h2_addForeignKeyConstraint_and_its_rollback_stay_liquibases_own() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("h2db").toAbsolutePath();
        Changelogs.xml(dir, "c.xml", """
                <changeSet id="tables" author="t">
                    <createTable tableName="parent"><column name="id" type="INT"><constraints primaryKey="true"/></column></createTable>
                    <createTable tableName="child"><column name="parent_id" type="INT"/></createTable>
                </changeSet>
                <changeSet id="key" author="t">
                    <addForeignKeyConstraint baseTableName="child" baseColumnNames="parent_id" referencedTableName="parent"
                                             referencedColumnNames="id" constraintName="fk_child_parent"/>
                </changeSet>
                """);
        DirectoryResourceAccessor resources = new DirectoryResourceAccessor(dir.toFile());
        String keys = "select count(*) from INFORMATION_SCHEMA.TABLE_CONSTRAINTS where CONSTRAINT_NAME = 'FK_CHILD_PARENT'";

        Lb.runOnUrl(resources, "c.xml", url, "update");
        long added = count(url, keys);
        Lb.runOnUrl(resources, "c.xml", url, "rollbackCount", java.util.Map.of("count", 1));

        assertEquals(1, added);
        assertEquals(0, count(url, keys));
    }

    private static long count(String url, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
