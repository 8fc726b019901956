package app.growbin.processor.render.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.processor.JacksonOracle;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
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
 * {@link SchemaJson} writes, byte for byte, what Jackson's generator with the pretty printer the
 * schema used before (two-space indenters for objects and arrays) writes: random nested maps and
 * lists, empty ones included, of strings with every ASCII character, control characters and
 * non-ASCII text, integers, doubles (not finite ones too) and booleans.
 */
class SchemaJsonTest {

    private static final String[] PIECES = {
        "a", "type", " ", "\"", "\\", "/", "\b", "\t", "\n", "\f", "\r", "\u0000", "\u001F", "\u007F", "\u0080",
        "é", "\u2028", "\uD83D\uDE00", "\uD800", "<", ">", "&", "'", "^([0-9]+(\\.[0-9]+)?|\\.[0-9]+)$", "",
    };

    @Test
    void randomSchemasAreWrittenAsJacksonWritesThem() {
        Random random = new Random(20261203L);
        for (int i = 0; i < 3000; i++) {
            Object value = i % 5 == 0 ? value(random, 0) : map(random, 0);
            assertEquals(jackson(value), SchemaJson.write(value), () -> "value: " + value);
        }
    }

    @Test
    void everyCharacterIsWrittenAsJacksonWritesIt() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x2100; c++) {
            all.append(c);
        }
        Object value = Map.of("all", List.of(all.toString()));
        assertEquals(jackson(value), SchemaJson.write(value));
    }

    @Test
    void theChartSchemaOfAnEmptyCatalogIsWhatJacksonWrote() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("$schema", "http://json-schema.org/draft-07/schema#");
        schema.put("type", List.of("string", "number"));
        schema.put("minimum", 0);
        schema.put("maximum", 1.0);
        schema.put("pattern", ChartSchema.QUANTITY);
        schema.put("additionalProperties", Map.of());
        schema.put("enum", List.of());
        assertEquals(jackson(schema), SchemaJson.write(schema));
    }

    private static String jackson(Object value) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
            json.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")));
            JacksonOracle.write(json, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static Object value(Random random, int depth) {
        return switch (random.nextInt(depth >= 4 ? 4 : 6)) {
            case 0 -> string(random);
            case 1 -> random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(100);
            case 2 -> random.nextInt(4) == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextDouble();
            case 3 -> random.nextBoolean();
            case 4 -> map(random, depth);
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
