package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Which trigger names are fkguard's: exactly the names {@link TriggerNames#name} makes, nothing else. */
class TriggerNamesTest {
    /** The definition, as a regular expression; {@link TriggerNames#isManaged} must say the same without one. */
    private static final Pattern DEFINITION = Pattern.compile(
            "fkguard_[A-Za-z0-9_]{0,40}_(" + String.join("|", TriggerNames.KINDS) + ")_[0-9a-f]{10}");

    @Test
    void every_name_fkguard_makes_is_managed() {
        for (String table : List.of("t", "Order Items", "ünïcode", "a_b_ins_c", "x".repeat(60), "_", "")) {
            for (String kind : TriggerNames.KINDS) {
                String name = TriggerNames.name(table, kind, "key");
                assertTrue(TriggerNames.isManaged(name), name);
            }
        }
    }

    @Test
    void names_that_only_resemble_fkguards_are_not_managed() {
        for (String name : List.of("fkguard_audit", "FKGUARD_c_ins_0123456789", "fkguard_c_ins_0123456789_mine",
                "fkguard_c_ins_012345678", "fkguard_c_ins_0123456789a", "fkguard_c_ins_012345678G",
                "fkguard_c_ins_01234567AB", "fkguard_c_insert_0123456789", "fkguard_ins_0123456789",
                "fkguard_c-d_ins_0123456789", "fkguard_" + "x".repeat(41) + "_ins_0123456789", "fkguard_c__0123456789",
                "xfkguard_c_ins_0123456789", "fkguard_c_ins0123456789")) {
            assertFalse(TriggerNames.isManaged(name), name);
        }
        assertTrue(TriggerNames.isManaged("fkguard__ins_0123456789"), "an empty table part, as the pattern allows");
        assertTrue(TriggerNames.isManaged("fkguard_" + "x".repeat(40) + "_bpupd_abcdef0123"));
    }

    @Test
    void is_managed_agrees_with_the_definition_on_random_names_near_it() {
        Random random = new Random(11);
        List<String> kinds = new ArrayList<>(TriggerNames.KINDS);
        String[] middles = {"", "_", "a", "Z9", "a_b", "x_ins", "-", " ", "é", "x".repeat(39), "x".repeat(40), "x".repeat(41)};
        String[] hashes = {"0123456789", "abcdef0123", "ABCDEF0123", "012345678", "0123456789a", "012345678g"};
        String alphabet = "_aZ9-f0 éF";
        int managed = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder b = new StringBuilder(random.nextInt(8) == 0 ? "FKGUARD_" : "fkguard_");
            b.append(middles[random.nextInt(middles.length)]);
            if (random.nextInt(3) == 0) {
                b.append(middles[random.nextInt(middles.length)]);
            }
            b.append(random.nextInt(10) == 0 ? "" : "_");
            b.append(random.nextInt(8) == 0 ? "insert" : kinds.get(random.nextInt(kinds.size())));
            b.append(random.nextInt(10) == 0 ? "" : "_");
            b.append(hashes[random.nextInt(hashes.length)]);
            if (random.nextInt(3) == 0) { // one character changed, inserted or removed anywhere
                int at = random.nextInt(b.length());
                switch (random.nextInt(3)) {
                    case 0 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> b.deleteCharAt(at);
                }
            }
            String name = b.toString();
            boolean expected = DEFINITION.matcher(name).matches();
            managed += expected ? 1 : 0;
            assertEquals(expected, TriggerNames.isManaged(name), name);
        }
        assertTrue(managed > 5_000 && managed < 95_000, "both answers must be common: " + managed);
    }

    @Test
    void kind_of_reads_the_next_to_last_part_as_splitting_on_underscores_does() {
        Random random = new Random(13);
        String alphabet = "_a9";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(9); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String name = b.toString();
            String[] parts = name.split("_");
            assertEquals(parts.length >= 3 ? parts[parts.length - 2] : null, TriggerNames.kindOf(name), name);
        }
        assertEquals("pupd", TriggerNames.kindOf(TriggerNames.name("a_b", "pupd", "key")));
    }

    @Test
    void the_table_part_is_what_the_regular_expression_made_of_the_name() {
        Random random = new Random(17);
        // ASCII letters, digits and signs, a Latin-1 letter, a CJK char, an emoji (a surrogate pair), a lone surrogate
        String[] pieces = {"a", "Z", "0", "_", " ", "\"", "-", "\u00e9", "\u4e2d", "\ud83d\ude00", "\ud800"};
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(50); n > 0; n--) {
                b.append(pieces[random.nextInt(pieces.length)]);
            }
            String table = b.toString();
            String clean = table.replaceAll("[^A-Za-z0-9_]", "_");
            assertEquals(clean.length() > 40 ? clean.substring(0, 40) : clean, TriggerNames.tablePart(table), table);
        }
    }

    @Test
    void names_stay_what_earlier_versions_installed() {
        // a changed name makes every database drop and create that trigger again on its next sync
        assertEquals("fkguard_Invoice_Line_pupd_6e2bf75cd8", TriggerNames.name("Invoice Line", "pupd", "key"));
        assertEquals("fkguard__ttttttttttttttttttttttttttttttttttttttt_ins_b4ac5c2886",
                TriggerNames.name("\ud83d\ude00" + "t".repeat(50), "ins", "key"));
    }
}
