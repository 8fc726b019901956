package app.growbin.runtime.celery;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON exactly as Python's {@code json.dumps} writes it with its defaults (what kombu and Celery use):
 * {@code ", "} between items, {@code ": "} after keys, no newlines, non-ASCII escaped as
 * {@code \\uXXXX}. Celery's messages and results are compared byte for byte in the tests.
 */
public final class PythonJson {

    /** The shared mapper: lenient on unknown properties, records and java.time friendly enough. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .findAndAddModules()
            .build();

    private static final ObjectWriter WRITER = MAPPER.writer(new PythonPrinter());

    private PythonJson() {}

    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    public static JsonNode read(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Python's {@code repr()} of a JSON value, as Celery writes {@code argsrepr} and {@code kwargsrepr}. */
    public static String repr(JsonNode node) {
        StringBuilder out = new StringBuilder();
        repr(node, out);
        return out.toString();
    }

    private static void repr(JsonNode node, StringBuilder out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.append("None");
        } else if (node.isBoolean()) {
            out.append(node.booleanValue() ? "True" : "False");
        } else if (node.isNumber()) {
            out.append(node.asText());
        } else if (node.isTextual()) {
            String s = node.textValue();
            char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
            out.append(quote);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == quote || c == '\\') {
                    out.append('\\').append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else if (c < 0x20 || c == 0x7f) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append(quote);
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                repr(node.get(i), out);
            }
            out.append(']');
        } else if (node.isObject()) {
            out.append('{');
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            boolean first = true;
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!first) {
                    out.append(", ");
                }
                first = false;
                repr(MAPPER.getNodeFactory().textNode(e.getKey()), out);
                out.append(": ");
                repr(e.getValue(), out);
            }
            out.append('}');
        } else {
            out.append(node.toString());
        }
    }

    /** {@code json.dumps} separators: {@code ", "} and {@code ": "}, all on one line. */
    static final class PythonPrinter implements PrettyPrinter {
        @Override public void writeRootValueSeparator(JsonGenerator g) throws IOException {}
        @Override public void writeStartObject(JsonGenerator g) throws IOException { g.writeRaw('{'); }
        @Override public void writeEndObject(JsonGenerator g, int n) throws IOException { g.writeRaw('}'); }
        @Override public void writeObjectEntrySeparator(JsonGenerator g) throws IOException { g.writeRaw(", "); }
        @Override public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException { g.writeRaw(": "); }
        @Override public void writeStartArray(JsonGenerator g) throws IOException { g.writeRaw('['); }
        @Override public void writeEndArray(JsonGenerator g, int n) throws IOException { g.writeRaw(']'); }
        @Override public void writeArrayValueSeparator(JsonGenerator g) throws IOException { g.writeRaw(", "); }
        @Override public void beforeArrayValues(JsonGenerator g) throws IOException {}
        @Override public void beforeObjectEntries(JsonGenerator g) throws IOException {}
    }
}
