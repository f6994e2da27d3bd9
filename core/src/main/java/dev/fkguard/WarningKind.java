package dev.fkguard;

import java.util.List;
import java.util.Map;

/**
 * The kinds of warning fkguard gives, so that a report can be summarised as one line per kind. Each
 * kind is recognised by a phrase that only its own messages contain; the messages are written in
 * {@link TriggerPlanner} and {@link Applier}, and {@code WarningKindTest} holds every one to a kind.
 */
enum WarningKind {
    MISSING_INDEX(": no index on ",
            "foreign keys have no index on their child columns: every delete or key update in the parent scans the child"),
    MIXED_AFFINITY(" compares columns of different affinity classes ",
            "foreign keys compare columns of different affinity classes: parent deletes and key updates also read the child"),
    DEFERRED(" is DEFERRABLE INITIALLY DEFERRED: ",
            "deferred foreign keys are checked at once, row by row, not at COMMIT"),
    SELF_NO_ACTION(" references its own table with ON DELETE NO ACTION: ",
            "self references with ON DELETE NO ACTION refuse deleting a row together with its children unless the children go first"),
    SELF_UPDATE(" changes part of the key it follows; ",
            "self references whose ON UPDATE action changes part of its own key recurse beyond one level only with recursive_triggers ON"),
    CASCADE_CYCLE(" lie on a cycle of ON DELETE CASCADE keys: ",
            "groups of tables lie on a cycle of ON DELETE CASCADE keys: a cascade goes round once only with recursive_triggers OFF"),
    REPLACE_ON_CONFLICT(" has a UNIQUE or PRIMARY KEY constraint with ON CONFLICT REPLACE: ",
            "parent tables have ON CONFLICT REPLACE constraints: a plain INSERT or UPDATE that collides can leave children without parent"),
    BROKEN_KEY(" is broken and enforced as SQLite does: ",
            "foreign keys are broken declarations, enforced as SQLite does: every write that needs one is refused (--broken-keys=enforce)"),
    USER_TRIGGER_OVERTAKEN(" as the newest, as native order wants",
            "groups of fkguard triggers fire after a trigger of yours created later: actions and RESTRICT come too late until fkguard sync"),
    CHECK_BEFORE_USER_TRIGGER(", so its checks fire before that trigger: ",
            "fkguard checks fire before an older trigger of yours, so a repair that trigger makes is not seen (native checks at the end of the statement)"),
    ORPHANS(": no parent row matches (",
            "foreign keys are broken by rows that exist already (installed anyway: --orphans=warn)"),
    OTHER(null, "other warnings");

    private final String marker;
    final String summary;

    WarningKind(String marker, String summary) {
        this.marker = marker;
        this.summary = summary;
    }

    static WarningKind of(String warning) {
        for (WarningKind k : values()) {
            if (k.marker != null && warning.contains(k.marker)) {
                return k;
            }
        }
        return OTHER;
    }

    /** The warnings grouped by kind, kinds in order of first appearance, each kind's warnings in order. */
    static Map<String, List<String>> group(List<String> warnings) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String w : warnings) {
            out.computeIfAbsent(of(w).summary, k -> new java.util.ArrayList<>()).add(w);
        }
        return out;
    }
}
