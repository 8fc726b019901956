package app.growbin.processor.render.helm;

import app.growbin.processor.settings.ScalarText;
import java.util.Map;

/**
 * Writes a values tree (nested maps of strings, numbers, booleans and nulls, in the maps' own order)
 * as YAML the same way every time, and quotes scalars so that Helm and kubectl read back exactly the
 * value that was meant: strings that could be read as numbers, booleans or null are double-quoted.
 */
final class ValuesText {

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
            return ScalarText.number(number);
        }
        return ScalarText.plainOrQuoted(value.toString());
    }
}
