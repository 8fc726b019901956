package app.growbin.processor.render.tree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.BiFunction;

/**
 * Builds {@link Node} trees. Values may be given as nodes, expressions or plain Java strings, numbers
 * and booleans. Mappings are sorted by key, as the generated YAML has always been; a resource's
 * {@code apiVersion}, {@code kind} and {@code metadata} come first.
 */
public final class Nodes {

    public static final Node ABSENT = new Node.Absent();
    /** The name of the entry variable of a {@link Node.ForEach} in the template. */
    public static final String ENTRY_NAME = "$name";
    public static final String ENTRY_VALUE = "$value";

    private Nodes() {}

    /** A mapping from key, value, key, value, ...; absent values leave their key out; sorted by key. */
    public static Node map(Object... keysAndValues) {
        List<Node.Entry> entries = entries(keysAndValues);
        entries.sort(Comparator.comparing(Node.Entry::key));
        return new Node.Mapping(entries);
    }

    /** A Kubernetes object: apiVersion, kind and metadata first, then the other fields sorted by key. */
    public static Node resource(String apiVersion, String kind, Node metadata, Object... fieldsAndValues) {
        List<Node.Entry> fields = entries(fieldsAndValues);
        fields.sort(Comparator.comparing(Node.Entry::key));
        List<Node.Entry> entries = new ArrayList<>();
        entries.add(new Node.Entry("apiVersion", scalar(apiVersion)));
        entries.add(new Node.Entry("kind", scalar(kind)));
        entries.add(new Node.Entry("metadata", metadata));
        entries.addAll(fields);
        return new Node.Mapping(entries);
    }

    /** A sequence; absent items are left out, spliced ones inlined. */
    public static Node list(Object... items) {
        return list(List.of(items));
    }

    public static Node list(List<?> items) {
        List<Node> nodes = new ArrayList<>();
        for (Object item : items) {
            Node node = node(item);
            if (node instanceof Node.Items spliced) {
                nodes.addAll(spliced.items());
            } else if (!(node instanceof Node.Absent)) {
                nodes.add(node);
            }
        }
        return new Node.Sequence(nodes);
    }

    /** {@code node} when the condition holds; decided now when the condition is known. */
    public static Node when(Expr<Boolean> condition, Object node) {
        Node value = node(node);
        if (condition.isLiteral()) {
            return Boolean.TRUE.equals(condition.value()) ? value : ABSENT;
        }
        return value instanceof Node.Absent ? ABSENT : new Node.When(condition, value);
    }

    /** A whole string map: expanded now when known. */
    public static Node mapOf(Expr<SortedMap<String, String>> map) {
        if (map.isLiteral()) {
            List<Object> pairs = new ArrayList<>();
            map.value().forEach((key, value) -> {
                pairs.add(key);
                pairs.add(value);
            });
            return map(pairs.toArray());
        }
        return new Node.MapOf(map);
    }

    /** A sequence item per entry of {@code map}, in key order. */
    public static Node forEach(Expr<SortedMap<String, String>> map, BiFunction<Expr<String>, Expr<String>, Object> item) {
        if (map.isLiteral()) {
            List<Node> items = new ArrayList<>();
            map.value().forEach((key, value) -> items.add(node(item.apply(Expr.text(key), Expr.text(value)))));
            return new Node.Items(items);
        }
        return new Node.ForEach(map, true, node(item.apply(new Expr.Reference<>(String.class, ENTRY_NAME),
                new Expr.Reference<>(String.class, "(toString " + ENTRY_VALUE + ")"))));
    }

    /** A sequence item per element of {@code list}, in order. */
    public static Node forEachItem(Expr<List<String>> list, java.util.function.Function<Expr<String>, Object> item) {
        if (list.isLiteral()) {
            List<Node> items = new ArrayList<>();
            list.value().forEach(element -> items.add(node(item.apply(Expr.text(element)))));
            return new Node.Items(items);
        }
        return new Node.ForEach(list, false, node(item.apply(new Expr.Reference<>(String.class, ENTRY_NAME))));
    }

    public static Node scalar(Object value) {
        return node(value);
    }

    /** Whether nothing is left: absent, or a mapping or sequence with nothing in it. */
    public static boolean isAbsent(Node node) {
        return node instanceof Node.Absent;
    }

    static Node node(Object value) {
        if (value == null) {
            return ABSENT;
        }
        if (value instanceof Node node) {
            return node;
        }
        if (value instanceof Expr<?> expr) {
            return expr.isLiteral() && expr.value() == null ? ABSENT : new Node.Scalar(expr);
        }
        if (value instanceof String text) {
            return new Node.Scalar(Expr.text(text));
        }
        if (value instanceof Integer number) {
            return new Node.Scalar(Expr.number(number));
        }
        if (value instanceof Long number) {
            return new Node.Scalar(Expr.literal(Long.class, number));
        }
        if (value instanceof Boolean flag) {
            return new Node.Scalar(Expr.bool(flag));
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException("build mappings and sequences with Nodes.map and Nodes.list: " + value);
        }
        throw new IllegalArgumentException("not a manifest value: " + value.getClass().getName());
    }

    private static List<Node.Entry> entries(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        List<Node.Entry> entries = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Node value = node(keysAndValues[i + 1]);
            if (!(value instanceof Node.Absent)) {
                entries.add(new Node.Entry((String) keysAndValues[i], value));
            }
        }
        return entries;
    }
}
