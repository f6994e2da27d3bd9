package dev.fkguard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyComparisonsTest {
    @Test
    void a_plain_collation_name_is_what_the_regular_expression_accepts() {
        Random random = new Random(23);
        String alphabet = "aZ_09 \"-\u00e9";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(6); n > 0; n--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String name = b.toString();
            assertEquals(name.matches("[A-Za-z_][A-Za-z0-9_]*"), KeyComparisons.isPlainName(name), name);
        }
    }

    @Test
    void a_collation_is_named_in_upper_case_or_quoted() {
        assertEquals("NOCASE", KeyComparisons.collationName("nocase"));
        assertEquals("\"my coll\"", KeyComparisons.collationName("my coll"));
        assertEquals("\"1x\"", KeyComparisons.collationName("1x"));
    }
}
