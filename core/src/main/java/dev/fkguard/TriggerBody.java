package dev.fkguard;

import static dev.fkguard.SqlText.literal;

import dev.fkguard.Schema.Column;
import dev.fkguard.TriggerPlanner.Resolved;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns the statements a trigger runs into the body SQLite stores: plain statements as they are, every
 * run of consecutive checks as one statement,
 * {@code SELECT CASE WHEN c1 THEN RAISE(ABORT, 'm1') WHEN c2 THEN RAISE(ABORT, 'm2') END}. CASE tries its
 * WHENs in order and stops at the first true one, so the same check fails first, with the same message,
 * as with one {@code SELECT RAISE(...) WHERE c} per check; checks only read. One statement instead of n is
 * n-1 fewer trigger steps and SELECTs for every connection to parse. A single check stays
 * {@code SELECT RAISE(ABORT, 'm') WHERE c}. Pure text, used by {@link TriggerPlanner}'s case families
 * ({@link ChildChecks}, {@link ParentActions}, {@link KeyComparisons}), which also share the key's check
 * ({@link #raiseIf}) and the {@code UPDATE OF} list of a trigger's header ({@link #updateOf}) from here.
 */
final class TriggerBody {
    private TriggerBody() {
    }

    /**
     * A check, marked with NUL characters (which no SQLite name or text can contain) until {@link #render}
     * writes the body; {@code message} is already an SQL string literal.
     */
    static String check(String message, String condition) {
        return "\u0000" + message + "\u0000" + condition + "\u0000";
    }

    /** The body: plain statements (each ending in ";\n") and {@link #check}s, in order. */
    static String render(CharSequence body) {
        String b = body.toString();
        StringBuilder out = new StringBuilder();
        List<String[]> run = new ArrayList<>();
        int i = 0;
        while (i < b.length()) {
            if (b.charAt(i) == '\u0000') {
                int m = b.indexOf('\u0000', i + 1);
                int c = b.indexOf('\u0000', m + 1);
                run.add(new String[] {b.substring(i + 1, m), b.substring(m + 1, c)});
                i = c + 1;
                continue;
            }
            flush(run, out);
            int next = b.indexOf('\u0000', i);
            int end = next < 0 ? b.length() : next;
            out.append(b, i, end);
            i = end;
        }
        flush(run, out);
        return out.toString();
    }

    private static void flush(List<String[]> run, StringBuilder out) {
        if (run.size() == 1) {
            out.append("  SELECT RAISE(ABORT, ").append(run.get(0)[0]).append(") WHERE ").append(run.get(0)[1]).append(";\n");
        } else if (!run.isEmpty()) {
            out.append("  SELECT CASE");
            for (String[] check : run) {
                out.append("\n    WHEN ").append(check[1]).append(" THEN RAISE(ABORT, ").append(check[0]).append(")");
            }
            out.append(" END;\n");
        }
        run.clear();
    }

    /**
     * {@code  OF c1, c2}, or nothing when a key column is generated: its value changes with columns no
     * SET list names, so the trigger must look at every update (its body tests what changed).
     */
    static String updateOf(Set<String> of, List<Resolved> keys, boolean parentSide) {
        for (Resolved r : keys) {
            for (Column c : parentSide ? r.to() : r.from()) {
                if (c.generated()) {
                    return "";
                }
            }
        }
        return " OF " + String.join(", ", of);
    }

    /** A check of the key: RAISE with its message when the condition holds (see {@link #check}). */
    static String raiseIf(Resolved r, String condition) {
        return TriggerBody.check(literal(r.message()), condition);
    }
}
