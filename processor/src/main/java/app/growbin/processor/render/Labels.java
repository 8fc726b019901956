package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.Workload;
import java.util.Map;
import java.util.TreeMap;

/** The recommended {@code app.kubernetes.io/*} labels; selectors use only those that never change. */
final class Labels {

    static final String NAME = "app.kubernetes.io/name";
    static final String COMPONENT = "app.kubernetes.io/component";
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String INSTANCE = "app.kubernetes.io/instance";
    static final String VERSION = "app.kubernetes.io/version";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "growbin";

    private Labels() {}

    /** Labels that identify the workload's pods in every release: safe for immutable selectors. */
    static Map<String, String> selector(EnvironmentModel environment, Workload workload) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(NAME, workload.name());
        labels.put(COMPONENT, workload.kind().component());
        labels.put(PART_OF, environment.appName());
        return labels;
    }

    /** All labels of a workload's objects and pods. */
    static Map<String, String> of(EnvironmentModel environment, Workload workload) {
        Map<String, String> labels = new TreeMap<>(selector(environment, workload));
        labels.putAll(common(environment));
        return labels;
    }

    /** Labels of objects shared by the whole application (Ingress, monitoring, ConfigMap). */
    static Map<String, String> shared(EnvironmentModel environment, String component) {
        Map<String, String> labels = new TreeMap<>(common(environment));
        labels.put(NAME, environment.appName());
        labels.put(COMPONENT, component);
        labels.put(PART_OF, environment.appName());
        return labels;
    }

    private static Map<String, String> common(EnvironmentModel environment) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(INSTANCE, environment.appName() + "-" + environment.name());
        labels.put(VERSION, versionLabel(environment.image().tag()));
        labels.put(MANAGED_BY, MANAGER);
        return labels;
    }

    /** The image tag as a label value: at most 63 characters, ending in a letter or digit. */
    static String versionLabel(String tag) {
        String value = tag.length() > 63 ? tag.substring(0, 63) : tag;
        return value.replaceAll("[^A-Za-z0-9]+$", "");
    }
}
