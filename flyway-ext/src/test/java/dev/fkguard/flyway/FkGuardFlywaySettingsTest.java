package dev.fkguard.flyway;

import dev.fkguard.Options;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Placeholder keys as each configuration route spells them all mean the same setting. */
class FkGuardFlywaySettingsTest {

    @Test
    void noPlaceholdersMeanSyncRefuseOrphansSchemaMainNothingExcluded() {
        assertEquals(FkGuardFlywaySettings.defaults(), FkGuardFlywaySettings.fromPlaceholders(Map.of("other", "x")));
        assertEquals(new FkGuardFlywaySettings(FkGuardFlywaySettings.Mode.SYNC, Options.OrphanPolicy.FAIL,
                List.of("main"), Set.of()), FkGuardFlywaySettings.defaults());
    }

    @Test
    void dottedEnvironmentVariableAndSpringSpellingsAreTheSameSetting() {
        FkGuardFlywaySettings expected = FkGuardFlywaySettings.defaults()
                .withMode(FkGuardFlywaySettings.Mode.CHECK)
                .withOrphanPolicy(Options.OrphanPolicy.WARN)
                .withSchemas(List.of("main", "aux"))
                .withExcludedTables(Set.of("Log", "Audit"))
                .withBrokenKeys(Options.BrokenKeys.ENFORCE);
        assertEquals(expected, FkGuardFlywaySettings.fromPlaceholders(Map.of(
                "fkguard.mode", "check", "fkguard.orphanPolicy", "warn",
                "fkguard.schemas", "main, aux", "fkguard.excludedTables", "Log,Audit", "fkguard.brokenKeys", "enforce")));
        assertEquals(expected, FkGuardFlywaySettings.fromPlaceholders(Map.of(
                "fkguard_mode", "CHECK", "fkguard_orphan_policy", "WARN",
                "fkguard_schemas", "main,aux", "fkguard_excluded_tables", "Log,Audit", "fkguard_broken_keys", "ENFORCE")));
        assertEquals(expected, FkGuardFlywaySettings.fromPlaceholders(Map.of(
                "fkguard-mode", "check-only", "fkguard-orphan-policy", "warn",
                "fkguard-schemas", "main,aux", "fkguard-excluded-tables", "Log,Audit", "fkguard-broken-keys", "enforce")));
    }

    @Test
    void anUnknownFkguardKeyOrValueIsAnErrorNamingIt() {
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> FkGuardFlywaySettings.fromPlaceholders(Map.of("fkguard.moed", "sync")));
        assertTrue(key.getMessage().contains("fkguard.moed"), key.getMessage());
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> FkGuardFlywaySettings.fromPlaceholders(Map.of("fkguard.mode", "fix")));
        assertTrue(value.getMessage().contains("'fix'"), value.getMessage());
    }

    @Test
    void duringMigrationIsEnforceByDefaultAndSuspendInEverySpelling() {
        assertEquals(FkGuardFlywaySettings.DuringMigration.ENFORCE, FkGuardFlywaySettings.defaults().duringMigration());
        for (String key : List.of("fkguard.duringMigration", "fkguard_during_migration", "fkguard-during-migration")) {
            assertEquals(FkGuardFlywaySettings.DuringMigration.SUSPEND,
                    FkGuardFlywaySettings.fromPlaceholders(Map.of(key, "Suspend")).duringMigration(), key);
        }
        IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> FkGuardFlywaySettings.fromPlaceholders(Map.of("fkguard.duringMigration", "off")));
        assertTrue(value.getMessage().contains("'off'"), value.getMessage());
    }
}
