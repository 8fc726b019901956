package app.growbin.processor.read;

import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.WorkloadKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The values files of one environment, highest precedence first ({@code values-<env>.yaml}, then
 * {@code values.yaml}). Looks up dotted keys and says which file and line a value came from.
 */
public record ValuesLayers(ValuesFile overlay, ValuesFile base) {

    /** The scalar text at {@code key}, from the highest layer that sets it (a null scalar does not set it). */
    public Optional<Located<String>> scalar(String key) {
        for (ValuesFile file : files()) {
            Optional<YamlNode.Entry> entry = entry(file.root(), key);
            if (entry.isPresent() && entry.get().value() instanceof YamlNode.Scalar scalar && !scalar.isNull()) {
                return Optional.of(new Located<>(scalar.text(), new Site.InValues(file.path(), entry.get().keyLine(), key)));
            }
        }
        return Optional.empty();
    }

    /** The string map at {@code key} from the highest layer that sets it: maps replace, they do not merge. */
    public Optional<Located<SortedMap<String, String>>> map(String key) {
        for (ValuesFile file : files()) {
            Optional<YamlNode.Entry> entry = entry(file.root(), key);
            if (entry.isPresent() && entry.get().value() instanceof YamlNode.Mapping mapping) {
                SortedMap<String, String> result = new TreeMap<>();
                mapping.entries().forEach((name, item) -> {
                    if (item.value() instanceof YamlNode.Scalar scalar && !scalar.isNull()) {
                        result.put(name, scalar.text());
                    }
                });
                return Optional.of(new Located<>(Collections.unmodifiableSortedMap(result),
                        new Site.InValues(file.path(), entry.get().keyLine(), key)));
            }
        }
        return Optional.empty();
    }

    public Optional<Located<Integer>> integer(String key) {
        return scalar(key).flatMap(v -> ScalarParser.integer(v.value()).map(i -> new Located<>(i, v.site())));
    }

    public Optional<Located<Double>> number(String key) {
        return scalar(key).flatMap(v -> ScalarParser.number(v.value()).map(d -> new Located<>(d, v.site())));
    }

    public Optional<Located<Boolean>> bool(String key) {
        return scalar(key).flatMap(v -> ScalarParser.bool(v.value()).map(b -> new Located<>(b, v.site())));
    }

    /** An application setting from the highest layer that sets it, read as its type. */
    public <T> Optional<Located<T>> get(Setting<T> setting) {
        return typed(setting, setting.key());
    }

    /** A workload setting ({@code api.<kind>.<name>.<key>}) from the highest layer that sets it. */
    public <T> Optional<Located<T>> get(Setting<T> setting, WorkloadKind kind, String workload) {
        return typed(setting, setting.keyFor(kind, workload));
    }

    private <T> Optional<Located<T>> typed(Setting<T> setting, String key) {
        Optional<? extends Located<?>> value = switch (setting.type()) {
            case STRING, QUANTITY, DURATION -> scalar(key);
            case INTEGER -> integer(key);
            case NUMBER -> number(key);
            case BOOLEAN -> bool(key);
            case STRING_MAP -> map(key);
            case SECTION, SERVICES -> throw new IllegalArgumentException(key + " is a section, not a setting");
        };
        return value.map(v -> new Located<>(setting.javaType().cast(v.value()), v.site()));
    }

    /** Whether any layer has the key at all. */
    public boolean has(String key) {
        for (ValuesFile file : files()) {
            if (entry(file.root(), key).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private List<ValuesFile> files() {
        List<ValuesFile> files = new ArrayList<>(2);
        files.add(overlay);
        files.add(base);
        return files;
    }

    static Optional<YamlNode.Entry> entry(YamlNode.Mapping root, String dottedKey) {
        String[] parts = dottedKey.split("\\.");
        YamlNode current = root;
        YamlNode.Entry found = null;
        for (String part : parts) {
            if (!(current instanceof YamlNode.Mapping mapping)) {
                return Optional.empty();
            }
            found = mapping.entries().get(part);
            if (found == null) {
                return Optional.empty();
            }
            current = found.value();
        }
        return Optional.ofNullable(found);
    }
}
