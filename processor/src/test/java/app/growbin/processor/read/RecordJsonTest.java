package app.growbin.processor.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The records' own JSON writer gives, byte for byte, what Jackson's default pretty printer gives for
 * the same calls: random documents of objects, arrays, numbers, booleans and strings with every ASCII
 * character, quotes, backslashes, control characters and non-ASCII text, written to both.
 */
class RecordJsonTest {

    /** Both writers, called alike. */
    private static final class Both {
        final RecordJson own = new RecordJson();
        final StringWriter text = new StringWriter();
        final JsonGenerator jackson;

        Both() throws IOException {
            jackson = new JsonFactory().createGenerator(text);
            jackson.useDefaultPrettyPrinter();
        }

        void startObject() throws IOException {
            own.writeStartObject();
            jackson.writeStartObject();
        }

        void endObject() throws IOException {
            own.writeEndObject();
            jackson.writeEndObject();
        }

        void startArray() throws IOException {
            own.writeStartArray();
            jackson.writeStartArray();
        }

        void endArray() throws IOException {
            own.writeEndArray();
            jackson.writeEndArray();
        }

        void field(String name) throws IOException {
            own.writeFieldName(name);
            jackson.writeFieldName(name);
        }

        void string(String value) throws IOException {
            own.writeString(value);
            jackson.writeString(value);
        }

        void number(int value) throws IOException {
            own.writeNumber(value);
            jackson.writeNumber(value);
        }

        void bool(boolean value) throws IOException {
            own.writeBoolean(value);
            jackson.writeBoolean(value);
        }

        void assertSame() throws IOException {
            jackson.close();
            assertEquals(text.toString(), own.text());
        }
    }

    @Test
    void aRecordShapedDocumentIsWrittenAsJacksonWritesIt() throws IOException {
        Both json = new Both();
        json.startObject();
        json.field("format");
        json.number(3);
        json.field("class");
        json.string("app.growbin.backend.WasteApi");
        json.field("resources");
        json.startObject();
        json.field("cpu");
        json.string("250m");
        json.endObject();
        json.field("nodeSelector");
        json.startArray();
        json.startArray();
        json.string("workload");
        json.string("application");
        json.endArray();
        json.endArray();
        json.field("env");
        json.startArray();
        json.endArray();
        json.field("httpLimits");
        json.startObject();
        json.endObject();
        json.field("tasks");
        json.startArray();
        json.startObject();
        json.field("name");
        json.string("vision.classify");
        json.field("parameterTypes");
        json.startArray();
        json.string("java.util.Map<java.lang.String, java.lang.Object>");
        json.endArray();
        json.field("callable");
        json.bool(true);
        json.endObject();
        json.startObject();
        json.endObject();
        json.endArray();
        json.endObject();
        json.assertSame();
    }

    @Test
    void randomDocumentsAreWrittenAsJacksonWritesThem() throws IOException {
        Random random = new Random(20261203);
        for (int document = 0; document < 500; document++) {
            Both json = new Both();
            json.startObject();
            fields(json, random, 0);
            json.endObject();
            json.assertSame();
        }
    }

    private static void fields(Both json, Random random, int depth) throws IOException {
        int count = random.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < count; i++) {
            json.field(text(random));
            value(json, random, depth + 1);
        }
    }

    private static void value(Both json, Random random, int depth) throws IOException {
        switch (random.nextInt(depth > 4 ? 3 : 5)) {
            case 0 -> json.string(text(random));
            case 1 -> json.number(random.nextInt() >> random.nextInt(32));
            case 2 -> json.bool(random.nextBoolean());
            case 3 -> {
                json.startObject();
                fields(json, random, depth);
                json.endObject();
            }
            default -> {
                json.startArray();
                int items = random.nextInt(4);
                for (int i = 0; i < items; i++) {
                    value(json, random, depth + 1);
                }
                json.endArray();
            }
        }
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            text.append(switch (kind) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> '"';
                case 2 -> '\\';
                case 3 -> (char) (0x80 + random.nextInt(0x780));
                case 4 -> "é€😀".charAt(random.nextInt(2));
                default -> (char) (0x20 + random.nextInt(0x5F));
            });
        }
        return text.toString();
    }
}
