package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A trigger body: consecutive checks become one SELECT CASE; a statement between checks keeps them apart. */
class TriggerBodyTest {

    @Test
    void consecutiveChecksShareOneCaseAndAStatementBetweenThemSplitsTheRun() {
        String body = TriggerBody.check("'a'", "x") + TriggerBody.check("'b'", "y")
                + "  DELETE FROM t WHERE OLD.id = p;\n" + TriggerBody.check("'c'", "z");
        assertEquals("  SELECT CASE\n    WHEN x THEN RAISE(ABORT, 'a')\n    WHEN y THEN RAISE(ABORT, 'b') END;\n"
                + "  DELETE FROM t WHERE OLD.id = p;\n"
                + "  SELECT RAISE(ABORT, 'c') WHERE z;\n", TriggerBody.render(body));
    }

    @Test
    void aBodyWithoutChecksIsLeftAsItIs() {
        assertEquals("  UPDATE t SET p = NULL WHERE OLD.id = p;\n", TriggerBody.render("  UPDATE t SET p = NULL WHERE OLD.id = p;\n"));
    }
}
