package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;

import app.growbin.contract.Endpoints;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;

/**
 * Scrape targets for the Prometheus Operator: a ServiceMonitor over the REST Services' {@code http}
 * port, a PodMonitor over the workers' {@code metrics} port (workers have no Service).
 */
final class MonitorRenderer {

    static final String API_VERSION = "monitoring.coreos.com/v1";

    Node restMonitor(SettingsView view) {
        return resource(API_VERSION, "ServiceMonitor", metadata(view, WorkloadKind.REST),
                "spec", map(
                        "selector", map("matchLabels", Labels.componentSelector(view, WorkloadKind.REST)),
                        "endpoints", list(endpoint(view, Endpoints.HTTP_PORT_NAME))));
    }

    Node workerMonitor(SettingsView view) {
        return resource(API_VERSION, "PodMonitor", metadata(view, WorkloadKind.ASYNC),
                "spec", map(
                        "selector", map("matchLabels", Labels.componentSelector(view, WorkloadKind.ASYNC)),
                        "podMetricsEndpoints", list(endpoint(view, Endpoints.METRICS_PORT_NAME))));
    }

    private static Node metadata(SettingsView view, WorkloadKind kind) {
        return map("name", Labels.applicationObject(view, "-" + kind.component()), "labels", Labels.shared(view, "monitoring"));
    }

    private static Node endpoint(SettingsView view, String port) {
        return map(
                "port", port,
                "path", Endpoints.METRICS_PATH,
                "interval", view.get(Settings.SCRAPE_INTERVAL),
                "scrapeTimeout", view.get(Settings.SCRAPE_TIMEOUT));
    }
}
