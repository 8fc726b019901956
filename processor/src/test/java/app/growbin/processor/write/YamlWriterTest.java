package app.growbin.processor.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@link YamlWriter} writes, byte for byte, what Jackson's {@code YAMLGenerator} (the oracle, with
 * the features the processor used before it had its own writer) writes for the same tree: random
 * trees whose keys and strings are drawn from a pool of YAML's indicator characters, spaces, tabs,
 * line breaks, unicode, and words that read as numbers, booleans or null, plus random integers,
 * longs, doubles and booleans; and the trees of every manifest in k8s-out/ and in the goldens.
 */
class YamlWriterTest {

    static final YAMLFactory JACKSON = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    /** Whole strings that need a particular style. */
    private static final String[] WORDS = {
        "", "1", "0", "01", "007", "0_1", "0x1F", "1e3", "1E3", ".5", "5.", "-", "+", ".", "-.", "+1.5", "-0",
        "1_000", "12:30", "yes", "Yes", "YES", "no", "No", "NO", "y", "Y", "n", "N", "on", "On", "ON", "off",
        "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "nil",
        "---", "...", "--- a", "... a", "- a", "? a", ": a", "-a", "?a", ":a", "a:", "a: b", "a:b", "a #b", "a#b",
        "#a", "a,b", "[a]", "{a}", "&a", "*a", "!a", "|a", ">a", "'a", "\"a", "%a", "@a", "`a", "a'b", "a\"b",
        "a\\b", "http://x/y?z=1&w=2", "nginx:1.25", "100m", "1Gi", "app.kubernetes.io/name", "=", "<<",
        "a\n", "a\nb", "a\n\n", "\na", "\n", "\n\n", " a\nb", "a \nb", "a\n b", "a\n\nb\n", "a\r\nb", "a\rb",
        "a\u0085b", "a\u2028b", "a\u2029b", "\u0085", "a\u0085", "\u2028a", "a\u0085\nb", "a\nb\u2028",
        " ", "  ", " a", "a ", "a  b", "\t", "a\tb", "\ta", "a\t", "\uFEFF", "a\uFEFFb", "\u00A0", "a\u00A0b",
        "\u0000", "\u0007", "\u001B", "\u007F", "\u0080", "\u009F", "\u00FF", "é", "日本", "\uFFFE", "\uFFFF",
        "\uD83D\uDE00", "a\uD83D\uDE00b", "\uD800", "\uDC00", "\uD800a", "a\uDBFF", "\uE000",
    };

    /** Pieces joined into random strings. */
    private static final String[] PIECES = {
        "a", "b", "key", "x1", "0", "9", "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">",
        "'", "\"", "%", "@", "`", " ", "  ", "\t", "\n", "\n\n", "\r", "\\", ".", "/", "=", "~", "_", "+",
        "\u0085", "\u2028", "\u2029", "\uFEFF", "\u00A0", "\u0001", "\u0000", "\u001F", "\u007F", "\u0090",
        "é", "ß", "日", "\uD83D\uDE00", "\uD800", "\uDFFF", "\uFFFD", "yes", "null", "1e3", "0x1F", "-- ", "...",
    };

    @Test
    void randomTreesAreWrittenAsJacksonWritesThem() {
        Random random = new Random(20261203L);
        for (int i = 0; i < 5000; i++) {
            Node tree = i % 10 == 0 ? node(random, 0) : mapping(random, 0);
            assertSame(tree);
        }
    }

    @Test
    void everyPoolStringIsWrittenAsJacksonWritesItAsKeyValueAndItem() {
        for (String word : WORDS) {
            assertSame(new Node.Mapping(List.of(new Node.Entry(word, text(word)))));
            assertSame(new Node.Mapping(List.of(new Node.Entry("k", new Node.Sequence(List.of(text(word), text(word)))))));
            assertSame(new Node.Sequence(List.of(new Node.Mapping(List.of(new Node.Entry(word, text(word)))))));
            assertSame(text(word));
        }
    }

    @Test
    void randomStringsAreWrittenAsJacksonWritesThem() {
        Random random = new Random(42L);
        for (int i = 0; i < 20000; i++) {
            String key = string(random);
            String value = string(random);
            assertSame(new Node.Mapping(List.of(
                    new Node.Entry(key, text(value)),
                    new Node.Entry("list", new Node.Sequence(List.of(text(value), text(key)))),
                    new Node.Entry("nested", new Node.Mapping(List.of(new Node.Entry(value, text(key))))))));
        }
    }

    @Test
    void longKeysAreWrittenAsJacksonWritesThem() {
        for (int length = 120; length <= 135; length++) {
            String key = "k".repeat(length);
            assertSame(new Node.Mapping(List.of(new Node.Entry(key, text("v")), new Node.Entry("b", mapping(new Random(length), 1)))));
            assertSame(new Node.Mapping(List.of(new Node.Entry(key, new Node.Sequence(List.of(text("a\nb")))))));
        }
    }

    @Test
    void numbersAndBooleansAreWrittenAsJacksonWritesThem() {
        Random random = new Random(7L);
        List<Node> items = new ArrayList<>();
        for (double special : new double[] {0.0, -0.0, 1.0, 0.1, 1e-7, 1e21, 123456789.125, Double.MAX_VALUE,
                Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            items.add(new Node.Scalar(Expr.literal(Double.class, special)));
        }
        for (long special : new long[] {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE}) {
            items.add(new Node.Scalar(Expr.literal(Long.class, special)));
        }
        for (int i = 0; i < 2000; i++) {
            items.add(scalar(random));
        }
        assertSame(new Node.Sequence(items));
        assertSame(new Node.Mapping(List.of(new Node.Entry("n", new Node.Sequence(items)))));
    }

    @Test
    void theRepositorysManifestsAreWrittenAsJacksonWritesThem() throws IOException {
        int documents = 0;
        for (Path folder : List.of(Path.of("../k8s-out"), Path.of("src/test/resources/expected"))) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(folder)) {
                files = walk.filter(file -> file.toString().endsWith(".yaml") && !file.toString().contains("/helm/")).sorted().toList();
            }
            for (Path file : files) {
                for (Object document : new Yaml(new LoaderOptions()).loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
                    if (document != null) {
                        assertSame(tree(document));
                        documents++;
                    }
                }
            }
        }
        assertEquals(true, documents > 100, documents + " documents");
    }

    /** A parsed manifest as a tree; what is neither a number nor a boolean becomes its text. */
    private static Node tree(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<Node.Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                entries.add(new Node.Entry(String.valueOf(entry.getKey()), tree(entry.getValue())));
            }
            return new Node.Mapping(entries);
        }
        if (value instanceof List<?> list) {
            List<Node> items = new ArrayList<>();
            for (Object item : list) {
                items.add(tree(item));
            }
            return new Node.Sequence(items);
        }
        if (value instanceof Integer number) {
            return new Node.Scalar(Expr.number(number));
        }
        if (value instanceof Long number) {
            return new Node.Scalar(Expr.literal(Long.class, number));
        }
        if (value instanceof Double number) {
            return new Node.Scalar(Expr.literal(Double.class, number));
        }
        if (value instanceof Boolean flag) {
            return new Node.Scalar(Expr.bool(flag));
        }
        return text(String.valueOf(value));
    }

    static void assertSame(Node tree) {
        assertEquals(jackson(tree), YamlWriter.document(tree), () -> "tree: " + tree);
    }

    /** The oracle: the tree through Jackson's generator, as YamlText wrote it before. */
    static String jackson(Node tree) {
        StringWriter text = new StringWriter();
        try (YAMLGenerator yaml = JACKSON.createGenerator(text)) {
            write(yaml, tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(YAMLGenerator yaml, Node node) throws IOException {
        if (node instanceof Node.Mapping mapping) {
            yaml.writeStartObject();
            for (Node.Entry entry : mapping.entries()) {
                yaml.writeFieldName(entry.key());
                write(yaml, entry.value());
            }
            yaml.writeEndObject();
        } else if (node instanceof Node.Sequence sequence) {
            yaml.writeStartArray();
            for (Node item : sequence.items()) {
                write(yaml, item);
            }
            yaml.writeEndArray();
        } else {
            Object value = ((Node.Scalar) node).value().value();
            if (value instanceof String text) {
                yaml.writeString(text);
            } else if (value instanceof Integer number) {
                yaml.writeNumber(number);
            } else if (value instanceof Long number) {
                yaml.writeNumber(number);
            } else if (value instanceof Double number) {
                yaml.writeNumber(number);
            } else {
                yaml.writeBoolean((Boolean) value);
            }
        }
    }

    private static Node node(Random random, int depth) {
        int kind = random.nextInt(depth >= 4 ? 2 : 5);
        return switch (kind) {
            case 0, 1 -> scalar(random);
            case 2, 3 -> mapping(random, depth);
            default -> sequence(random, depth);
        };
    }

    private static Node mapping(Random random, int depth) {
        int size = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(4);
        List<Node.Entry> entries = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            entries.add(new Node.Entry(string(random), node(random, depth + 1)));
        }
        return new Node.Mapping(entries);
    }

    private static Node sequence(Random random, int depth) {
        int size = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(4);
        List<Node> items = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            items.add(node(random, depth + 1));
        }
        return new Node.Sequence(items);
    }

    private static Node scalar(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> new Node.Scalar(Expr.number(random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(100)));
            case 1 -> new Node.Scalar(Expr.literal(Long.class, random.nextLong()));
            case 2 -> new Node.Scalar(Expr.literal(Double.class, random.nextBoolean() ? random.nextDouble() * 100 : Double.longBitsToDouble(random.nextLong())));
            case 3 -> new Node.Scalar(Expr.bool(random.nextBoolean()));
            default -> text(string(random));
        };
    }

    static String string(Random random) {
        if (random.nextInt(4) == 0) {
            return WORDS[random.nextInt(WORDS.length)];
        }
        StringBuilder text = new StringBuilder();
        int pieces = random.nextInt(6);
        for (int i = 0; i < pieces; i++) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    private static Node text(String value) {
        return new Node.Scalar(Expr.text(value));
    }
}
