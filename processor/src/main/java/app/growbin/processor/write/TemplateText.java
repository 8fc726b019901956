package app.growbin.processor.write;

import app.growbin.processor.render.Headers;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Nodes;
import app.growbin.processor.settings.ScalarText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A manifest tree as a Helm template: block YAML in the tree's order, every value that Helm computes
 * written as an action ({@code {{ ... | toJson }}} for text, so that any string stays one valid YAML
 * scalar), each condition as {@code {{- if }}} and each loop over values as {@code {{- range }}}
 * around what depends on it.
 */
public final class TemplateText {

    private static final String INDENT = "  ";

    public String render(Manifest manifest) {
        StringBuilder text = new StringBuilder(Headers.template(manifest.source())).append(Headers.notes(manifest.notes()));
        boolean first = true;
        for (Node document : manifest.documents()) {
            if (!first) {
                text.append("---\n");
            }
            document(document, text);
            first = false;
        }
        return text.toString();
    }

    private void document(Node node, StringBuilder text) {
        if (node instanceof Node.When when) {
            text.append("{{- if ").append(action(when.condition())).append(" }}\n");
            document(when.node(), text);
            text.append("{{- end }}\n");
        } else if (node instanceof Node.Mapping mapping) {
            List<String> lines = new ArrayList<>();
            entries(mapping, 0, lines);
            lines.forEach(line -> text.append(line).append('\n'));
        } else {
            throw new IllegalStateException("a document is an object: " + node);
        }
    }

    private void entries(Node.Mapping mapping, int depth, List<String> lines) {
        for (Node.Entry entry : mapping.entries()) {
            entry(entry.key(), entry.value(), depth, lines);
        }
    }

    private void entry(String key, Node value, int depth, List<String> lines) {
        String indent = INDENT.repeat(depth);
        String name = key(key);
        if (value instanceof Node.When when) {
            lines.add(indent + "{{- if " + action(when.condition()) + " }}");
            entry(key, when.node(), depth, lines);
            lines.add(indent + "{{- end }}");
        } else if (value instanceof Node.Scalar scalar) {
            lines.add(indent + name + ": " + scalar(scalar.value()));
        } else if (value instanceof Node.MapOf map) {
            lines.add(indent + name + ": {{ " + action(map.map()) + " | toJson }}");
        } else if (value instanceof Node.Mapping mapping) {
            if (mapping.entries().isEmpty()) {
                lines.add(indent + name + ": {}");
            } else {
                lines.add(indent + name + ":");
                entries(mapping, depth + 1, lines);
            }
        } else if (value instanceof Node.Sequence sequence) {
            if (sequence.items().isEmpty()) {
                lines.add(indent + name + ": []");
            } else {
                lines.add(indent + name + ":");
                for (Node item : sequence.items()) {
                    item(item, depth + 1, lines);
                }
            }
        } else {
            throw new IllegalStateException("not a value of " + key + ": " + value);
        }
    }

    private void item(Node node, int depth, List<String> lines) {
        String indent = INDENT.repeat(depth);
        if (node instanceof Node.When when) {
            lines.add(indent + "{{- if " + action(when.condition()) + " }}");
            item(when.node(), depth, lines);
            lines.add(indent + "{{- end }}");
        } else if (node instanceof Node.ForEach loop) {
            String variables = loop.overMap() ? Nodes.ENTRY_NAME + ", " + Nodes.ENTRY_VALUE : Nodes.ENTRY_NAME;
            lines.add(indent + "{{- range " + variables + " := " + action(loop.collection()) + " }}");
            item(loop.item(), depth, lines);
            lines.add(indent + "{{- end }}");
        } else if (node instanceof Node.Scalar scalar) {
            lines.add(indent + "- " + scalar(scalar.value()));
        } else if (node instanceof Node.MapOf map) {
            lines.add(indent + "- {{ " + action(map.map()) + " | toJson }}");
        } else if (node instanceof Node.Mapping mapping) {
            List<String> body = new ArrayList<>();
            entries(mapping, depth + 1, body);
            if (body.isEmpty()) {
                lines.add(indent + "- {}");
            } else if (body.get(0).trim().startsWith("{{-")) {
                lines.add(indent + "-");
                lines.addAll(body);
            } else {
                lines.add(indent + "- " + body.get(0).substring(indent.length() + INDENT.length()));
                lines.addAll(body.subList(1, body.size()));
            }
        } else {
            throw new IllegalStateException("not a sequence item: " + node);
        }
    }

    /** A YAML scalar: a known value written out, an unknown one as a template action. */
    private String scalar(Expr<?> expr) {
        if (expr.isLiteral()) {
            Object value = expr.value();
            if (value instanceof String text) {
                return text.contains("{{") || text.contains("}}") ? "{{ " + goString(text) + " | toJson }}" : yamlString(text);
            }
            return literal(value);
        }
        return expr.type() == String.class || Map.class.isAssignableFrom(expr.type()) || List.class.isAssignableFrom(expr.type())
                ? "{{ " + action(expr) + " | toJson }}"
                : "{{ " + action(expr) + " }}";
    }

    /** The expression as the command of an action: an operand without its outer parentheses. */
    static String action(Expr<?> expr) {
        String operand = operand(expr);
        return wrapsWhole(operand) ? operand.substring(1, operand.length() - 1) : operand;
    }

    /** Whether the first parenthesis closes at the end, outside of string literals. */
    private static boolean wrapsWhole(String operand) {
        if (!operand.startsWith("(") || !operand.endsWith(")")) {
            return false;
        }
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < operand.length(); i++) {
            char c = operand.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0 && i < operand.length() - 1) {
                return false;
            }
        }
        return true;
    }

    /** The expression as a Go template operand. */
    static String operand(Expr<?> expr) {
        if (expr instanceof Expr.Reference<?> reference) {
            return reference.template();
        }
        if (expr instanceof Expr.Call<?> call) {
            List<String> arguments = new ArrayList<>();
            call.arguments().forEach(argument -> arguments.add(operand(argument)));
            return call.op().template(arguments);
        }
        Object value = expr.value();
        if (value instanceof String text) {
            return goString(text);
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder dict = new StringBuilder("(dict");
            map.forEach((key, item) -> dict.append(' ').append(goString((String) key)).append(' ').append(goString(String.valueOf(item))));
            return dict.append(')').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder items = new StringBuilder("(list");
            list.forEach(item -> items.append(' ').append(goString(String.valueOf(item))));
            return items.append(')').toString();
        }
        return literal(value);
    }

    private static String literal(Object value) {
        if (value instanceof Double number) {
            return ScalarText.number(number);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
            return value.toString();
        }
        throw new IllegalStateException("not a scalar: " + value);
    }

    private static String key(String key) {
        return ScalarText.plainOrQuoted(key);
    }

    private static String yamlString(String text) {
        return ScalarText.plainOrQuoted(text);
    }

    private static String goString(String text) {
        return ScalarText.quoted(text);
    }
}
