package app.growbin.processor.render.helm;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a values tree (nested maps of strings, numbers, booleans and nulls, in the maps' own order)
 * as YAML the same way every time, and quotes scalars so that Helm and kubectl read back exactly the
 * value that was meant: strings that could be read as numbers, booleans or null are double-quoted.
 */
final class ValuesText {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/][A-Za-z0-9_./-]*");
    /** YAML 1.1 and 1.2 words that a plain scalar would turn into a boolean or null. */
    private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

    private ValuesText() {}

    /** The tree as block YAML; {@code comments} holds a comment line (without '#') per top-level key. */
    static String yaml(Map<String, ?> tree, Map<String, String> comments) {
        StringBuilder text = new StringBuilder();
        boolean first = true;
        for (Map.Entry<String, ?> entry : tree.entrySet()) {
            String comment = comments.get(entry.getKey());
            if (comment != null) {
                if (!first) {
                    text.append('\n');
                }
                comment.lines().forEach(line -> text.append("# ").append(line).append('\n'));
            }
            entry(text, 0, entry.getKey(), entry.getValue());
            first = false;
        }
        return text.toString();
    }

    private static void entry(StringBuilder text, int indent, String key, Object value) {
        text.append("  ".repeat(indent)).append(scalar(key)).append(':');
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            text.append('\n');
            for (Map.Entry<?, ?> child : map.entrySet()) {
                entry(text, indent + 1, (String) child.getKey(), child.getValue());
            }
        } else {
            text.append(' ').append(value instanceof Map ? "{}" : scalar(value)).append('\n');
        }
    }

    /** One scalar: plain when that reads back as the same string, double-quoted otherwise. */
    static String scalar(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof Double number) {
            return number(number);
        }
        String text = value.toString();
        if (PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase(Locale.ROOT))) {
            return text;
        }
        return quoted(text);
    }

    /** {@code 0.05}, {@code 1}: as the alert rules print it. */
    static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** A YAML (and JSON) double-quoted string. */
    static String quoted(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** A Go (template) string literal. */
    static String go(String text) {
        return quoted(text);
    }
}
