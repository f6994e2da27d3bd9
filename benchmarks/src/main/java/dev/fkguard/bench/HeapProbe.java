package dev.fkguard.bench;

import dev.fkguard.FkGuard;
import dev.fkguard.Options;
import dev.fkguard.Report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The heap part of item 2: a child JVM with {@code -Xmx64m} runs a first sync and a no-op sync of the
 * largest schema and prints the peak heap it used (sum of the heap pools' peaks after a reset, an upper
 * bound of the real peak). Running at all under -Xmx64m is the test; the peak says how close it came.
 */
public final class HeapProbe {
    static final String XMX = "64m";

    record Outcome(boolean ok, int exitCode, long peakHeapBytes, long baselineHeapBytes, long maxHeapBytes, String detail) {
        @Override
        public String toString() {
            return ok ? Stats.fmt("ok under -Xmx%s: peak heap used %.1f MB (before the sync %.1f MB, max %.0f MB)",
                    XMX, peakHeapBytes / 1048576.0, baselineHeapBytes / 1048576.0, maxHeapBytes / 1048576.0)
                : "FAILED under -Xmx" + XMX + " (exit " + exitCode + "): " + detail;
        }
    }

    private HeapProbe() {
    }

    /** Child entry point: HeapProbe TEMPLATE WORKFILE. */
    public static void main(String[] args) throws Exception {
        Path template = Paths.get(args[0]);
        Path file = Paths.get(args[1]);
        Db.copy(template, file);
        List<MemoryPoolMXBean> heapPools = new ArrayList<>();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heapPools.add(p);
            }
        }
        try (Connection c = Db.open(file, false)) {
            System.gc();
            long baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            Report first = FkGuard.sync(c, Options.defaults());
            Report noop = FkGuard.sync(c, Options.defaults());
            long peak = 0;
            for (MemoryPoolMXBean p : heapPools) {
                peak += p.getPeakUsage().getUsed();
            }
            long max = Runtime.getRuntime().maxMemory();
            System.out.println("HEAPPROBE ok peak=" + peak + " baseline=" + baseline + " max=" + max
                + " created=" + first.created().size() + " noopInSync=" + noop.inSync());
        }
        Db.delete(file);
    }

    static Outcome runChild(Path template, Path work) throws IOException, InterruptedException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + XMX, "-cp", System.getProperty("java.class.path"),
            HeapProbe.class.getName(), template.toAbsolutePath().toString(), work.toAbsolutePath().toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        String line;
        String result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            while ((line = r.readLine()) != null) {
                if (line.startsWith("HEAPPROBE ")) {
                    result = line;
                } else if (out.length() < 2000) {
                    out.append(line).append('\n');
                }
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Outcome(false, -1, 0, 0, 0, "timed out");
        }
        int exit = p.exitValue();
        if (exit != 0 || result == null) {
            return new Outcome(false, exit, 0, 0, 0, out.toString().strip());
        }
        return new Outcome(true, 0, field(result, "peak"), field(result, "baseline"), field(result, "max"), result);
    }

    private static long field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return Long.parseLong(part.substring(name.length() + 1));
            }
        }
        return -1;
    }
}
