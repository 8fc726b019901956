package app.growbin.processor.render.tree;

import java.util.List;
import java.util.SortedMap;

/**
 * A part of a manifest. Build them with {@link Nodes}, which decides known conditions and expands
 * known maps on the spot, so that a tree built from literals holds only {@link Scalar},
 * {@link Mapping} and {@link Sequence}.
 */
public sealed interface Node {

    /** A string, number or boolean. */
    record Scalar(Expr<?> value) implements Node {}

    /** Keys and values, in the order they are written. */
    record Mapping(List<Entry> entries) implements Node {
        public Mapping {
            entries = List.copyOf(entries);
        }
    }

    /** One key of a {@link Mapping}; its value may be a {@link When}. */
    record Entry(String key, Node value) {}

    /** Items in order; an item may be a {@link When} or a {@link ForEach}. */
    record Sequence(List<Node> items) implements Node {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** A whole string map from the chart's values, such as a node selector. */
    record MapOf(Expr<SortedMap<String, String>> map) implements Node {}

    /** Present only when the condition holds when Helm renders the chart. */
    record When(Expr<Boolean> condition, Node node) implements Node {}

    /**
     * Sequence items, one per entry of a map (or element of a list) from the chart's values:
     * {@code item} refers to the entry as {@code $name} and {@code $value} (the element as {@code $name}).
     */
    record ForEach(Expr<?> collection, boolean overMap, Node item) implements Node {}

    /** Several items spliced into the enclosing sequence (a known map's {@link ForEach}). */
    record Items(List<Node> items) implements Node {
        public Items {
            items = List.copyOf(items);
        }
    }

    /** Nothing: a condition known to be false. Left out of mappings, sequences and files. */
    record Absent() implements Node {}
}
