package app.growbin.processor.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import app.growbin.processor.JacksonOracle;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordJsonParser} reads what Jackson's parser (the oracle, which read the records before)
 * reads, as maps, lists, strings, integers and booleans: random documents written by Jackson
 * compactly, pretty-printed and with every non-ASCII character escaped (surrogate pairs as two
 * six-character escapes), and by {@link RecordJson}; and it rejects, as Jackson did, text that is not
 * such a document.
 */
class RecordJsonParserTest {

    private static final String[] PIECES = {
        "a", "name", " ", "\"", "\\", "/", "\b", "\t", "\n", "\f", "\r", "\u0000", "\u001F", "\u007F", "\u0080",
        "é", "\u2028", "\uFEFF", "\uD83D\uDE00", "{", "}", "[", "]", ":", ",", "true", "1", "-", "",
    };

    @Test
    void randomDocumentsReadAsJacksonReadsThem() {
        Random random = new Random(20261203L);
        for (int i = 0; i < 3000; i++) {
            Object value = i % 4 == 0 ? value(random, 0) : map(random, 0);
            for (int layout = 0; layout < 3; layout++) {
                String text = jacksonText(value, layout);
                assertEquals(value, RecordJsonParser.parse(text), text);
                assertEquals(jackson(text), RecordJsonParser.parse(text), text);
            }
        }
    }

    @Test
    void recordsWrittenByRecordJsonReadBack() {
        Random random = new Random(11L);
        for (int i = 0; i < 1000; i++) {
            RecordJson json = new RecordJson();
            Map<String, Object> expected = new LinkedHashMap<>();
            json.writeStartObject();
            int fields = random.nextInt(6);
            for (int f = 0; f < fields; f++) {
                String name = string(random);
                String value = string(random);
                List<Object> items = List.of(random.nextInt(), random.nextBoolean(), value);
                json.writeArrayFieldStart(name);
                json.writeNumber((Integer) items.get(0));
                json.writeBoolean((Boolean) items.get(1));
                json.writeString(value);
                json.writeEndArray();
                expected.remove(name);
                expected.put(name, items);
            }
            json.writeEndObject();
            String text = json.text() + "\n";
            assertEquals(jackson(text), RecordJsonParser.parse(text), text);
            assertEquals(expected.keySet(), ((Map<?, ?>) RecordJsonParser.parse(text)).keySet());
        }
    }

    @Test
    void escapedSurrogatePairsGiveTheirCharacter() {
        assertEquals("\uD83D\uDE00é/", RecordJsonParser.parse("\"\\uD83D\\ude00\\u00E9\\/\""));
    }

    @Test
    void textThatIsNotARecordsJsonIsRejectedAsJacksonRejectedIt() {
        String[] malformed = {
            "", " ", "{", "}", "[", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[1 2]", "[,1]", "{,}", "01", "-01",
            "1.5", "1e3", "1E3", "-", "--1", "+1", "tru", "True", "nul", "NaN", "\"a", "\"\\x\"", "\"\\u12G4\"",
            "\"\\u12\"", "\"\u0001\"", "\"a\nb\"", "{} x", "{}{}", "{'a':1}", "{a:1}", "/* c */{}", "// c\n{}",
            "2147483648", "-2147483649", "{\"a\":1}]", "[\"a\":1]", "{\"a\"}", "\"\\", "[\"\\u00e9\\u\"]",
        };
        for (String text : malformed) {
            assertThrows(IllegalArgumentException.class, () -> RecordJsonParser.parse(text), text);
            try {
                jackson(text);
                fail("Jackson read " + text);
            } catch (IllegalArgumentException | UncheckedIOException expected) {
                // the oracle rejects it too
            }
        }
    }

    @Test
    void theBoundsOfAnIntAreRead() {
        assertEquals(List.of(Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 0), RecordJsonParser.parse("[2147483647,-2147483648,0,-0]"));
    }

    /** The oracle: what DeclarationRecord read with Jackson. */
    private static Object jackson(String text) {
        try (JsonParser json = new JsonFactory().createParser(text)) {
            json.nextToken();
            Object value = jacksonValue(json);
            if (json.nextToken() != null) {
                throw new IllegalArgumentException("text after the record");
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object jacksonValue(JsonParser json) throws IOException {
        JsonToken token = json.currentToken();
        if (token == null) {
            throw new IllegalArgumentException("the record ends early");
        }
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String field = json.currentName();
                    json.nextToken();
                    object.put(field, jacksonValue(json));
                }
                return object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (json.nextToken() != JsonToken.END_ARRAY) {
                    array.add(jacksonValue(json));
                }
                return array;
            }
            case VALUE_STRING -> {
                return json.getText();
            }
            case VALUE_NUMBER_INT -> {
                return json.getIntValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return json.getBooleanValue();
            }
            default -> throw new IllegalArgumentException("unexpected " + token);
        }
    }

    private static String jacksonText(Object value, int layout) {
        StringWriter text = new StringWriter();
        JsonFactory factory = layout == 2
                ? JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build()
                : new JsonFactory();
        try (JsonGenerator json = factory.createGenerator(text)) {
            if (layout == 1) {
                json.useDefaultPrettyPrinter();
            }
            JacksonOracle.write(json, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static Object value(Random random, int depth) {
        return switch (random.nextInt(depth >= 4 ? 3 : 5)) {
            case 0 -> string(random);
            case 1 -> random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(100) - 50;
            case 2 -> random.nextBoolean();
            case 3 -> map(random, depth);
            default -> list(random, depth);
        };
    }

    private static Map<String, Object> map(Random random, int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        int size = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(4);
        for (int i = 0; i < size; i++) {
            map.put(string(random), value(random, depth + 1));
        }
        return map;
    }

    private static List<Object> list(Random random, int depth) {
        List<Object> list = new ArrayList<>();
        int size = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(4);
        for (int i = 0; i < size; i++) {
            list.add(value(random, depth + 1));
        }
        return list;
    }

    private static String string(Random random) {
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }
}
