package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.map;

import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;

/** The recommended {@code app.kubernetes.io/*} labels and the object names; selectors use only labels that never change. */
final class Labels {

    static final String NAME = "app.kubernetes.io/name";
    static final String COMPONENT = "app.kubernetes.io/component";
    static final String PART_OF = "app.kubernetes.io/part-of";
    static final String INSTANCE = "app.kubernetes.io/instance";
    static final String VERSION = "app.kubernetes.io/version";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "growbin";

    private Labels() {}

    /** {@code <app>-api-rest-<name>} or {@code <app>-api-async-<name>}. */
    static Expr<String> objectName(SettingsView view, Workload workload) {
        return Ops.concat(view.get(Settings.APP_NAME), "-" + workload.kind().component() + "-" + workload.name());
    }

    /** {@code <app><suffix>}, such as {@code growbin-backend-alerts}. */
    static Expr<String> applicationObject(SettingsView view, String suffix) {
        return Ops.concat(view.get(Settings.APP_NAME), suffix);
    }

    /** Labels that identify the workload's pods in every release: safe for immutable selectors. */
    static Node selector(SettingsView view, Workload workload) {
        return map(NAME, workload.name(), COMPONENT, workload.kind().component(), PART_OF, view.get(Settings.APP_NAME));
    }

    /** All labels of a workload's objects and pods. */
    static Node of(SettingsView view, Workload workload) {
        return map(NAME, workload.name(), COMPONENT, workload.kind().component(), PART_OF, view.get(Settings.APP_NAME),
                INSTANCE, view.instance(), VERSION, version(view), MANAGED_BY, MANAGER);
    }

    /** Labels of objects shared by the whole application (Ingress, monitoring, ConfigMap). */
    static Node shared(SettingsView view, String component) {
        return map(NAME, view.get(Settings.APP_NAME), COMPONENT, component, PART_OF, view.get(Settings.APP_NAME),
                INSTANCE, view.instance(), VERSION, version(view), MANAGED_BY, MANAGER);
    }

    /** {@link #shared} and one more label, such as the one Grafana's dashboard sidecar selects. */
    static Node shared(SettingsView view, String component, String key, String value) {
        return map(NAME, view.get(Settings.APP_NAME), COMPONENT, component, PART_OF, view.get(Settings.APP_NAME),
                INSTANCE, view.instance(), VERSION, version(view), MANAGED_BY, MANAGER, key, value);
    }

    /** Every pod of one kind of the application: what the monitors and network policies select. */
    static Node componentSelector(SettingsView view, WorkloadKind kind) {
        return map(COMPONENT, kind.component(), PART_OF, view.get(Settings.APP_NAME));
    }

    private static Expr<String> version(SettingsView view) {
        return Ops.versionLabel(view.get(Settings.IMAGE_TAG));
    }
}
