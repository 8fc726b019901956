package app.growbin.processor.render.tree;

import app.growbin.processor.settings.ScalarText;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * A tree as JSON text inside a manifest, such as a Grafana dashboard in a ConfigMap's data: an
 * operation whose Java side writes the text exactly as Go's {@code json.MarshalIndent(v, "", "  ")}
 * does (Sprig's {@code toPrettyJson}: keys sorted, two spaces of indent, {@code <}, {@code >} and
 * {@code &} escaped), and whose Go side builds the same value with {@code dict}, {@code list},
 * {@code concat}, {@code merge} and {@code ternary} and hands it to {@code toPrettyJson}. Conditions
 * ({@link Node.When}) may stand on mapping entries and sequence items; maps and loops from the
 * values ({@link Node.MapOf}, {@link Node.ForEach}) are not supported.
 */
public final class JsonText {

    /** JSON's null, which a manifest never holds but JSON text may (a Grafana threshold's base step). */
    public static final Node NULL = new Node.Scalar(Expr.literal(JsonNull.class, JsonNull.NULL));

    private static final String INDENT = "  ";

    /** The marker of {@link #NULL}. */
    enum JsonNull { NULL }

    private JsonText() {}

    /** The tree as indented JSON: known now when every value and condition is, else computed when Helm renders. */
    public static Expr<String> pretty(Node tree) {
        List<Expr<?>> open = new ArrayList<>();
        collect(tree, open);
        if (open.isEmpty()) {
            StringBuilder text = new StringBuilder();
            write(tree, "", text);
            return Expr.text(text.toString());
        }
        return new Op<>("toPrettyJson", String.class, Op.Form.PRETTY_JSON, tree).apply(open);
    }

    /** The Go command that writes the tree as indented JSON, on the template operands of its open expressions. */
    static String template(Node tree, List<String> operands) {
        return "(toPrettyJson " + go(tree, operands.iterator()) + ")";
    }

    /** The expressions not known now, in the order {@link #go} meets them: a condition before what it guards. */
    private static void collect(Node node, List<Expr<?>> open) {
        if (node instanceof Node.Scalar scalar) {
            if (!scalar.value().isLiteral()) {
                open.add(scalar.value());
            }
        } else if (node instanceof Node.When when) {
            open.add(when.condition());
            collect(when.node(), open);
        } else if (node instanceof Node.Mapping mapping) {
            mapping.entries().forEach(entry -> collect(entry.value(), open));
        } else if (node instanceof Node.Sequence sequence) {
            sequence.items().forEach(item -> collect(item, open));
        } else {
            throw new IllegalArgumentException("JSON text has no form for " + node);
        }
    }

    // ---- Java: the text ------------------------------------------------------------------------------

    private static void write(Node node, String indent, StringBuilder text) {
        if (node instanceof Node.Scalar scalar) {
            text.append(scalar(scalar.value().value()));
        } else if (node instanceof Node.Mapping mapping) {
            List<Node.Entry> entries = new ArrayList<>(mapping.entries());
            if (entries.isEmpty()) {
                text.append("{}");
                return;
            }
            entries.sort(Comparator.comparing(Node.Entry::key));
            text.append("{\n");
            for (int i = 0; i < entries.size(); i++) {
                text.append(indent).append(INDENT).append(string(entries.get(i).key())).append(": ");
                write(entries.get(i).value(), indent + INDENT, text);
                text.append(i < entries.size() - 1 ? ",\n" : "\n");
            }
            text.append(indent).append('}');
        } else if (node instanceof Node.Sequence sequence) {
            if (sequence.items().isEmpty()) {
                text.append("[]");
                return;
            }
            text.append("[\n");
            for (int i = 0; i < sequence.items().size(); i++) {
                text.append(indent).append(INDENT);
                write(sequence.items().get(i), indent + INDENT, text);
                text.append(i < sequence.items().size() - 1 ? ",\n" : "\n");
            }
            text.append(indent).append(']');
        } else {
            throw new IllegalStateException("a known tree holds no " + node);
        }
    }

    private static String scalar(Object value) {
        if (value instanceof String text) {
            return string(text);
        }
        if (value instanceof Double number) {
            return ScalarText.number(number);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
            return value.toString();
        }
        if (value == JsonNull.NULL) {
            return "null";
        }
        throw new IllegalStateException("not a JSON value: " + value);
    }

    /** A JSON string as Go's encoding/json writes it (HTML-safe). */
    static String string(String value) {
        StringBuilder text = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\f' -> text.append("\\f");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> text.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        text.append(String.format("\\u%04x", (int) c));
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        return text.append('"').toString();
    }

    // ---- Go: the value, for toPrettyJson ----------------------------------------------------------------

    private static String go(Node node, Iterator<String> operands) {
        if (node instanceof Node.Scalar scalar) {
            return scalar.value().isLiteral() ? goLiteral(scalar.value().value()) : operands.next();
        }
        if (node instanceof Node.Mapping mapping) {
            StringBuilder fixed = new StringBuilder("(dict");
            List<String> conditional = new ArrayList<>();
            for (Node.Entry entry : mapping.entries()) {
                if (entry.value() instanceof Node.When when) {
                    String condition = operands.next();
                    conditional.add("(ternary (dict " + ScalarText.quoted(entry.key()) + " " + go(when.node(), operands) + ") (dict) "
                            + condition + ")");
                } else {
                    fixed.append(' ').append(ScalarText.quoted(entry.key())).append(' ').append(go(entry.value(), operands));
                }
            }
            fixed.append(')');
            return conditional.isEmpty() ? fixed.toString() : "(merge " + fixed + " " + String.join(" ", conditional) + ")";
        }
        if (node instanceof Node.Sequence sequence) {
            List<String> parts = new ArrayList<>();
            StringBuilder run = null;
            boolean conditional = false;
            for (Node item : sequence.items()) {
                if (item instanceof Node.When when) {
                    if (run != null) {
                        parts.add(run.append(')').toString());
                        run = null;
                    }
                    String condition = operands.next();
                    parts.add("(ternary (list " + go(when.node(), operands) + ") (list) " + condition + ")");
                    conditional = true;
                } else {
                    if (run == null) {
                        run = new StringBuilder("(list");
                    }
                    run.append(' ').append(go(item, operands));
                }
            }
            if (run != null) {
                parts.add(run.append(')').toString());
            }
            if (parts.isEmpty()) {
                return "(list)";
            }
            return conditional ? "(concat " + String.join(" ", parts) + ")" : parts.get(0);
        }
        throw new IllegalArgumentException("JSON text has no form for " + node);
    }

    private static String goLiteral(Object value) {
        if (value instanceof String text) {
            return ScalarText.quoted(text);
        }
        if (value instanceof Double number) {
            return ScalarText.number(number);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
            return value.toString();
        }
        if (value == JsonNull.NULL) {
            return "nil";
        }
        throw new IllegalStateException("not a JSON value: " + value);
    }
}
