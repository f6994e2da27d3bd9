package dev.fkguard.liquibase;

import liquibase.util.LiquibaseUtil;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build runs this suite once per Liquibase line; each run must really have the version it claims. */
class LiquibaseVersionTest {
    private static final String EXPECTED = System.getProperty("fkguard.liquibase.expected");

    @Test
    void the_suite_runs_against_the_liquibase_version_the_build_asked_for() {
        assertEquals(EXPECTED, LiquibaseUtil.getBuildVersion());
        String jar = liquibase.Scope.class.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(jar.endsWith("liquibase-core-" + EXPECTED + ".jar"), "Liquibase classes come from " + jar);
    }

    @Test
    void only_one_liquibase_is_on_the_class_path() {
        List<String> cores = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> entry.contains("liquibase-core-"))
                .collect(Collectors.toList());
        assertEquals(1, cores.size(), "liquibase-core jars on the class path: " + cores);
    }
}
