package app.growbin.processor.write;

import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;

/**
 * One tree of known values as a YAML document, byte for byte as Jackson's {@code YAMLGenerator} 2.20
 * wrote it over SnakeYAML 2.4's {@code Emitter} with {@code WRITE_DOC_START_MARKER} off,
 * {@code MINIMIZE_QUOTES}, {@code ALWAYS_QUOTE_NUMBERS_AS_STRINGS}, {@code LITERAL_BLOCK_STYLE},
 * {@code INDENT_ARRAYS_WITH_INDICATOR} and {@code SPLIT_LINES} off: block mappings and sequences
 * (a sequence's dash indented two spaces under its key, its items two further), an empty mapping
 * as {@code {}} and an empty sequence as {@code []}, a key SnakeYAML cannot write as a simple key
 * (empty, multi-line or of 128 characters or more) as {@code ? key} and {@code : value}, and each
 * scalar in the style {@link YamlScalars} decides. This is the structure of SnakeYAML's emitter
 * ({@code expectBlockMapping}, {@code expectBlockSequence}, {@code expectFlowMapping} for the empty
 * ones, {@code expectScalar}) without its event queue: the tree is already whole. Keeping the YAML
 * library out of the processor saves loading it in every compile that renders. {@code YamlWriterTest}
 * compares it with Jackson on thousands of random trees.
 */
final class YamlWriter {

    private YamlWriter() {}

    /** The document's text, ending with a line break; a node that is not known now is an {@link IllegalStateException}. */
    static String document(Node root) {
        YamlOutput out = new YamlOutput();
        if (root instanceof Node.Scalar scalar && "".equals(scalar.value().value())) {
            // SnakeYAML's checkEmptyDocument: an empty root scalar needs the explicit start marker
            out.writeIndent();
            out.writeIndicator("---", true, false, false);
        }
        node(out, root, false, false);
        out.writeIndent();
        return out.text();
    }

    private static void node(YamlOutput out, Node node, boolean inMapping, boolean simpleKey) {
        if (node instanceof Node.Mapping mapping) {
            if (mapping.entries().isEmpty()) {
                empty(out, "{", "}");
            } else {
                mapping(out, mapping);
            }
        } else if (node instanceof Node.Sequence sequence) {
            if (sequence.items().isEmpty()) {
                empty(out, "[", "]");
            } else {
                sequence(out, sequence, inMapping);
            }
        } else if (node instanceof Node.Scalar scalar) {
            value(out, scalar.value(), simpleKey);
        } else {
            throw new IllegalStateException("an environment's manifest holds only known values, not " + node);
        }
    }

    private static void empty(YamlOutput out, String open, String close) {
        out.writeIndicator(open, true, true, false);
        out.writeIndicator(close, false, false, false);
    }

    private static void mapping(YamlOutput out, Node.Mapping mapping) {
        int outer = out.indent;
        out.increaseIndent(false, false);
        for (Node.Entry entry : mapping.entries()) {
            out.writeIndent();
            String key = entry.key();
            YamlScalars.Style requested = YamlScalars.requestedForKey(key);
            if (YamlScalars.isSimpleKey(key)) {
                scalar(out, key, requested, true);
                out.writeIndicator(":", false, false, false);
            } else {
                out.writeIndicator("?", true, false, true);
                scalar(out, key, requested, false);
                out.writeIndent();
                out.writeIndicator(":", true, false, true);
            }
            node(out, entry.value(), true, false);
        }
        out.indent = outer;
    }

    private static void sequence(YamlOutput out, Node.Sequence sequence, boolean inMapping) {
        int outer = out.indent;
        out.increaseIndent(false, inMapping && !out.atIndention());
        boolean first = true;
        for (Node item : sequence.items()) {
            out.writeIndent();
            if (first) {
                out.writeWhitespace(YamlOutput.INDENT);
            }
            out.writeIndicator("-", true, false, true);
            if (first) {
                out.indent += YamlOutput.INDENT;
                first = false;
            }
            node(out, item, false, false);
        }
        out.indent = outer;
    }

    private static void value(YamlOutput out, Expr<?> expr, boolean simpleKey) {
        Object value = expr.value();
        if (value instanceof String text) {
            scalar(out, text, YamlScalars.requestedForString(text), simpleKey);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
            scalar(out, value.toString(), YamlScalars.Style.PLAIN, simpleKey);
        } else if (value instanceof Double number) {
            scalar(out, String.valueOf(number.doubleValue()), YamlScalars.Style.PLAIN, simpleKey);
        } else {
            throw new IllegalStateException("not a scalar: " + value);
        }
    }

    private static void scalar(YamlOutput out, String text, YamlScalars.Style requested, boolean simpleKey) {
        int outer = out.indent;
        out.increaseIndent(true, false);
        switch (YamlScalars.chosen(text, requested, simpleKey)) {
            case PLAIN -> out.writePlain(text);
            case SINGLE_QUOTED -> out.writeSingleQuoted(text);
            case DOUBLE_QUOTED -> out.writeDoubleQuoted(text);
            case LITERAL -> out.writeLiteral(text);
        }
        out.indent = outer;
    }
}
