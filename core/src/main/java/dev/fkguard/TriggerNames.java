package dev.fkguard;

import dev.fkguard.TriggerPlanner.Resolved;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The names of fkguard's triggers (the "Names" section of {@link TriggerPlanner}): made from the table,
 * the case ({@code ins}, {@code upd}, {@code pdel}, {@code pupd}, {@code b...}: the case families of the
 * table) and a hash of the keys enforced; read back to tell fkguard's triggers from the user's and to
 * group them by table and event.
 */
final class TriggerNames {
    static final String PREFIX = "fkguard_";

    private TriggerNames() {
    }

    /** The (table, event) a trigger belongs to: triggers of one group fire in a defined order. */
    static String groupOf(String table, String kind) {
        String event = switch (kind == null ? "" : kind) {
            case "ins" -> "INSERT";
            case "upd", "pupd" -> "UPDATE";
            case "pdel" -> "DELETE";
            // broken keys (BrokenKeyTriggers): BEFORE triggers, a group of their own per table and event
            case "bins", "bpins" -> "BEFORE INSERT";
            case "bupd", "bpupd" -> "BEFORE UPDATE";
            case "bdel", "bpdel" -> "BEFORE DELETE";
            default -> null;
        };
        return event == null ? null : Schema.key(table) + "\u0000" + event;
    }

    /** The case part of an fkguard trigger name ({@code ins}, {@code upd}, {@code pdel}, {@code pupd}, {@code b...}), or null. */
    static String kindOf(String triggerName) {
        // the next-to-last of the parts between underscores, trailing underscores ignored (as split("_") does),
        // without a regular expression: it runs per trigger in every plan, diff and stamp
        int end = triggerName.length();
        while (end > 0 && triggerName.charAt(end - 1) == '_') {
            end--;
        }
        int last = triggerName.lastIndexOf('_', end - 1);
        if (last < 0) {
            return null;
        }
        int before = triggerName.lastIndexOf('_', last - 1);
        return before < 0 ? null : triggerName.substring(before + 1, last);
    }

    /** The case parts fkguard's names carry (see the case table of {@link TriggerPlanner}). */
    static final java.util.Set<String> KINDS =
            java.util.Set.of("ins", "upd", "pdel", "pupd", "bins", "bupd", "bdel", "bpdel", "bpupd", "bpins");
    private static final int HASH = 10;
    private static final int TABLE_PART = 40;

    /**
     * fkguard's names exactly as {@link #name} makes them: {@code fkguard_}, up to 40 of
     * {@code [A-Za-z0-9_]}, {@code _}, a case of {@link #KINDS}, {@code _}, ten lowercase hex digits. A user's
     * trigger that merely starts with fkguard_ is not one. Read without a regular expression: it runs for
     * every trigger of the schema on every sync, plan and migration (the kind has no underscore, so the
     * last underscore before the hash separates it from the table part).
     */
    static boolean isManaged(String triggerName) {
        int n = triggerName.length();
        int hashStart = n - HASH;
        if (hashStart < PREFIX.length() + 2 || !triggerName.startsWith(PREFIX) || triggerName.charAt(hashStart - 1) != '_') {
            return false;
        }
        for (int i = hashStart; i < n; i++) {
            char c = triggerName.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        int kindEnd = hashStart - 1;
        int kindStart = triggerName.lastIndexOf('_', kindEnd - 1) + 1;
        if (kindStart <= PREFIX.length() || !KINDS.contains(triggerName.substring(kindStart, kindEnd))) {
            return false;
        }
        int tableEnd = kindStart - 1;
        if (tableEnd - PREFIX.length() > TABLE_PART) {
            return false;
        }
        for (int i = PREFIX.length(); i < tableEnd; i++) {
            char c = triggerName.charAt(i);
            if (!SqlText.isAsciiWordChar(c)) {
                return false;
            }
        }
        return true;
    }

    static String name(String table, String kind, String content) {
        return PREFIX + tablePart(table) + "_" + kind + "_" + hashPart(table + "\u0001" + kind + "\u0001" + content);
    }

    /**
     * The table's name as a name part: every code point outside {@code [A-Za-z0-9_]} made one {@code _}, then cut to
     * 40 chars, exactly as {@code replaceAll("[^A-Za-z0-9_]", "_")} and {@code substring(0, 40)} did (a pair of
     * surrogates is one code point there too). A loop, not a regular expression: it runs for every trigger of every
     * plan, and a cold CLI compiled the pattern 3,600 times.
     */
    static String tablePart(String table) {
        StringBuilder out = new StringBuilder(Math.min(table.length(), TABLE_PART));
        for (int i = 0; i < table.length() && out.length() < TABLE_PART; ) {
            int c = table.codePointAt(i);
            out.append(SqlText.isAsciiWordChar(c) ? (char) c : '_');
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /** One digest per thread: looking the algorithm up costs more than hashing a trigger's identity. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** The first {@value #HASH} hex digits of the SHA-256 of {@code s}: only the bytes they show are formatted. */
    private static String hashPart(String s) {
        MessageDigest md = SHA256.get();
        md.reset();
        return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)), 0, HASH / 2);
    }

    static String identities(List<Resolved> keys) {
        return keys.stream().map(Resolved::identity).collect(Collectors.joining("\n"));
    }
}
