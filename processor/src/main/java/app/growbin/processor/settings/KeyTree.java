package app.growbin.processor.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of the values files as a tree, built from the settings table: sections, and a leaf per
 * operational setting. {@code api.rest} and {@code api.async} are {@link ValueType#SERVICES} nodes
 * whose children are the settings of one workload of that kind.
 *
 * @param setting the row of a leaf; empty for sections
 */
public record KeyTree(ValueType type, Map<String, KeyTree> children, Optional<Setting<?>> setting) {

    /** What a values file may hold. */
    public static final KeyTree VALUES_FILES = valuesFiles();

    public Optional<KeyTree> child(String name) {
        return Optional.ofNullable(children.get(name));
    }

    public boolean baseOnly() {
        return setting.map(Setting::baseOnly).orElse(false);
    }

    /** A {@link ValueType#SERVICES} node's children as the section of one service. */
    public KeyTree asServiceSection() {
        return new KeyTree(ValueType.SECTION, children, Optional.empty());
    }

    /** The code-owned row whose last key part is {@code name}, such as {@code path}: values files may not set it. */
    public static Optional<Setting<?>> contractKey(String name) {
        return Settings.ALL.stream().filter(s -> s.owner() == Owner.CODE && s.key().equals(name)).findFirst();
    }

    private static KeyTree valuesFiles() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.application()) {
            if (setting.inValuesFiles()) {
                insert(root, setting.key(), setting);
            }
        }
        Map<String, KeyTree> api = new LinkedHashMap<>();
        for (WorkloadKind kind : WorkloadKind.values()) {
            Map<String, Object> service = new LinkedHashMap<>();
            for (Setting<?> setting : Settings.workload(kind)) {
                if (setting.owner() == Owner.OPERATIONS && setting.inValuesFiles()) {
                    insert(service, setting.key(), setting);
                }
            }
            api.put(kind.valuesKey(), new KeyTree(ValueType.SERVICES, freeze(service), Optional.empty()));
        }
        Map<String, KeyTree> top = new LinkedHashMap<>(freeze(root));
        top.put("api", new KeyTree(ValueType.SECTION, Collections.unmodifiableMap(api), Optional.empty()));
        return new KeyTree(ValueType.SECTION, Collections.unmodifiableMap(top), Optional.empty());
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> tree, String key, Setting<?> setting) {
        String[] parts = key.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(parts[parts.length - 1], setting);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, KeyTree> freeze(Map<String, Object> tree) {
        Map<String, KeyTree> frozen = new LinkedHashMap<>();
        tree.forEach((name, node) -> frozen.put(name, node instanceof Setting<?> setting
                ? new KeyTree(setting.type(), Map.of(), Optional.of(setting))
                : new KeyTree(ValueType.SECTION, freeze((Map<String, Object>) node), Optional.empty())));
        return Collections.unmodifiableMap(frozen);
    }
}
