package app.growbin.processor.read;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable YAML tree that remembers the line of every node, for errors that point at a key. */
public sealed interface YamlNode {

    int line();

    /** A scalar; {@code text} is its source text, {@code plain} whether it was unquoted. */
    record Scalar(String text, boolean plain, int line) implements YamlNode {
        public boolean isNull() {
            return plain && (text.isEmpty() || text.equals("~") || text.equals("null") || text.equals("Null") || text.equals("NULL"));
        }
    }

    record Sequence(List<YamlNode> items, int line) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }
    }

    /** A mapping with string keys in file order. */
    record Mapping(Map<String, Entry> entries, int line) implements YamlNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public Optional<Entry> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        public static Mapping empty() {
            return new Mapping(Map.of(), 1);
        }
    }

    /** A key of a mapping, its line, and its value. */
    record Entry(String key, int keyLine, YamlNode value) {}

    static String describe(YamlNode node) {
        if (node instanceof Scalar s) {
            return s.isNull() ? "nothing" : "'" + s.text() + "'";
        }
        return node instanceof Sequence ? "a list" : "a mapping";
    }
}
