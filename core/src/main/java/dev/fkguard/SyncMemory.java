package dev.fkguard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema states known to be in sync in this process, so that a sync of an unchanged schema is answered by one
 * query, with the keys the triggers enforce (what {@link MigrationGuard} starts from; the stored
 * {@link SyncStamp} does not carry them).
 *
 * <p>The plan is a pure function of the schema's {@code sqlite_schema} text (and the options and the SQLite
 * version), and so is the diff against the triggers present. A state whose {@link SyncStamp.Digests#state} was
 * seen right after a sync (or found in sync by a plan) therefore needs nothing, on any connection and any
 * file: the digests cover every trigger's text, so a trigger edited or dropped by hand changes them. Nor
 * does such a sync scan for orphans, exactly as the full path scans only keys whose triggers it creates.
 * Remembering a state that is later rolled back is harmless: the memory says which texts are in sync, not
 * what any database holds.
 */
final class SyncMemory {
    private static final int CAPACITY = 256;

    /** What a sync of a remembered state reports (nothing to do), and the keys its triggers enforce. */
    record InSync(int kept, int foreignKeys, List<String> warnings, java.util.Set<MigrationGuard.Key> keys) {
        Report report() {
            return new Report(List.of(), List.of(), List.of(), kept, foreignKeys, warnings, List.of(), true);
        }
    }

    private static final Map<String, InSync> STATES = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, InSync> eldest) {
            return size() > CAPACITY;
        }
    };

    private SyncMemory() {
    }

    private static String key(Options options, String fingerprint) {
        return options + "\u0000" + fingerprint;
    }

    static InSync lookup(Options options, String fingerprint) {
        synchronized (STATES) {
            return STATES.get(key(options, fingerprint));
        }
    }

    /** Forgets every state: what a new process starts with (tests). */
    static void forget() {
        synchronized (STATES) {
            STATES.clear();
        }
    }

    static void remember(Options options, String fingerprint, InSync state) {
        synchronized (STATES) {
            STATES.put(key(options, fingerprint), state);
        }
    }
}
