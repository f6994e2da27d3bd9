package dev.fkguard.cli;

import dev.fkguard.Report;
import java.util.List;

/** The report as JSON for deployment tooling; written by hand to keep the jar small. */
final class Json {
    private Json() {
    }

    static String report(Report r) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"inSync\":").append(r.inSync());
        sb.append(",\"healthy\":").append(r.healthy());
        sb.append(",\"foreignKeys\":").append(r.foreignKeys());
        sb.append(",\"kept\":").append(r.kept());
        sb.append(",\"created\":").append(strings(r.created()));
        sb.append(",\"dropped\":").append(strings(r.dropped()));
        sb.append(",\"statements\":").append(strings(r.statements()));
        sb.append(",\"warnings\":").append(strings(r.warnings()));
        sb.append(",\"problems\":[");
        for (int i = 0; i < r.problems().size(); i++) {
            Report.Problem p = r.problems().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"kind\":").append(string(p.kind().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(",\"table\":").append(string(p.table()))
                    .append(",\"columns\":").append(strings(p.columns()))
                    .append(",\"parent\":").append(string(p.parent()))
                    .append(",\"orphans\":").append(p.orphans())
                    .append(",\"sampleRows\":").append(strings(p.sampleRows()))
                    .append(",\"message\":").append(string(p.message())).append('}');
        }
        sb.append("],\"staleTriggers\":[");
        for (int i = 0; i < r.staleTriggers().size(); i++) {
            Report.StaleTrigger s = r.staleTriggers().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":").append(string(s.name()))
                    .append(",\"table\":").append(string(s.table()))
                    .append(",\"missingTables\":").append(strings(s.missingTables()))
                    .append(",\"missingColumns\":").append(strings(s.missingColumns()))
                    .append(",\"fails\":").append(strings(s.fails()))
                    .append(",\"message\":").append(string(s.message())).append('}');
        }
        return sb.append("]}").toString();
    }

    private static String strings(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(string(values.get(i)));
        }
        return sb.append(']').toString();
    }

    static String string(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
