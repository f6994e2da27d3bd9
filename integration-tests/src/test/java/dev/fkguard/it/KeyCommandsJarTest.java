package dev.fkguard.it;

import static dev.fkguard.it.CliJarTest.count;
import static dev.fkguard.it.CliJarTest.fkguard;
import static dev.fkguard.it.CliJarTest.load;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fkguard add-key} / {@code drop-key} from the jar, checked with the {@code sqlite3} shell as the other client. */
class KeyCommandsJarTest {
    private static final String SQLITE3 = "/usr/bin/sqlite3";
    private static final String BAD_LINE = "INSERT INTO InvoiceLine (InvoiceId, TrackId, UnitPrice, Quantity) VALUES (1, 99999, 1, 1);";
    private static final List<String> ADD = List.of("--table", "InvoiceLine", "--columns", "TrackId", "--parent", "Track",
            "--parent-columns", "TrackId", "--name", "FK_InvoiceLineTrackId");

    @TempDir
    Path dir;

    record Shell(int status, String out) {
    }

    static Shell sqlite3(Path db, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(SQLITE3, "-bail", db.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Shell(p.exitValue(), out);
    }

    private Path chinookWithoutTheTrackKey() throws Exception {
        Path db = load(dir, "chinook.db", "Chinook_Sqlite.sql");
        CliJarTest.Run drop = fkguard("drop-key", db.toString(), "--table", "InvoiceLine", "--columns", "TrackId");
        assertEquals(0, drop.status(), drop.err());
        assertEquals(0, count(db, "SELECT count(*) FROM pragma_foreign_key_list('InvoiceLine') WHERE \"from\" = 'TrackId'"));
        return db;
    }

    private static String[] add(Path db, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("add-key", db.toString()));
        args.addAll(ADD);
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aKeyAddedToAPopulatedTableIsRefusedByThePlainShellAndNativelyByAForeignKeysOnShell() throws Exception {
        Path db = chinookWithoutTheTrackKey();

        CliJarTest.Run run = fkguard(add(db));

        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("added foreign key FK_InvoiceLineTrackId InvoiceLine(TrackId) -> Track(TrackId)"), run.out());
        Shell plain = sqlite3(db, BAD_LINE);
        assertNotEquals(0, plain.status());
        assertTrue(plain.out().contains("FOREIGN KEY constraint failed: InvoiceLine(TrackId) -> Track(TrackId)"), plain.out());
        assertEquals(0, fkguard("drop", db.toString()).status());
        Shell nativeOnly = sqlite3(db, "PRAGMA foreign_keys = ON;\n" + BAD_LINE);
        assertTrue(nativeOnly.out().contains("FOREIGN KEY constraint failed"), nativeOnly.out());
        assertFalse(nativeOnly.out().contains("InvoiceLine(TrackId)"), "refused by SQLite itself, not a trigger: " + nativeOnly.out());
        assertEquals("ok\n", sqlite3(db, "PRAGMA integrity_check;").out());
    }

    @Test
    void aDroppedKeyNoLongerHoldsOnAnyConnection() throws Exception {
        Path db = chinookWithoutTheTrackKey();

        Shell insert = sqlite3(db, "PRAGMA foreign_keys = ON;\n" + BAD_LINE + "\nSELECT count(*) FROM InvoiceLine WHERE TrackId = 99999;");

        assertEquals(0, insert.status(), insert.out());
        assertEquals("1\n", insert.out());
        assertEquals(0, fkguard("check", db.toString()).status(), "the remaining keys' triggers are in sync");
    }

    @Test
    void orphanRowsRefuseTheKeyAndLeaveTheFileAsItWas() throws Exception {
        Path db = chinookWithoutTheTrackKey();
        assertEquals(0, sqlite3(db, BAD_LINE).status());
        String schema = sqlite3(db, ".schema").out();

        CliJarTest.Run run = fkguard(add(db));

        assertEquals(1, run.status(), run.out());
        assertTrue(run.err().contains("1 row of InvoiceLine breaks foreign key InvoiceLine(TrackId) -> Track(TrackId)"), run.err());
        assertEquals(schema, sqlite3(db, ".schema").out());
    }

    @Test
    void aDefensiveShellRunningTheDryRunScriptGetsAnErrorAndTheFileStaysAsItWas() throws Exception {
        Path db = chinookWithoutTheTrackKey();
        CliJarTest.Run dry = fkguard(add(db, "--dry-run"));
        assertEquals(0, dry.status(), dry.err());
        byte[] before = Files.readAllBytes(db);

        Shell shell = sqlite3(db, ".dbconfig defensive on\nBEGIN;\n" + dry.out() + "COMMIT;\n");

        assertNotEquals(0, shell.status());
        assertTrue(shell.out().contains("table sqlite_master may not be modified"), shell.out());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(db)), "the file changed");
        assertEquals("ok\n", sqlite3(db, "PRAGMA integrity_check;").out());
    }

    @Test
    void aKeyReAddedToSakilasFilmActorKeepsItsIndexesUserTriggersAndViews() throws Exception {
        Path db = load(dir, "sakila.db", "sqlite-sakila-schema.sql");
        String others = "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'fkguard%' AND type IN ('index', 'trigger', 'view')";
        long before = count(db, others);
        assertEquals(0, fkguard("drop-key", db.toString(), "--table", "film_actor", "--columns", "actor_id").status());

        CliJarTest.Run run = fkguard("add-key", db.toString(), "--table", "film_actor", "--columns", "actor_id",
                "--parent", "actor", "--parent-columns", "actor_id", "--on-update", "CASCADE", "--name", "fk_film_actor_actor");

        assertEquals(0, run.status(), run.err());
        assertEquals(before, count(db, others));
        assertEquals("0\nok\n", sqlite3(db, "SELECT count(*) FROM film_list; PRAGMA integrity_check;").out());
        Shell insert = sqlite3(db, "INSERT INTO film_actor (actor_id, film_id, last_update) VALUES (999, 999, CURRENT_TIMESTAMP);");
        assertTrue(insert.out().contains("FOREIGN KEY constraint failed: film_actor("), insert.out());
        assertEquals(0, fkguard("check", db.toString()).status());
    }
}
