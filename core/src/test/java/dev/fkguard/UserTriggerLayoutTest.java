package dev.fkguard;

import static dev.fkguard.Schemas.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fkguard.Schema.Action;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner and the diff with user triggers on a parent table (pure: schemas built by hand). Parent
 * {@code p} has a RESTRICT child {@code r} and a NO ACTION child {@code n}: its DELETE trigger both acts
 * and checks.
 */
class UserTriggerLayoutTest {
    private static final Schema.Trigger USER_AFTER_DELETE = user("p_after_delete", "CREATE TRIGGER p_after_delete AFTER DELETE ON p BEGIN SELECT 1; END");

    private static Schema.Trigger user(String name, String sql) {
        return new Schema.Trigger(name, "p", sql);
    }

    private static Schema schema(List<Schema.Trigger> triggers) {
        return Schemas.schema(triggers, table("p").id("id"),
                table("r").id("id").col("p_id", "INTEGER").index("p_id").fk("p_id", "p", "id", Action.RESTRICT, Action.NO_ACTION),
                table("n").id("id").col("p_id", "INTEGER").index("p_id").fk("p_id", "p", "id", Action.NO_ACTION, Action.NO_ACTION));
    }

    private static TriggerPlanner.Plan plan(Schema s) {
        return TriggerPlanner.plan(s, Options.defaults());
    }

    private static List<TriggerPlanner.Planned> deleteTriggers(TriggerPlanner.Plan p) {
        return p.triggers().stream().filter(t -> "pdel".equals(TriggerNames.kindOf(t.name()))).toList();
    }

    private static List<String> childrenOf(TriggerPlanner.Planned t) {
        return t.enforces().stream().map(r -> r.child().name()).toList();
    }

    /** The planned triggers as a sync would leave them: in plan order, after the triggers already there. */
    private static List<Schema.Trigger> afterSync(List<Schema.Trigger> before, TriggerPlanner.Plan p) {
        TriggerPlanner.Diff d = TriggerPlanner.diff(p, schema(before));
        List<Schema.Trigger> out = new ArrayList<>(before);
        out.removeAll(d.drop());
        for (TriggerPlanner.Planned t : d.create()) {
            out.add(new Schema.Trigger(t.name(), t.table(), t.sql()));
        }
        return out;
    }

    @Test
    void withoutUserTriggersAParentKeepsOneDeleteTriggerForActionsAndChecks() {
        List<TriggerPlanner.Planned> del = deleteTriggers(plan(schema(List.of())));
        assertEquals(1, del.size());
        assertEquals(List.of("r", "n"), childrenOf(del.get(0)));
        assertTrue(del.get(0).leads(), "it acts (RESTRICT): it must fire before any user trigger");
    }

    @Test
    void withAUserAfterDeleteTriggerTheChecksGetATriggerOfTheirOwnCreatedBeforeTheActions() {
        List<TriggerPlanner.Planned> del = deleteTriggers(plan(schema(List.of(USER_AFTER_DELETE))));
        assertEquals(2, del.size());
        assertEquals(List.of("n"), childrenOf(del.get(0)), "created first, so it fires last");
        assertFalse(del.get(0).leads());
        assertEquals(List.of("r"), childrenOf(del.get(1)));
        assertTrue(del.get(1).leads());
    }

    @Test
    void aUserTriggerCreatedAfterTheMergedTriggerKeepsItAsTheLateOneAndAddsTheActionsNewest() {
        List<Schema.Trigger> synced = afterSync(List.of(), plan(schema(List.of())));
        List<Schema.Trigger> later = new ArrayList<>(synced);
        later.add(USER_AFTER_DELETE);
        String merged = synced.stream().filter(t -> t.name().contains("_pdel_")).findFirst().orElseThrow().name();
        TriggerPlanner.Plan p = plan(schema(later));
        TriggerPlanner.Diff d = TriggerPlanner.diff(p, schema(later));
        assertTrue(d.drop().isEmpty(), "the merged trigger is older than the user's: the only trigger that can check after it");
        assertEquals(1, d.create().size());
        assertEquals(List.of("r"), childrenOf(d.create().get(0)));
        assertEquals(merged, deleteTriggers(p).get(0).name());
        assertTrue(p.warnings().stream().anyMatch(w -> w.startsWith(merged + " is older than p_after_delete")
                && w.contains("fkguard sync creates")), p.warnings().toString());
    }

    @Test
    void aSecondUserTriggerCreatedLaterRecreatesOnlyTheActionTrigger() {
        List<Schema.Trigger> synced = afterSync(List.of(USER_AFTER_DELETE), plan(schema(List.of(USER_AFTER_DELETE))));
        List<Schema.Trigger> later = new ArrayList<>(synced);
        later.add(user("p_second", "CREATE TRIGGER p_second AFTER DELETE ON p BEGIN SELECT 2; END"));
        TriggerPlanner.Diff d = TriggerPlanner.diff(plan(schema(later)), schema(later));
        assertEquals(1, d.drop().size());
        assertEquals(d.drop().get(0).name(), d.create().get(0).name(), "the same trigger, created again newest");
        assertEquals(List.of("r"), childrenOf(d.create().get(0)));
        assertEquals(1, d.create().size(), "the check trigger stays older than both user triggers");
    }

    @Test
    void triggersSyncedAfterTheUserTriggerAreInPlaceAndNeedNoStatements() {
        List<Schema.Trigger> synced = afterSync(List.of(USER_AFTER_DELETE), plan(schema(List.of(USER_AFTER_DELETE))));
        TriggerPlanner.Diff d = TriggerPlanner.diff(plan(schema(synced)), schema(synced));
        assertTrue(d.drop().isEmpty());
        assertTrue(d.create().isEmpty());
    }

    @Test
    void aCheckCreatedAfterTheUserTriggerIsReportedAsFiringBeforeIt() {
        List<Schema.Trigger> synced = afterSync(List.of(USER_AFTER_DELETE), plan(schema(List.of(USER_AFTER_DELETE))));
        List<String> warnings = plan(schema(synced)).warnings();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("(n(p_id) -> p(id)) is newer than p_after_delete")
                && w.contains("a repair that trigger makes is not seen")), warnings.toString());
    }

    @Test
    void userTriggersBeforeTheEventOrOnOtherEventsLeaveTheMergedLayout() {
        List<Schema.Trigger> others = List.of(
                user("p_before_delete", "CREATE TRIGGER p_before_delete BEFORE DELETE ON p BEGIN SELECT 1; END"),
                user("p_default_timing", "CREATE TRIGGER p_default_timing DELETE ON p BEGIN SELECT 1; END"),
                user("p_after_insert", "CREATE TRIGGER p_after_insert AFTER INSERT ON p BEGIN SELECT 1; END"));
        assertEquals(1, deleteTriggers(plan(schema(others))).size());
    }

    @Test
    void aUserTriggersGroupIsReadFromItsTextWhateverItsName() {
        assertEquals("p\u0000DELETE", UserTriggers.groupOf(user("after",
                "CREATE TEMP TRIGGER IF NOT EXISTS main.\"after\" AFTER DELETE ON p BEGIN SELECT 1; END")));
        assertEquals("p\u0000UPDATE", UserTriggers.groupOf(user("x", "create trigger [delete] after update of a on p begin select 1; end")));
        assertEquals("p\u0000BEFORE INSERT", UserTriggers.groupOf(user("x", "CREATE TRIGGER x INSERT ON p BEGIN SELECT 1; END")));
        assertNull(UserTriggers.groupOf(user("x", "CREATE TRIGGER x INSTEAD OF DELETE ON v BEGIN SELECT 1; END")));
    }

    @Test
    void aMergedTriggerAlreadyNewerThanTheUserTriggersStaysAsItIs() {
        List<Schema.Trigger> synced = new ArrayList<>(List.of(USER_AFTER_DELETE));
        synced.addAll(afterSync(List.of(), plan(schema(List.of()))));
        TriggerPlanner.Diff d = TriggerPlanner.diff(plan(schema(synced)), schema(synced));
        assertTrue(d.drop().isEmpty());
        assertTrue(d.create().isEmpty());
    }
}
