package dev.fkguard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A log-log line chart of sync time against schema size, as plain SVG (no tooling needed). */
final class SvgChart {

    /** labelDy: where the value labels go relative to the point (negative: above). */
    record Series(String name, String color, boolean dashed, double[] x, double[] y, boolean labels, int labelDy) {
    }

    /** A note printed at the top of the plot above an x value, such as "1,000 tables". */
    record XNote(double x, String text) {
    }

    record Target(String name, String color, double x, double y) {
    }

    private static final int W = 760;
    private static final int H = 460;
    private static final int LEFT = 78;
    private static final int RIGHT = 210;
    private static final int TOP = 48;
    private static final int BOTTOM = 76;

    static void write(Path file, String title, String subtitle, String xLabel, String yLabel, List<Series> series,
                      List<Target> targets, List<XNote> notes) throws IOException {
        double xmin = Double.MAX_VALUE;
        double xmax = 0;
        double ymin = Double.MAX_VALUE;
        double ymax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (s.y[i] > 0) {
                    xmin = Math.min(xmin, s.x[i]);
                    xmax = Math.max(xmax, s.x[i]);
                    ymin = Math.min(ymin, s.y[i]);
                    ymax = Math.max(ymax, s.y[i]);
                }
            }
        }
        for (Target t : targets) {
            ymin = Math.min(ymin, t.y);
            ymax = Math.max(ymax, t.y);
        }
        double lx0 = Math.floor(Math.log10(xmin));
        double lx1 = Math.ceil(Math.log10(xmax));
        double ly0 = Math.floor(Math.log10(ymin));
        double ly1 = Math.ceil(Math.log10(ymax));
        if (lx1 == lx0) {
            lx1 = lx0 + 1;
        }
        if (ly1 == ly0) {
            ly1 = ly0 + 1;
        }
        double pw = W - LEFT - RIGHT;
        double ph = H - TOP - BOTTOM;
        final double fx0 = lx0;
        final double fx1 = lx1;
        final double fy0 = ly0;
        final double fy1 = ly1;
        java.util.function.DoubleUnaryOperator px = v -> LEFT + (Math.log10(v) - fx0) / (fx1 - fx0) * pw;
        java.util.function.DoubleUnaryOperator py = v -> TOP + ph - (Math.log10(v) - fy0) / (fy1 - fy0) * ph;

        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(Stats.fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
            + " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n", W, H, W, H));
        sb.append(Stats.fmt("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H));
        sb.append(Stats.fmt("<text x=\"%d\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>\n", LEFT, esc(title)));
        sb.append(Stats.fmt("<text x=\"%d\" y=\"37\" fill=\"#555\">%s</text>\n", LEFT, esc(subtitle)));
        // grid and ticks: decades, with 2 and 5 as minor lines
        for (int d = (int) lx0; d <= (int) lx1; d++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                if (Math.log10(v) > lx1 + 1e-9) {
                    continue;
                }
                double x = px.applyAsDouble(v);
                sb.append(Stats.fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                    x, TOP, x, TOP + ph, m == 1 ? "#ccc" : "#eee"));
                sb.append(Stats.fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#444\">%s</text>\n",
                    x, TOP + ph + 16, label(v)));
            }
        }
        for (int d = (int) ly0; d <= (int) ly1; d++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, d);
                if (Math.log10(v) > ly1 + 1e-9) {
                    continue;
                }
                double y = py.applyAsDouble(v);
                sb.append(Stats.fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                    LEFT, y, LEFT + pw, y, m == 1 ? "#ccc" : "#eee"));
                sb.append(Stats.fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#444\">%s</text>\n",
                    LEFT - 6, y + 4, label(v)));
            }
        }
        sb.append(Stats.fmt("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>\n",
            LEFT, TOP, pw, ph));
        sb.append(Stats.fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", LEFT + pw / 2, H - 12, esc(xLabel)));
        sb.append(Stats.fmt("<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">%s</text>\n",
            TOP + ph / 2, TOP + ph / 2, esc(yLabel)));
        for (XNote n : notes) {
            double x = px.applyAsDouble(n.x);
            sb.append(Stats.fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#777\" font-size=\"11\">%s</text>\n",
                x, TOP + ph + 31, esc(n.text)));
            sb.append(Stats.fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbb\" stroke-dasharray=\"2 3\"/>\n",
                x, TOP, x, TOP + ph));
        }
        // series
        int legendY = TOP + 10;
        for (Series s : series) {
            List<String> pts = new ArrayList<>();
            for (int i = 0; i < s.x.length; i++) {
                if (s.y[i] > 0) {
                    pts.add(Stats.fmt("%.1f,%.1f", px.applyAsDouble(s.x[i]), py.applyAsDouble(s.y[i])));
                }
            }
            sb.append(Stats.fmt("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s/>\n",
                String.join(" ", pts), s.color, s.dashed ? "1.5" : "2.5", s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            if (!s.dashed) {
                for (int i = 0; i < s.x.length; i++) {
                    if (s.y[i] <= 0) {
                        continue;
                    }
                    double x = px.applyAsDouble(s.x[i]);
                    double y = py.applyAsDouble(s.y[i]);
                    sb.append(Stats.fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n", x, y, s.color));
                    if (s.labels) {
                        sb.append(Stats.fmt("<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" font-size=\"11\">%s ms</text>\n",
                            x + 7, y + s.labelDy, s.color, Stats.ms(s.y[i])));
                    }
                }
            }
            double lx = LEFT + pw + 16;
            sb.append(Stats.fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2.5\"%s/>\n",
                lx, legendY, lx + 24, legendY, s.color, s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            sb.append(Stats.fmt("<text x=\"%.1f\" y=\"%d\">%s</text>\n", lx + 30, legendY + 4, esc(s.name)));
            legendY += 22;
        }
        for (Target t : targets) {
            double x = px.applyAsDouble(t.x);
            double y = py.applyAsDouble(t.y);
            sb.append(Stats.fmt("<path d=\"M %.1f %.1f l 7 -6 l 0 12 z\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
                x + 2, y, t.color));
            double lx = LEFT + pw + 16;
            sb.append(Stats.fmt("<path d=\"M %.1f %d l 7 -6 l 0 12 z\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
                lx + 8, legendY, t.color));
            sb.append(Stats.fmt("<text x=\"%.1f\" y=\"%d\">%s</text>\n", lx + 30, legendY + 4, esc(t.name)));
            legendY += 22;
        }
        sb.append("</svg>\n");
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String label(double v) {
        if (v >= 1000) {
            return Stats.fmt("%,.0f", v);
        }
        if (v >= 1) {
            return Stats.fmt("%.0f", v);
        }
        return Stats.fmt("%s", Double.toString(v).replaceAll("0+$", ""));
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
