package app.growbin.processor.write;

import app.growbin.processor.render.Headers;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.render.tree.Node;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * An environment's manifest as YAML, the same way every time: the tree's order (keys sorted, a
 * resource's apiVersion, kind and metadata first), no document start marker, strings that read as
 * numbers, booleans or null quoted, multi-line strings as literal blocks, no line folding, and a
 * header comment naming the source. Written with Jackson's streaming YAML generator: no object
 * mapping, no reflection.
 */
public final class YamlText {

    private final YAMLFactory factory = YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    /** The file's text: the header, then each object as its own YAML document. */
    public String render(Manifest manifest) {
        StringBuilder text = new StringBuilder(Headers.yaml(manifest.source()));
        boolean first = true;
        for (Node document : manifest.documents()) {
            if (!first) {
                text.append("---\n");
            }
            text.append(document(document));
            first = false;
        }
        return text.toString();
    }

    private String document(Node node) {
        StringWriter text = new StringWriter();
        try (YAMLGenerator yaml = factory.createGenerator(text)) {
            write(yaml, node);
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
        } else if (node instanceof Node.Scalar scalar) {
            scalar(yaml, scalar.value());
        } else {
            throw new IllegalStateException("an environment's manifest holds only known values, not " + node);
        }
    }

    private static void scalar(YAMLGenerator yaml, Expr<?> expr) throws IOException {
        Object value = expr.value();
        if (value instanceof String text) {
            yaml.writeString(text);
        } else if (value instanceof Integer number) {
            yaml.writeNumber(number);
        } else if (value instanceof Long number) {
            yaml.writeNumber(number);
        } else if (value instanceof Double number) {
            yaml.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            yaml.writeBoolean(flag);
        } else {
            throw new IllegalStateException("not a scalar: " + value);
        }
    }
}
