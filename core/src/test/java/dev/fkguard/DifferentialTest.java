package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Native enforcement is the oracle: random schemas and workloads must give the same outcome and
 * the same rows with fkguard's triggers as with {@code PRAGMA foreign_keys=ON}, after every statement.
 * Fixed seeds always run; a bounded random run adds new seeds each time (printed on failure).
 */
class DifferentialTest {
    static final int FIXED_SEEDS = Integer.getInteger("fkguard.differential.seeds", 150);
    static final int STATEMENTS = Integer.getInteger("fkguard.differential.statements", 60);
    static final long RANDOM_MILLIS = Long.getLong("fkguard.differential.randomMillis", 15_000);
    static final Map<Differential.Known, Integer> KNOWN = new EnumMap<>(Differential.Known.class);
    static int statementsRun;
    static int brokenKeySchemas;
    static int brokenKeyRefusals;
    static int userTriggerSchemas;
    static int statementsWithUserTriggers;

    static java.util.stream.Stream<Arguments> fixedSeeds() {
        return java.util.stream.LongStream.range(1, FIXED_SEEDS + 1).boxed()
                .flatMap(s -> java.util.stream.Stream.of(Arguments.of(s, false), Arguments.of(s, true)));
    }

    @ParameterizedTest(name = "seed {0}, recursive_triggers {1}")
    @MethodSource("fixedSeeds")
    void triggersAgreeWithNativeEnforcement(long seed, boolean recursiveTriggers) throws Exception {
        run(seed, recursiveTriggers);
    }

    @Test
    void triggersAgreeWithNativeEnforcementOnFreshRandomSeeds() throws Exception {
        long end = System.currentTimeMillis() + RANDOM_MILLIS;
        java.util.Random seeds = new java.util.Random();
        int schemas = 0;
        while (System.currentTimeMillis() < end) {
            long seed = seeds.nextLong();
            run(seed, seeds.nextBoolean());
            schemas++;
        }
        assertTrue(schemas > 0);
    }

    private static void run(long seed, boolean recursiveTriggers) throws Exception {
        Differential d = new Differential(seed, recursiveTriggers);
        Differential.Outcome o = d.run(STATEMENTS);
        assertNull(o.failure(), o.failure());
        synchronized (KNOWN) {
            statementsRun += o.statements();
            brokenKeySchemas += d.hasBrokenKey() ? 1 : 0;
            brokenKeyRefusals += d.brokenKeyRefusals();
            userTriggerSchemas += d.hasUserTriggers() ? 1 : 0;
            statementsWithUserTriggers += d.hasUserTriggers() ? o.statements() : 0;
            o.known().forEach((k, v) -> KNOWN.merge(k, v, Integer::sum));
        }
    }

    @AfterAll
    static void printDivergences() {
        System.out.println("differential: " + statementsRun + " statements agreed with native enforcement;"
                + " documented divergences seen: " + KNOWN + "; " + brokenKeySchemas + " schemas with a broken key, "
                + brokenKeyRefusals + " statements refused for it by both; " + userTriggerSchemas
                + " schemas with triggers of the user's own, " + statementsWithUserTriggers + " statements run next to them");
    }
}
