package dev.fkguard;

import static dev.fkguard.Schemas.schema;
import static dev.fkguard.Schemas.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fkguard.Schema.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner is a pure function: a schema goes in, triggers, warnings and problems come out. */
class TriggerPlannerTest {
    private static TriggerPlanner.Plan plan(Schema s) {
        return TriggerPlanner.plan(s, Options.defaults());
    }

    private static List<String> names(TriggerPlanner.Plan p) {
        return p.triggers().stream().map(TriggerPlanner.Planned::name).toList();
    }

    private static List<Schema.Trigger> installed(TriggerPlanner.Plan p) {
        List<Schema.Trigger> out = new ArrayList<>();
        for (TriggerPlanner.Planned t : p.triggers()) {
            out.add(new Schema.Trigger(t.name(), t.table(), t.sql()));
        }
        return out;
    }

    @Test
    void oneForeignKeyGetsAChildInsertAChildUpdateAParentDeleteAndAParentUpdateTrigger() {
        TriggerPlanner.Plan p = plan(Schemas.music());
        assertEquals(4, p.triggers().size());
        List<String> kinds = p.triggers().stream().map(t -> TriggerNames.kindOf(t.name())).sorted().toList();
        assertEquals(List.of("ins", "pdel", "pupd", "upd"), kinds);
        assertTrue(p.problems().isEmpty());
    }

    @Test
    void childChecksAreOneTriggerPerTableWhateverTheNumberOfKeys() {
        Schema s = schema(table("a").id("id"), table("b").id("id"),
                table("c").id("id").col("a_id", "INTEGER").col("b_id", "INTEGER").index("a_id").index("b_id")
                        .fk("a_id", "a", "id", Action.NO_ACTION, Action.NO_ACTION)
                        .fk("b_id", "b", "id", Action.NO_ACTION, Action.NO_ACTION));
        long inserts = plan(s).triggers().stream().filter(t -> "ins".equals(TriggerNames.kindOf(t.name()))).count();
        assertEquals(1, inserts);
        assertEquals(6, plan(s).triggers().size());
    }

    @Test
    void aTableThatGainsAChildKeepsItsOwnChildCheck() {
        // album is a child of artist and becomes a parent: its parent triggers are new, its own check stays where it is
        Schema before = Schemas.music();
        Schema after = schema(table("artist").id("id").col("name", "TEXT"),
                table("album").id("id").col("artist_id", "INTEGER").index("artist_id")
                        .fk("artist_id", "artist", "id", Action.CASCADE, Action.NO_ACTION),
                table("track").id("id").col("album_id", "INTEGER").index("album_id")
                        .fk("album_id", "album", "id", Action.NO_ACTION, Action.NO_ACTION));
        TriggerPlanner.Plan was = plan(before);
        TriggerPlanner.Diff d = TriggerPlanner.diff(plan(after), new Schema("main", after.tables(), installed(was)));
        assertTrue(d.drop().isEmpty(), d.drop().toString());
        assertEquals(was.triggers().size(), d.kept());
        assertEquals(List.of("album pdel", "album pupd", "track ins", "track upd"), d.create().stream()
                .map(t -> t.table() + " " + TriggerNames.kindOf(t.name())).sorted().toList());
    }

    @Test
    void triggerNamesAreStableAcrossRuns() {
        assertEquals(names(plan(Schemas.music())), names(plan(Schemas.music())));
    }

    @Test
    void aChangedActionGivesTheParentTriggerANewName() {
        Schema setNull = schema(table("artist").id("id"),
                table("album").id("id").col("artist_id", "INTEGER").index("artist_id")
                        .fk("artist_id", "artist", "id", Action.SET_NULL, Action.NO_ACTION));
        List<String> before = names(plan(Schemas.music())).stream().filter(n -> n.contains("_pdel_")).toList();
        List<String> after = names(plan(setNull)).stream().filter(n -> n.contains("_pdel_")).toList();
        assertNotEquals(before, after);
    }

    @Test
    void namesDoNotDependOnTheOrderOfOtherForeignKeys() {
        Schema ab = schema(table("a").id("id"), table("b").id("id"),
                table("c").id("id").col("a_id", "INTEGER").col("b_id", "INTEGER")
                        .fk("a_id", "a", "id", Action.CASCADE, Action.NO_ACTION)
                        .fk("b_id", "b", "id", Action.CASCADE, Action.NO_ACTION));
        Schema ba = schema(table("a").id("id"), table("b").id("id"),
                table("c").id("id").col("a_id", "INTEGER").col("b_id", "INTEGER")
                        .fk("b_id", "b", "id", Action.CASCADE, Action.NO_ACTION)
                        .fk("a_id", "a", "id", Action.CASCADE, Action.NO_ACTION));
        Set<String> parentSideAb = Set.copyOf(names(plan(ab)).stream().filter(n -> n.contains("_pdel_") || n.contains("_pupd_")).toList());
        Set<String> parentSideBa = Set.copyOf(names(plan(ba)).stream().filter(n -> n.contains("_pdel_") || n.contains("_pupd_")).toList());
        assertEquals(parentSideAb, parentSideBa);
    }

    @Test
    void everyRaiseStartsWithSqlitesOwnMessageAndNamesTheKey() {
        for (TriggerPlanner.Planned t : plan(Schemas.music()).triggers()) {
            if (t.sql().contains("RAISE")) {
                assertTrue(t.sql().contains("'FOREIGN KEY constraint failed: album(artist_id) -> artist(id)'"), t.sql());
            }
        }
    }

    @Test
    void aSchemaWhoseTriggersArePresentNeedsNoStatements() {
        TriggerPlanner.Plan p = plan(Schemas.music());
        Schema withTriggers = new Schema("main", Schemas.music().tables(), installed(p));
        TriggerPlanner.Diff d = TriggerPlanner.diff(p, withTriggers);
        assertTrue(d.drop().isEmpty());
        assertTrue(d.create().isEmpty());
        assertEquals(4, d.kept());
    }

    @Test
    void aManagedTriggerEditedByHandIsDroppedAndCreatedAgain() {
        TriggerPlanner.Plan p = plan(Schemas.music());
        List<Schema.Trigger> triggers = new ArrayList<>(installed(p));
        Schema.Trigger first = triggers.get(0);
        triggers.set(0, new Schema.Trigger(first.name(), first.table(), first.sql().replace(" BEGIN\n", " BEGIN\n  SELECT 1;\n")));
        TriggerPlanner.Diff d = TriggerPlanner.diff(p, new Schema("main", Schemas.music().tables(), triggers));
        assertEquals(List.of(first.name()), d.drop().stream().map(Schema.Trigger::name).toList());
        assertEquals(List.of(first.name()), d.create().stream().map(TriggerPlanner.Planned::name).toList());
    }

    @Test
    void userTriggersAreNeverDropped() {
        TriggerPlanner.Plan p = plan(Schemas.music());
        List<Schema.Trigger> triggers = new ArrayList<>(installed(p));
        triggers.add(new Schema.Trigger("audit_album", "album", "CREATE TRIGGER audit_album AFTER INSERT ON album BEGIN SELECT 1; END"));
        TriggerPlanner.Diff d = TriggerPlanner.diff(p, new Schema("main", Schemas.music().tables(), triggers));
        assertTrue(d.drop().isEmpty());
    }

    @Test
    void managedTriggersThatThePlanNoLongerWantsAreDropped() {
        List<Schema.Trigger> triggers = List.of(new Schema.Trigger("fkguard_gone_ins_0123456789", "gone",
                "CREATE TRIGGER \"fkguard_gone_ins_0123456789\" AFTER INSERT ON \"gone\" BEGIN SELECT 1; END"));
        TriggerPlanner.Diff d = TriggerPlanner.diff(plan(Schemas.music()), new Schema("main", Schemas.music().tables(), triggers));
        assertEquals(1, d.drop().size());
    }

    @Test
    void aMissingParentTableIsAProblemNamingChildTableColumnsAndParent() {
        Schema s = schema(table("album").id("id").col("artist_id", "INTEGER")
                .fk("artist_id", "artist", "id", Action.NO_ACTION, Action.NO_ACTION));
        TriggerPlanner.Plan p = plan(s);
        assertEquals(1, p.problems().size());
        Report.Problem problem = p.problems().get(0);
        assertEquals("album", problem.table());
        assertEquals(List.of("artist_id"), problem.columns());
        assertEquals("artist", problem.parent());
        assertTrue(problem.message().contains("parent table artist does not exist"), problem.message());
        assertTrue(p.triggers().isEmpty());
    }

    @Test
    void aParentKeyThatIsNotUniqueIsAProblem() {
        Schema s = schema(table("artist").id("id").col("name", "TEXT"),
                table("album").id("id").col("artist_name", "TEXT")
                        .fk("artist_name", "artist", "name", Action.NO_ACTION, Action.NO_ACTION));
        Report.Problem problem = plan(s).problems().get(0);
        assertTrue(problem.message().contains("artist(name) is neither the PRIMARY KEY nor a UNIQUE index"), problem.message());
    }

    @Test
    void aUniqueIndexWithAnotherCollationThanTheColumnDoesNotMakeAParentKey() {
        Schema.Column name = new Schema.Column("name", "TEXT", null, null, 0, false);
        Schema.Table artist = new Schema.Table("artist", List.of(new Schema.Column("id", "INTEGER", null, null, 1, false), name),
                false, List.of(new Schema.Key("ix", List.of("name"), List.of("NOCASE"), false)), List.of(List.of("name")), List.of());
        Schema s = new Schema("main", List.of(artist, table("album").id("id").col("artist_name", "TEXT")
                .fk("artist_name", "artist", "name", Action.NO_ACTION, Action.NO_ACTION).build()), List.of());
        assertEquals(1, plan(s).problems().size());
    }

    @Test
    void anImpliedKeyOnAParentWithoutPrimaryKeyIsAProblem() {
        Schema s = schema(table("artist").col("name", "TEXT"),
                table("album").id("id").col("artist_name", "TEXT").fk("artist_name", "artist", null, Action.NO_ACTION, Action.NO_ACTION));
        assertTrue(plan(s).problems().get(0).message().contains("has no PRIMARY KEY"));
    }

    @Test
    void anImpliedKeyWithTheWrongColumnCountIsAProblem() {
        Schema s = schema(table("artist").id("id"),
                table("album").id("id").col("a", "INTEGER").col("b", "INTEGER")
                        .fk(List.of("a", "b"), "artist", List.of(), Action.NO_ACTION, Action.NO_ACTION));
        assertTrue(plan(s).problems().get(0).message().contains("2 child column(s) but the parent key artist(id) has 1"));
    }

    @Test
    void anImpliedKeyUsesTheParentsPrimaryKey() {
        Schema s = schema(table("artist").id("id"),
                table("album").id("id").col("artist_id", "INTEGER").fk("artist_id", "artist", null, Action.NO_ACTION, Action.NO_ACTION));
        TriggerPlanner.Plan p = plan(s);
        assertTrue(p.problems().isEmpty());
        assertEquals("album(artist_id) -> artist(id)", p.foreignKeys().get(0).describe());
    }

    @Test
    void excludedTablesGetNoTriggersAsChildOrAsParent() {
        Options noAlbum = Options.defaults().withExcludedTables(Set.of("ALBUM"));
        assertTrue(TriggerPlanner.plan(Schemas.music(), noAlbum).triggers().isEmpty());
        Options noArtist = Options.defaults().withExcludedTables(Set.of("artist"));
        assertTrue(TriggerPlanner.plan(Schemas.music(), noArtist).triggers().isEmpty());
    }

    @Test
    void aChildKeyWithoutIndexIsWarnedAbout() {
        Schema s = schema(table("artist").id("id"),
                table("album").id("id").col("artist_id", "INTEGER").fk("artist_id", "artist", "id", Action.NO_ACTION, Action.NO_ACTION));
        assertTrue(plan(s).warnings().stream().anyMatch(w -> w.contains("no index on album(artist_id)")), plan(s).warnings().toString());
        assertTrue(plan(Schemas.music()).warnings().stream().noneMatch(w -> w.contains("no index")));
    }

    @Test
    void aDeferredKeyIsWarnedAboutBecauseTriggersCheckAtOnce() {
        Schema s = schema(table("artist").id("id"),
                table("album").id("id").col("artist_id", "INTEGER").index("artist_id").deferredFk("artist_id", "artist", "id"));
        assertTrue(plan(s).warnings().stream().anyMatch(w -> w.contains("DEFERRABLE INITIALLY DEFERRED")));
    }

    @Test
    void aCascadeThroughASelfReferenceDeletesTheWholeSubtreeWithARecursiveQuery() {
        Schema s = schema(table("node").id("id").col("parent", "INTEGER").index("parent")
                .fk("parent", "node", "id", Action.CASCADE, Action.NO_ACTION));
        String pdel = plan(s).triggers().stream().filter(t -> t.name().contains("_pdel_")).findFirst().orElseThrow().sql();
        assertTrue(pdel.contains("WITH RECURSIVE"), pdel);
    }

    @Test
    void aCascadeBetweenTwoTablesIsAPlainDelete() {
        String pdel = plan(Schemas.music()).triggers().stream().filter(t -> t.name().contains("_pdel_")).findFirst().orElseThrow().sql();
        assertFalse(pdel.contains("WITH RECURSIVE"), pdel);
        assertTrue(pdel.contains("DELETE FROM \"album\" WHERE OLD.\"id\" = \"artist_id\""), pdel);
    }

    @Test
    void aRowidParentKeyIsWatchedUnderEveryRowidSpelling() {
        String pupd = plan(Schemas.music()).triggers().stream().filter(t -> t.name().contains("_pupd_")).findFirst().orElseThrow().sql();
        assertTrue(pupd.contains("AFTER UPDATE OF \"id\", rowid, oid, _rowid_ ON \"artist\""), pupd);
    }

    @Test
    void keysWithColumnsOfTheSameAffinityClassGetTheSimpleTriggers() {
        assertTrue(plan(Schemas.music()).triggers().stream().noneMatch(t -> t.sql().contains("count(*)")));
    }

    @Test
    void keysMixingNumericAndTextColumnsGetTriggersThatCountLikeNativeEnforcement() {
        Schema s = schema(table("artist").col("code", "TEXT").unique("code"),
                table("album").id("id").col("artist_code", "INTEGER").index("artist_code")
                        .fk("artist_code", "artist", "code", Action.CASCADE, Action.NO_ACTION));
        String pdel = plan(s).triggers().stream().filter(t -> t.name().contains("_pdel_")).findFirst().orElseThrow().sql();
        assertTrue(pdel.contains("count(*)"), pdel);
    }

    @Test
    void theDeleteTriggerOfATableRunsItsActionsBeforeItsNoActionChecks() {
        Schema s = schema(table("p").id("id"),
                table("c").id("id").col("a", "INTEGER").col("b", "INTEGER").index("a").index("b")
                        .fk("a", "p", "id", Action.CASCADE, Action.NO_ACTION)
                        .fk("b", "p", "id", Action.NO_ACTION, Action.NO_ACTION));
        String pdel = plan(s).triggers().stream().filter(t -> t.name().contains("_pdel_")).findFirst().orElseThrow().sql();
        assertTrue(pdel.indexOf("DELETE FROM") < pdel.indexOf("RAISE"), "native checks NO ACTION at the end: " + pdel);
    }

    @Test
    void parentTriggersAreOnePerTableAndKeyWhenNoKeyLiesOnACycle() {
        Schema s = schema(table("p").id("id"),
                table("c").id("id").col("a", "INTEGER").col("b", "INTEGER").index("a").index("b")
                        .fk("a", "p", "id", Action.CASCADE, Action.NO_ACTION)
                        .fk("b", "p", "id", Action.NO_ACTION, Action.SET_NULL),
                table("d").id("id").col("p_id", "INTEGER").index("p_id").fk("p_id", "p", "id", Action.SET_NULL, Action.CASCADE));
        List<String> onP = plan(s).triggers().stream().filter(t -> t.table().equals("p")).map(t -> TriggerNames.kindOf(t.name())).toList();
        assertEquals(List.of("pdel", "pupd"), onP);
    }

    @Test
    void keysOnACycleKeepATriggerEachSoACascadeComingBackStillFindsTheOthersFree() {
        Schema s = schema(
                table("a").id("id").col("b_id", "INTEGER").col("b2", "INTEGER").index("b_id").index("b2")
                        .fk("b_id", "b", "id", Action.CASCADE, Action.NO_ACTION).fk("b2", "b", "id", Action.SET_NULL, Action.NO_ACTION),
                table("b").id("id").col("a_id", "INTEGER").index("a_id").fk("a_id", "a", "id", Action.CASCADE, Action.NO_ACTION));
        long onB = plan(s).triggers().stream().filter(t -> t.table().equals("b") && t.name().contains("_pdel_")).count();
        assertEquals(2, onB);
    }

    @Test
    void awkwardIdentifiersAreQuoted() {
        Schema s = schema(table("my \"artists\"").id("id"),
                table("order").id("id").col("größe", "INTEGER").index("größe")
                        .fk("größe", "my \"artists\"", "id", Action.SET_NULL, Action.CASCADE));
        for (TriggerPlanner.Planned t : plan(s).triggers()) {
            assertTrue(t.sql().contains("\"my \"\"artists\"\"\"") || t.sql().contains("\"order\""), t.sql());
            assertTrue(t.name().startsWith("fkguard_"), t.name());
        }
    }

    @Test
    void tablesInACycleOfCascadesAreWarnedAbout() {
        Schema s = schema(
                table("a").id("id").col("b_id", "INTEGER").index("b_id").fk("b_id", "b", "id", Action.CASCADE, Action.NO_ACTION),
                table("b").id("id").col("a_id", "INTEGER").index("a_id").fk("a_id", "a", "id", Action.CASCADE, Action.NO_ACTION));
        assertTrue(plan(s).warnings().stream().anyMatch(w -> w.contains("cycle of ON DELETE CASCADE")), plan(s).warnings().toString());
    }

    @Test
    void theChecksOfATablesKeysAreOneStatementThatTriesThemInDeclarationOrder() {
        Schema s = schema(table("a").id("id"), table("b").id("id"),
                table("c").id("id").col("a_id", "INTEGER").col("b_id", "INTEGER").index("a_id").index("b_id")
                        .fk("a_id", "a", "id", Action.NO_ACTION, Action.NO_ACTION)
                        .fk("b_id", "b", "id", Action.NO_ACTION, Action.NO_ACTION));
        String ins = plan(s).triggers().stream().filter(t -> t.name().contains("_ins_")).findFirst().orElseThrow().sql();
        assertEquals(1, ins.split("SELECT CASE", -1).length - 1, ins);
        assertTrue(ins.indexOf("c(a_id) -> a(id)") < ins.indexOf("c(b_id) -> b(id)"), ins);
        assertFalse(ins.contains("SELECT RAISE"), ins);
    }

    @Test
    void aChildKeyUpdateComparesTypesOnlyWhereTheColumnHasNoAffinityAndCollatesBinaryOnlyWhereItCollatesOtherwise() {
        Schema s = schema(table("p").id("id"),
                table("typed").id("id").col("p_id", "INTEGER").index("p_id").fk("p_id", "p", "id", Action.NO_ACTION, Action.NO_ACTION),
                table("untyped").id("id").col("p_id", "").index("p_id").fk("p_id", "p", "id", Action.NO_ACTION, Action.NO_ACTION));
        Map<String, String> upd = new java.util.HashMap<>();
        plan(s).triggers().stream().filter(t -> t.name().contains("_upd_")).forEach(t -> upd.put(t.table(), t.sql()));
        assertTrue(upd.get("typed").contains("WHERE NEW.\"p_id\" IS NOT OLD.\"p_id\" AND "), upd.get("typed"));
        assertFalse(upd.get("typed").contains("typeof") || upd.get("typed").contains("COLLATE"), upd.get("typed"));
        assertTrue(upd.get("untyped").contains("(NEW.\"p_id\" IS NOT OLD.\"p_id\" OR typeof(NEW.\"p_id\") IS NOT typeof(OLD.\"p_id\"))"),
                upd.get("untyped"));
    }

    @Test
    void aBrokenKeyIsAProblemByDefaultAndGetsBeforeTriggersOfItsOwnUnderEnforce() {
        Schema s = schema(table("c").id("id").col("gone_id", "INTEGER").fk("gone_id", "gone", "id", Action.NO_ACTION, Action.NO_ACTION));
        TriggerPlanner.Plan refused = plan(s);
        assertEquals(1, refused.problems().size());
        assertTrue(refused.triggers().isEmpty());
        TriggerPlanner.Plan enforced = TriggerPlanner.plan(s, Options.defaults().withBrokenKeys(Options.BrokenKeys.ENFORCE));
        assertTrue(enforced.problems().isEmpty());
        assertEquals(List.of("bins", "bupd", "bdel"), enforced.triggers().stream().map(t -> TriggerNames.kindOf(t.name())).toList());
        assertTrue(enforced.triggers().stream().allMatch(t -> TriggerNames.isManaged(t.name()) && t.sql().contains(" BEFORE ")));
        assertEquals(3, TriggerPlanner.diff(enforced, schema(installed(enforced),
                table("c").id("id").col("gone_id", "INTEGER").fk("gone_id", "gone", "id", Action.NO_ACTION, Action.NO_ACTION))).kept());
    }

    @Test
    void planning_the_triggers_of_some_tables_gives_exactly_those_tables_triggers_of_the_whole_plan() {
        Schema s = Schemas.music();
        TriggerPlanner.Plan whole = plan(s);
        for (Schema.Table t : s.tables()) {
            java.util.Set<String> some = new java.util.HashSet<>(List.of(Schema.key(t.name()), Schema.key(s.tables().get(0).name())));
            TriggerPlanner.Plan part = TriggerPlanner.plan(s, Options.defaults(), name -> some.contains(Schema.key(name)));

            assertEquals(whole.triggers().stream().filter(p -> some.contains(Schema.key(p.table()))).toList(), part.triggers());
            assertEquals(whole.foreignKeys(), part.foreignKeys());
            assertEquals(whole.warnings(), part.warnings());
        }
    }
}
