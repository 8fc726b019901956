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

    /** A short preview of a JSON value for an error message (Celery's saferepr, 200 characters). */
    public static String preview(JsonNode node) {
        return node == null ? "None" : SafeRepr.of(node, 200);
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
