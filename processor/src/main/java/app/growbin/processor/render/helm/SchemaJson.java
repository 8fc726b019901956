package app.growbin.processor.render.helm;

import app.growbin.processor.read.JsonStrings;
import java.util.List;
import java.util.Map;

/**
 * The chart's values schema as JSON text, laid out byte for byte as Jackson's
 * {@code DefaultPrettyPrinter} lays it out with a {@code DefaultIndenter("  ", "\n")} for both
 * objects and arrays (as the schema was written before): each field and each array item on its own
 * line, indented two spaces per level of objects and arrays, {@code " : "} between name and value,
 * empty ones as {@code { }} and {@code [ ]}; strings with JSON's short escapes and other control
 * characters as six-character escapes (backslash, u, four upper-case hex digits), everything else as it is; integers and doubles as
 * Java writes them, a double that is not finite as a string ({@code "NaN"}), as Jackson quotes it.
 * Keeps the JSON library out of the processor. {@code SchemaJsonTest} holds it to Jackson.
 */
final class SchemaJson {


    private final StringBuilder text = new StringBuilder(8192);

    private SchemaJson() {}

    /**
     * The value as JSON, without a final line break.
     *
     * @param value maps with string keys, lists, strings, booleans, integers and doubles
     */
    static String write(Object value) {
        SchemaJson json = new SchemaJson();
        json.value(value, 0);
        return json.text.toString();
    }

    private void value(Object value, int level) {
        if (value instanceof Map<?, ?> map) {
            text.append('{');
            if (map.isEmpty()) {
                text.append(" }");
                return;
            }
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    text.append(',');
                }
                first = false;
                newline(level + 1);
                string((String) entry.getKey());
                text.append(" : ");
                value(entry.getValue(), level + 1);
            }
            newline(level);
            text.append('}');
        } else if (value instanceof List<?> list) {
            text.append('[');
            if (list.isEmpty()) {
                text.append(" ]");
                return;
            }
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    text.append(',');
                }
                first = false;
                newline(level + 1);
                value(item, level + 1);
            }
            newline(level);
            text.append(']');
        } else if (value instanceof String string) {
            string(string);
        } else if (value instanceof Boolean || value instanceof Integer) {
            text.append(value);
        } else if (value instanceof Double number) {
            if (Double.isFinite(number)) {
                text.append(number.doubleValue());
            } else {
                string(Double.toString(number));
            }
        } else {
            throw new IllegalArgumentException("not a schema value: " + value);
        }
    }

    private void newline(int level) {
        text.append('\n');
        for (int i = 0; i < level; i++) {
            text.append("  ");
        }
    }

    private void string(String value) {
        JsonStrings.append(text, value);
    }
}
