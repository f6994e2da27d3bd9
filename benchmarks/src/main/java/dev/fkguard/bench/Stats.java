package dev.fkguard.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Nanosecond samples and their median. */
final class Stats {
    private final List<Long> nanos = new ArrayList<>();

    void add(long ns) {
        nanos.add(ns);
    }

    int size() {
        return nanos.size();
    }

    List<Long> samples() {
        return List.copyOf(nanos);
    }

    double medianNanos() {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    double minNanos() {
        return nanos.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    double maxNanos() {
        return nanos.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    double medianMs() {
        return medianNanos() / 1e6;
    }

    double medianUs() {
        return medianNanos() / 1e3;
    }

    /** "min-max" spread in ms, for the tables. */
    String rangeMs() {
        return ms(minNanos() / 1e6) + "-" + ms(maxNanos() / 1e6);
    }

    static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "n/a";
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%,.0f", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f", ms);
        }
        return String.format(Locale.ROOT, "%.2f", ms);
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f", r);
    }

    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String fmt(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
