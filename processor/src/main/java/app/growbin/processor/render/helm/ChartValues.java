package app.growbin.processor.render.helm;

import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.settings.Owner;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The chart's values as trees: every row of {@link Settings} the chart carries, at its key, with an
 * environment's effective value (optional rows only when they have one). The contract (paths, ports,
 * queues, pools, task names, secret env) is not in the values: the templates carry it.
 *
 * <p>{@code values.yaml} is the tree of the defaults model; {@code values-<env>.yaml} is
 * {@link #difference} of the environment's tree and that one (a {@code null} deletes a key that the
 * environment does not have, as Helm merges maps key by key).
 */
final class ChartValues {

    private static final String AUTOSCALING = "autoscaling";

    private final Catalog catalog;
    /** Workers whose chart has a ScaledObject template (queue-length autoscaling somewhere). */
    private final Set<String> kedaWorkers;

    ChartValues(Catalog catalog, Set<String> kedaWorkers) {
        this.catalog = catalog;
        this.kedaWorkers = Set.copyOf(kedaWorkers);
    }

    /**
     * The full values of {@code environment}. Settings that do not matter in it (those of a disabled
     * service, or an autoscaler that is off) are taken from {@code defaults} when given, so that an
     * environment's file lists only what it really changes.
     *
     * @param instance the {@code app.kubernetes.io/instance} label, or null to leave it to the release name
     */
    Map<String, Object> tree(EnvironmentModel environment, Map<String, Object> defaults, String instance) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.application()) {
            if (setting == Settings.INSTANCE) {
                if (instance != null) {
                    put(values, setting.key(), instance);
                }
            } else if (setting.inChart()) {
                environment.settings().find(setting).ifPresent(value -> put(values, setting.key(), value));
            }
        }
        Map<String, Object> rest = new LinkedHashMap<>();
        for (Workload declared : catalog.restServices()) {
            rest.put(declared.name(), service(find(environment.declaredRestServices(), declared), at(defaults, "api", "rest", declared.name())));
        }
        Map<String, Object> async = new LinkedHashMap<>();
        for (Workload declared : catalog.workers()) {
            async.put(declared.name(), service(find(environment.declaredWorkers(), declared), at(defaults, "api", "async", declared.name())));
        }
        values.put("api", map("rest", rest, "async", async));
        return values;
    }

    /** What {@code environment} changes in {@code defaults}: changed leaves, and null for removed keys. */
    static Map<String, Object> difference(Map<String, Object> environment, Map<String, Object> defaults) {
        Map<String, Object> difference = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : environment.entrySet()) {
            Object mine = entry.getValue();
            Object theirs = defaults.get(entry.getKey());
            if (mine instanceof Map<?, ?> mineMap && theirs instanceof Map<?, ?> theirsMap) {
                Map<String, Object> nested = difference(cast(mineMap), cast(theirsMap));
                if (!nested.isEmpty()) {
                    difference.put(entry.getKey(), nested);
                }
            } else if (!defaults.containsKey(entry.getKey()) || !Objects.equals(mine, theirs)) {
                difference.put(entry.getKey(), mine);
            }
        }
        for (String key : defaults.keySet()) {
            if (!environment.containsKey(key)) {
                difference.put(key, null);
            }
        }
        return difference;
    }

    /** One service; a disabled one keeps the defaults' settings (or its own when there are none), switched off. */
    private Map<String, Object> service(Workload workload, Map<String, Object> defaults) {
        if (!workload.enabled()) {
            Map<String, Object> off = defaults != null ? deepCopy(defaults) : settings(workload, null);
            off.put(Settings.ENABLED.key(), false);
            return off;
        }
        return settings(workload, defaults);
    }

    private Map<String, Object> settings(Workload workload, Map<String, Object> defaults) {
        Map<String, Object> service = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.workload(workload.kind())) {
            if (setting.owner() != Owner.OPERATIONS || !setting.inChart()) {
                continue;
            }
            if (setting.key().startsWith(AUTOSCALING + ".")) {
                service.computeIfAbsent(AUTOSCALING, key -> autoscaling(workload, defaults));
            } else {
                workload.settings().find(setting).ifPresent(value -> put(service, setting.key(), value));
            }
        }
        return service;
    }

    /** The autoscaler's rows; one that is off keeps the defaults' bounds, switched off. */
    private Map<String, Object> autoscaling(Workload workload, Map<String, Object> defaults) {
        if (!workload.get(Settings.AUTOSCALING_ENABLED)) {
            Object inherited = defaults == null ? null : defaults.get(AUTOSCALING);
            Map<String, Object> off = inherited instanceof Map<?, ?> map ? deepCopy(cast(map)) : new LinkedHashMap<>();
            off.put("enabled", false);
            return off;
        }
        Map<String, Object> on = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.workload(workload.kind())) {
            if (setting.key().startsWith(AUTOSCALING + ".") && (setting != Settings.QUEUE_LENGTH || usesKeda(workload))) {
                workload.settings().find(setting).ifPresent(value -> on.put(setting.leafName(), value));
            }
        }
        return on;
    }

    private boolean usesKeda(Workload workload) {
        return workload instanceof WorkerModel && kedaWorkers.contains(workload.name());
    }

    private static <W extends Workload> W find(List<W> workloads, Workload declared) {
        return workloads.stream().filter(w -> w.name().equals(declared.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("every environment models every declared workload: " + declared.name()));
    }

    /** Puts {@code value} at the dotted {@code key}, creating the sections on the way. */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String key, Object value) {
        String[] parts = key.split("\\.");
        Map<String, Object> node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(parts[parts.length - 1], value instanceof Map<?, ?> map ? new LinkedHashMap<>(map) : value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> tree, String... path) {
        Object node = tree;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> deepCopy(Map<String, Object> tree) {
        Map<String, Object> copy = new LinkedHashMap<>();
        tree.forEach((key, value) -> copy.put(key, value instanceof Map<?, ?> map ? deepCopy(cast(map)) : value));
        return copy;
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
