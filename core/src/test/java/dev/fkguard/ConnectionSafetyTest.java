package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the caller's connection may bring along: journal modes, schema names in any case, TEMP tables. */
class ConnectionSafetyTest {
    @TempDir
    Path dir;
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = TestDb.open(dir.resolve("t.db"));
        TestDb.exec(c, "CREATE TABLE p (id INTEGER PRIMARY KEY)",
                "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id))",
                "INSERT INTO p VALUES (1)", "INSERT INTO c VALUES (10, 1)");
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void syncIsRefusedWithoutARollbackJournalOnDiskAndChangesNothing() throws SQLException {
        for (String mode : new String[] {"OFF", "MEMORY"}) {
            TestDb.exec(c, "PRAGMA journal_mode = " + mode);
            FkGuardException e = assertThrows(FkGuardException.class, () -> FkGuard.sync(c, Options.defaults()));
            assertTrue(e.getMessage().contains("journal_mode is " + mode), e.getMessage());
            assertTrue(e.getMessage().contains("nothing was changed"), e.getMessage());
            assertTrue(TestDb.fkguardTriggers(c).isEmpty());
        }
    }

    @Test
    void dropIsRefusedWithoutARollbackJournalOnDisk() throws SQLException {
        FkGuard.sync(c, Options.defaults());
        TestDb.exec(c, "PRAGMA journal_mode = OFF");
        assertThrows(FkGuardException.class, () -> FkGuard.drop(c, Options.defaults()));
        assertEquals(4, TestDb.fkguardTriggers(c).size());
    }

    @Test
    void walAndTheOtherJournalModesOnDiskAreAccepted() throws SQLException {
        TestDb.exec(c, "PRAGMA journal_mode = WAL");
        assertEquals(4, FkGuard.sync(c, Options.defaults()).created().size());
    }

    @Test
    void theSchemaNameIsCaseInsensitiveAsInSqlite() throws SQLException {
        assertEquals(4, FkGuard.sync(c, Options.defaults().withSchema("MAIN")).created().size());
        assertTrue(FkGuard.check(c, Options.defaults().withSchema("Main")).healthy());
    }

    @Test
    void aTempTableThatShadowsTheParentHidesNoOrphan() throws SQLException {
        TestDb.exec(c, "INSERT INTO c VALUES (11, 7)", "CREATE TEMP TABLE p (id INTEGER PRIMARY KEY)", "INSERT INTO temp.p VALUES (1), (7)");
        Report check = FkGuard.check(c, Options.defaults());
        assertEquals(1, check.problems().size(), check.describe());
        assertEquals(java.util.List.of("11"), check.problems().get(0).sampleRows());
        assertThrows(FkGuardException.class, () -> FkGuard.sync(c, Options.defaults()));
    }
}
