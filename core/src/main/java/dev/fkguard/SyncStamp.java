package dev.fkguard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The in-sync stamp: a record, stored in the database itself, of a state that a sync left in sync, so that a
 * later {@code sync} or {@code plan} in any process answers "nothing to change" by reading {@code sqlite_schema}
 * once and hashing it, without reading columns, planning or diffing.
 *
 * <p><b>Where it lives.</b> In a SQL comment inside the text of one fkguard trigger (the <i>carrier</i>), just
 * before its final {@code END}: {@code /* fkguard in-sync stamp: ... *}{@code /}. SQLite keeps a trigger's text
 * verbatim, comments included, so the stamp survives VACUUM, a file copy, backups and replication, and every tool
 * ignores it: the trigger does exactly what it did. It is not in a user table, nor in {@code user_version} or
 * {@code application_id}, which belong to the user. fkguard strips it wherever it reads trigger text
 * ({@link #strip}), so the diff, the stale-trigger report and the migration guard see the planned text; the
 * planned SQL itself never contains a stamp.
 *
 * <p><b>What it says.</b> Two digests and the report of a sync of that state:
 * <ul>
 * <li>the <i>inputs</i>: the planner version (a digest of fkguard's own classes, so any change to planning makes
 *     every old stamp invalid), the options (all but the orphan policy, see {@code canonical}), the SQLite version, and every row of {@code sqlite_schema} that is
 *     not an fkguard trigger (tables, indexes, views, the user's triggers: type, name, table, text, in creation
 *     order), which is everything the plan is derived from;</li>
 * <li>the <i>installed triggers</i>: name, table and text (stamp stripped) of every fkguard trigger, per table and
 *     event in creation order (the order that decides firing order, which the diff keeps), each with the number of
 *     the user's triggers on its table created before it (its place among them, which the plan decides too);</li>
 * <li>the number of fkguard triggers, of foreign keys, and the plan's warnings (deflated).</li>
 * </ul>
 * Both digests ({@link Digest}: two CRCs and a length) are recomputed from what is really in {@code sqlite_schema} on every use, so a trigger edited,
 * dropped, added or reordered by hand, a changed table or index, other options or another fkguard build all
 * mismatch, and the full path runs. The plan is a pure function of the inputs and the diff of the plan and the
 * installed triggers, so a match means the full path would find exactly what the stamp says.
 *
 * <p><b>Orphans.</b> The stamp also answers without an orphan scan, and that is what the full path does too:
 * {@code sync} and {@code plan} count orphans only for keys whose triggers they are about to create, and in a
 * state that matches its stamp there are none. Every key of such a state got its triggers from a sync that
 * checked its rows first (or, with {@code --orphans=warn}, reported them) and has been enforced by those very
 * triggers since, since neither the triggers nor the tables changed. {@code check}, the command that asks
 * about every key's rows, never takes this path: a connection can switch triggers off
 * ({@code SQLITE_DBCONFIG_ENABLE_TRIGGER}), and a {@code --orphans=warn} sync installs triggers over orphans.
 */
final class SyncStamp {
    private static final String OPEN = "/* fkguard in-sync stamp: ";
    private static final String CLOSE = " */\n";
    private static final Pattern STAMP = Pattern.compile(Pattern.quote(OPEN) + "([^*]*)" + Pattern.quote(CLOSE));
    private static final String FORMAT = "v2"; // v1: SHA-256 digests

    /** How often a stamp answered, in this JVM: tests assert on it, since timing cannot tell the paths apart. */
    static final AtomicLong ANSWERED = new AtomicLong();

    /** Tests only: stands in for the planner version (null: the real one). */
    static volatile String versionForTests;

    private SyncStamp() {
    }

    /** What a stamp records of a state in sync: the report of a sync that finds nothing to do. */
    record InSync(int kept, int foreignKeys, List<String> warnings) {
        Report report() {
            return new Report(List.of(), List.of(), List.of(), kept, foreignKeys, warnings, List.of(), true);
        }
    }

    /** The trigger text without any stamp; the text itself when it carries none. */
    static String strip(String sql) {
        if (sql == null || !sql.contains(OPEN)) {
            return sql;
        }
        return STAMP.matcher(sql).replaceAll("");
    }

    /**
     * The stamp's answer for this state and these options: what a sync that changes nothing would report, or empty
     * when there is no single stamp or it does not match what is in {@code sqlite_schema}. {@code d} are the digests
     * of {@code rows}, which found the stamps.
     */
    static Optional<InSync> answer(SchemaReader.SchemaRows rows, Digests d) {
        List<String> payloads = d.stamps();
        if (payloads.size() != 1) {
            return Optional.empty();
        }
        String[] f = payloads.get(0).split(" ");
        if (f.length != 6 || !f[0].equals(FORMAT)) {
            return Optional.empty();
        }
        if (!f[1].equals(d.inputs()) || !f[2].equals(d.installed())) {
            return Optional.empty();
        }
        try {
            InSync s = new InSync(Integer.parseInt(f[3]), Integer.parseInt(f[4]), decode(f[5]));
            ANSWERED.incrementAndGet();
            return Optional.of(s);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The statements that make the stamp say {@code state} for the schema as it is now ({@code rows}, read after
     * the sync's own statements); none when it already does, or when there is no fkguard trigger to carry it.
     *
     * <p>The carrier is the trigger that carries the stamp already, else the last fkguard trigger created that no
     * trigger of the user's on its table is newer than. It is
     * dropped and created again with the new stamp, and so is every fkguard trigger created after it on the same
     * table, in their order: the triggers of each table keep their creation order, and with it their firing order.
     * A carrier with a trigger of the user's created after it on its table is left as it is (no new stamp), since
     * rewriting it would change its place among the user's triggers.
     */
    static List<String> write(SchemaReader.SchemaRows rows, Digests d, InSync state, String prefix) {
        List<Integer> managed = new ArrayList<>();
        List<Integer> stamped = new ArrayList<>();
        for (int i = 0; i < rows.rows().size(); i++) {
            SchemaReader.SchemaRow r = rows.rows().get(i);
            if (isManaged(r)) {
                managed.add(i);
                if (r.sql() != null && r.sql().contains(OPEN)) {
                    stamped.add(i);
                }
            }
        }
        if (managed.isEmpty()) {
            return List.of();
        }
        String payload = String.join(" ", FORMAT, d.inputs(), d.installed(),
                Integer.toString(state.kept()), Integer.toString(state.foreignKeys()), encode(state.warnings()));
        if (stamped.size() == 1) {
            Matcher m = STAMP.matcher(rows.rows().get(stamped.get(0)).sql());
            if (m.find() && m.group(1).equals(payload) && !m.find()) {
                return List.of();
            }
        }
        int carrier = -1;
        if (!stamped.isEmpty()) {
            carrier = stamped.get(0);
        } else {
            for (int k = managed.size() - 1; k >= 0 && carrier < 0; k--) {
                if (!userTriggerAfter(rows, managed.get(k))) {
                    carrier = managed.get(k);
                }
            }
            if (carrier < 0) {
                return List.of();
            }
        }
        for (int i : stamped) {
            if (userTriggerAfter(rows, i)) {
                // rewriting it would make it newer than a trigger of the user's: leave the stale stamp (it matches
                // nothing) and the order as they are; the full path answers until a sync rewrites that table
                return List.of();
            }
        }
        // from the first trigger touched on a table on: each stamped one (its stamp goes) and the carrier
        Map<String, Integer> from = new LinkedHashMap<>();
        for (int i : stamped) {
            from.merge(tableKey(rows.rows().get(i)), i, Math::min);
        }
        from.merge(tableKey(rows.rows().get(carrier)), carrier, Math::min);
        List<SchemaReader.SchemaRow> rewritten = new ArrayList<>();
        for (int i : managed) {
            Integer start = from.get(tableKey(rows.rows().get(i)));
            if (start != null && i >= start) {
                rewritten.add(rows.rows().get(i));
            }
        }
        List<String> drops = new ArrayList<>();
        List<String> creates = new ArrayList<>();
        String head = "CREATE TRIGGER ";
        for (SchemaReader.SchemaRow r : rewritten) {
            if (r.sql() == null || !r.sql().startsWith(head)) {
                return List.of(); // not a trigger text fkguard wrote: no stamp, the full path runs next time
            }
            drops.add("DROP TRIGGER IF EXISTS " + prefix + SqlText.id(r.name()));
            String sql = strip(r.sql());
            if (r == rows.rows().get(carrier)) {
                int end = sql.lastIndexOf("END");
                if (end < 0) {
                    return List.of();
                }
                sql = sql.substring(0, end) + OPEN + payload + CLOSE + sql.substring(end);
            }
            creates.add(head + prefix + sql.substring(head.length()));
        }
        List<String> out = new ArrayList<>(drops);
        out.addAll(creates);
        return out;
    }

    /** True when a trigger of the user's on the same table was created after row {@code i}. */
    private static boolean userTriggerAfter(SchemaReader.SchemaRows rows, int i) {
        String table = tableKey(rows.rows().get(i));
        for (int j = i + 1; j < rows.rows().size(); j++) {
            SchemaReader.SchemaRow r = rows.rows().get(j);
            if ("trigger".equals(r.type()) && !isManaged(r) && tableKey(r).equals(table)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isManaged(SchemaReader.SchemaRow r) {
        return "trigger".equals(r.type()) && TriggerNames.isManaged(r.name());
    }

    /** The (table, event) group of an fkguard trigger. */
    private static String groupKey(SchemaReader.SchemaRow r) {
        String group = TriggerNames.groupOf(r.table(), TriggerNames.kindOf(r.name()));
        return group != null ? group : tableKey(r);
    }

    private static String tableKey(SchemaReader.SchemaRow r) {
        return Schema.key(r.table());
    }

    /**
     * The digest of what the plan is derived from (planner version, options, SQLite version, every row that is not an
     * fkguard trigger, in creation order) and the digest of the fkguard triggers present (by (table, event) group,
     * then in creation order, which is their firing order and what the diff keeps; stamps stripped), and the stamps
     * those triggers carry (their payloads, in no particular order).
     */
    record Digests(String inputs, String installed, List<String> stamps) {
        /**
         * Both in one: the key under which {@link SyncMemory} remembers a state in sync in this process. It covers
         * everything the plan and the diff depend on, as the stamp does.
         */
        String state() {
            return inputs + installed;
        }
    }

    static Digests digests(SchemaReader.SchemaRows rows, Options options) {
        Digest inputs = new Digest().add(FORMAT).add(plannerVersion()).add(canonical(options)).add(rows.sqliteVersion());
        List<SchemaReader.SchemaRow> managed = new ArrayList<>();
        // per fkguard trigger: how many of the user's triggers on its table are older (the plan places fkguard's
        // triggers among the user's, as native orders its actions: that order is part of what is installed)
        Map<SchemaReader.SchemaRow, Integer> userTriggersBefore = new java.util.IdentityHashMap<>();
        Map<String, Integer> userTriggersSoFar = new java.util.HashMap<>();
        for (SchemaReader.SchemaRow r : rows.rows()) {
            if (isManaged(r)) {
                managed.add(r);
                userTriggersBefore.put(r, userTriggersSoFar.getOrDefault(tableKey(r), 0));
            } else {
                inputs.add(r.type()).add(r.name()).add(r.table()).add(r.sql());
                if ("trigger".equals(r.type())) {
                    userTriggersSoFar.merge(tableKey(r), 1, Integer::sum);
                }
            }
        }
        // stable: creation order within a group; each key computed once, not once per comparison
        Map<SchemaReader.SchemaRow, String> groups = new java.util.IdentityHashMap<>();
        for (SchemaReader.SchemaRow r : managed) {
            groups.put(r, groupKey(r));
        }
        managed.sort(Comparator.comparing(groups::get));
        Digest installed = new Digest();
        List<String> stamps = new ArrayList<>();
        for (SchemaReader.SchemaRow r : managed) {
            String sql = r.sql();
            if (sql != null && sql.contains(OPEN)) {
                Matcher m = STAMP.matcher(sql);
                while (m.find()) {
                    stamps.add(m.group(1));
                }
                sql = m.replaceAll("");
            }
            installed.add(r.name()).add(r.table()).add(sql).add(Integer.toString(userTriggersBefore.get(r)));
        }
        return new Digests(inputs.hex(), installed.hex(), List.copyOf(stamps));
    }

    /**
     * The options the plan depends on, as text that does not depend on the JVM (set iteration order): the excluded
     * tables sorted. Not the orphan policy: it decides only what happens to keys whose triggers are about to be
     * created, and a state that matches its stamp has none.
     */
    private static String canonical(Options o) {
        return String.join("\u0001", o.schema(), Boolean.toString(o.partial()),
                o.brokenKeys().name(), String.join("\u0002", o.excludedTables().stream()
                        .map(Schema::key).sorted().toList()));
    }

    private static String encode(List<String> warnings) {
        if (warnings.isEmpty()) {
            return "-";
        }
        byte[] text = String.join("\u0000", warnings).getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(text);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return Base64.getEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    private static List<String> decode(String field) {
        if (field.equals("-")) {
            return List.of();
        }
        byte[] packed = Base64.getDecoder().decode(field);
        Inflater inflater = new Inflater();
        inflater.setInput(packed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated stamp");
                }
                out.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException(e);
        } finally {
            inflater.end();
        }
        return List.of(out.toString(StandardCharsets.UTF_8).split("\u0000", -1));
    }

    private static volatile String plannerVersion;

    /**
     * A digest of fkguard's own classes (the package of this class, as loaded: each class file, or in a jar the CRC-32
     * and size of each class entry), so that
     * a stamp written by another build, whose planner may write other triggers, never matches. When the classes
     * cannot be read, a value of this JVM alone: stamps then answer only within one process, never wrongly.
     */
    static String plannerVersion() {
        String forTests = versionForTests;
        if (forTests != null) {
            return forTests;
        }
        String v = plannerVersion;
        if (v == null) {
            v = readPlannerVersion();
            plannerVersion = v;
        }
        return v;
    }

    private static String readPlannerVersion() {
        String dir = SyncStamp.class.getPackageName().replace('.', '/') + "/";
        try {
            java.security.CodeSource source = SyncStamp.class.getProtectionDomain().getCodeSource();
            Path location = Path.of(source.getLocation().toURI());
            Map<String, byte[]> classes = new java.util.TreeMap<>();
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.list(location.resolve(dir))) {
                    for (Path p : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        classes.put(p.getFileName().toString(), Files.readAllBytes(p));
                    }
                }
            } else {
                // the central directory's CRC-32 and size of each class: no class needs to be inflated
                try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(location.toFile())) {
                    var entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        var e = entries.nextElement();
                        String name = e.getName();
                        if (name.startsWith(dir) && name.endsWith(".class") && name.indexOf('/', dir.length()) < 0) {
                            classes.put(name.substring(dir.length()), (e.getCrc() + " " + e.getSize())
                                    .getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                }
            }
            if (classes.isEmpty()) {
                throw new IOException("no classes in " + location);
            }
            Digest d = new Digest();
            for (var e : classes.entrySet()) {
                d.add(e.getKey()).add(e.getValue());
            }
            return d.hex();
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return "unreadable-" + java.util.UUID.randomUUID();
        }
    }

    /**
     * CRC-32C and CRC-32 (both computed by the JVM's intrinsics, even before the JIT compiles anything) and the byte
     * count over a sequence of strings, each terminated (null told apart from empty): 64 bits of check plus a
     * length. It detects changes, not forgery, and need not: whoever can edit the schema can write any stamp, so
     * no digest without a key could stop them; what it must catch is an edit by accident, and two independent
     * 32-bit CRCs miss one with a probability of about 2^-64. SHA-256 cost 70-80 ms of CPU over the 2.7 MB of
     * trigger text of 3,638 triggers in a cold JVM (it is fast only once C2 has compiled it), CRC-32C and CRC-32
     * 8-16 ms.
     */
    static final class Digest {
        private final java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        private final java.util.zip.CRC32 d = new java.util.zip.CRC32();
        private long length;

        Digest add(String s) {
            if (s == null) {
                mark(1);
            } else {
                update(s.getBytes(StandardCharsets.UTF_8));
                mark(0);
            }
            return this;
        }

        Digest add(byte[] bytes) {
            update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            mark(0);
            update(bytes);
            return this;
        }

        private void update(byte[] b) {
            c.update(b, 0, b.length);
            d.update(b, 0, b.length);
            length += b.length;
        }

        private void mark(int b) {
            c.update(b);
            d.update(b);
            length++;
        }

        /** 16 hex digits of the two CRCs, then the length in hex. */
        String hex() {
            return java.util.HexFormat.of().toHexDigits((int) c.getValue()) + java.util.HexFormat.of().toHexDigits((int) d.getValue())
                    + Long.toHexString(length);
        }
    }
}
