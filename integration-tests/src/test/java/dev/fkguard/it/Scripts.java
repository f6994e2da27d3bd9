package dev.fkguard.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Splits SQL scripts into statements at semicolons outside quotes, comments and trigger bodies. */
final class Scripts {
    private static final Pattern TRIGGER = Pattern.compile("(?is)^\\s*CREATE\\s+(TEMP\\w*\\s+)?TRIGGER\\b.*");
    private static final Pattern ENDS_TRIGGER = Pattern.compile("(?is).*\\bEND\\s*$");

    private Scripts() {
    }

    static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char ch = script.charAt(i);
            if (ch == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int e = script.indexOf('\n', i);
                i = e < 0 ? n : e;
                cur.append('\n');
            } else if (ch == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int e = script.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 1;
            } else if (ch == '\'' || ch == '"' || ch == '`' || ch == '[') {
                char close = ch == '[' ? ']' : ch;
                int j = i + 1;
                while (j < n && script.charAt(j) != close) {
                    j++;
                }
                cur.append(script, i, Math.min(j + 1, n));
                i = j;
            } else if (ch == ';') {
                String s = cur.toString().trim();
                if (TRIGGER.matcher(s).matches() && !ENDS_TRIGGER.matcher(s).matches()) {
                    cur.append(ch);
                    continue;
                }
                if (!s.isEmpty()) {
                    out.add(s);
                }
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (!cur.toString().isBlank()) {
            out.add(cur.toString().trim());
        }
        return out;
    }
}
