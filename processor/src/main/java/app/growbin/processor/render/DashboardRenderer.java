package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.mapOf;
import static app.growbin.processor.render.tree.Nodes.resource;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.contract.Observability;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.JsonText;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * The environment's Grafana dashboard, as a ConfigMap that Grafana's dashboard sidecar (the Grafana
 * and kube-prometheus-stack charts' {@code sidecar.dashboards}) loads by its label
 * {@code grafana_dashboard: "1"}. The dashboard JSON (Grafana's classic dashboard model, schema
 * version {@value #SCHEMA_VERSION}) is one data key, {@code <instance>.json}, written with
 * {@link JsonText}: a row per enabled REST service (request rate, 5xx ratio, p95 latency) and per
 * enabled worker (queue depth, tasks by state, run time, failures, retries), under the dead-letter
 * queue. Every query is a {@link PromQl} expression, the same text as the alert on that quantity, and
 * each panel whose quantity has an alert draws the alert's threshold. The Prometheus data source is a
 * dashboard variable, so the dashboard works with whatever the data source is named.
 */
final class DashboardRenderer {

    static final String SIDECAR_LABEL = "grafana_dashboard";
    static final String FOLDER_ANNOTATION = "grafana_folder";
    static final int SCHEMA_VERSION = 39;
    /** Grafana's longest dashboard uid. */
    static final int UID_LENGTH = 40;

    private static final int WIDTH = 24;
    private static final int HEIGHT = 8;
    private static final Node DATASOURCE = map("type", "prometheus", "uid", "${datasource}");

    Node render(SettingsView view) {
        Expr<String> folder = view.get(Settings.DASHBOARDS_FOLDER);
        Expr<String> instance = view.instance();
        return resource("v1", "ConfigMap", map(
                        "name", Labels.applicationObject(view, "-dashboard"),
                        "labels", Labels.shared(view, "monitoring", SIDECAR_LABEL, "1"),
                        "annotations", when(Ops.nonEmpty(folder), map(FOLDER_ANNOTATION, folder))),
                "data", mapOf(Ops.singleEntry(Ops.concat(instance, ".json"), JsonText.pretty(dashboard(view)))));
    }

    /** The dashboard as Grafana's JSON model. */
    Node dashboard(SettingsView view) {
        Panels panels = new Panels();
        panels.row(Expr.bool(true), "Dead-letter queue");
        Expr<String> deadLetters = view.get(Settings.DEAD_LETTER_QUEUE);
        panels.add(Expr.bool(true), WIDTH, panel("Ready messages in the dead-letter queue",
                Ops.concat("Tasks that exhausted their retries, waiting in ", deadLetters,
                        ". DeadLetterQueueNotEmpty fires above the line."), "short",
                view.get(Settings.DEAD_LETTER_THRESHOLD), target(PromQl.queueDepth(deadLetters), "{{queue}}")));
        for (RestServiceModel service : view.restServices()) {
            Expr<Boolean> enabled = view.get(service, Settings.ENABLED);
            String name = service.name();
            panels.row(enabled, "REST " + name + " (" + service.path() + ")");
            panels.add(enabled, WIDTH / 3, panel(name + ": requests per second", Expr.text("Requests answered, every status."), "reqps",
                    null, target(Expr.text(PromQl.requestRate(name, PromQl.RATE_WINDOW)), "requests")));
            panels.add(enabled, WIDTH / 3, panel(name + ": 5xx ratio", Expr.text("Share of the requests answered with a 5xx status. "
                            + AlertRulesRenderer.camel(name) + "HighErrorRate fires above the line."), "percentunit",
                    view.get(Settings.ERROR_RATE_THRESHOLD),
                    target(Expr.text(PromQl.serverErrorRatio(name, PromQl.RATE_WINDOW)), "5xx ratio")));
            panels.add(enabled, WIDTH / 3, panel(name + ": p95 latency", Expr.text("95th percentile of the time to answer. "
                            + AlertRulesRenderer.camel(name) + "HighLatency fires above the line."), "s",
                    view.get(Settings.LATENCY_P95_SECONDS),
                    target(Expr.text(PromQl.latencyQuantile(name, "0.95", PromQl.RATE_WINDOW)), "p95")));
            panels.next();
        }
        for (WorkerModel worker : view.workers()) {
            Expr<Boolean> enabled = view.get(worker, Settings.ENABLED);
            String name = worker.name();
            Expr<Integer> queueThreshold = Ops.orElse(view.get(worker, Settings.WORKER_QUEUE_DEPTH_THRESHOLD), view.get(Settings.QUEUE_DEPTH_THRESHOLD));
            panels.row(enabled, "Worker " + name + " (" + worker.queue() + ")");
            panels.add(enabled, WIDTH / 3, panel(name + ": queue depth", Expr.text("Messages ready in " + worker.queue() + ". "
                            + AlertRulesRenderer.camel(name) + "QueueHigh fires above the line."), "short", queueThreshold,
                    target(Expr.text(PromQl.queueDepth(worker.queue())), "{{queue}}")));
            panels.add(enabled, WIDTH / 3, panel(name + ": tasks per second by state", Expr.text("Tasks by the state they ended in."),
                    "ops", null, target(Expr.text(PromQl.taskRateByState(name, PromQl.RATE_WINDOW)), "{{state}}")));
            panels.add(enabled, WIDTH / 3, panel(name + ": run time", Expr.text("Time the tasks ran: median and 95th percentile."), "s", null,
                    target(Expr.text(PromQl.taskDurationQuantile(name, "0.5", PromQl.RATE_WINDOW)), "p50"),
                    target(Expr.text(PromQl.taskDurationQuantile(name, "0.95", PromQl.RATE_WINDOW)), "p95")));
            panels.next();
            panels.add(enabled, WIDTH / 2, panel(name + ": failures per second", Expr.text("Tasks that failed for good, by task."), "ops",
                    null, target(Expr.text(PromQl.taskRateByTask(name, Observability.TASK_FAILED, PromQl.RATE_WINDOW)), "{{task}}")));
            panels.add(enabled, WIDTH / 2, panel(name + ": retries per second", Expr.text("Tasks sent back for another attempt, by task."),
                    "ops", null, target(Expr.text(PromQl.taskRateByTask(name, Observability.TASK_RETRIED, PromQl.RATE_WINDOW)), "{{task}}")));
            panels.next();
        }
        Expr<String> instance = view.instance();
        return map(
                "description", Ops.concat("Generated by Growbin from the annotations and values of ", view.get(Settings.APP_NAME),
                        "; regenerated by every build, do not edit."),
                "editable", false,
                "graphTooltip", 1,
                "links", list(),
                "panels", list(panels.items),
                "refresh", "30s",
                "schemaVersion", SCHEMA_VERSION,
                "tags", list("growbin", view.get(Settings.APP_NAME)),
                "templating", map("list", list(map(
                        "label", "Prometheus",
                        "name", "datasource",
                        "query", "prometheus",
                        "type", "datasource"))),
                "time", map("from", "now-6h", "to", "now"),
                "timezone", "utc",
                "title", instance,
                "uid", Ops.truncate(instance, UID_LENGTH),
                "version", 1);
    }

    /** A query of a panel; {@code legend} names each series, {@code {{label}}} by its label. */
    private static Node target(Expr<String> expression, String legend) {
        return map("datasource", DATASOURCE, "editorMode", "code", "expr", expression, "legendFormat", legend, "range", true);
    }

    /**
     * A time series panel without id and position (see {@link Panels}).
     *
     * @param threshold where the panel's alert fires, drawn as a red line; null for none
     */
    private static PanelBody panel(String title, Expr<String> description, String unit, Expr<? extends Number> threshold, Node... targets) {
        List<Node> steps = new ArrayList<>();
        steps.add(map("color", "green", "value", JsonText.NULL));
        if (threshold != null) {
            steps.add(map("color", "red", "value", threshold));
        }
        List<Node> queries = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            queries.add(withRefId(targets[i], String.valueOf((char) ('A' + i))));
        }
        return new PanelBody(title, description, map(
                "defaults", map(
                        "color", map("mode", "palette-classic"),
                        "custom", map(
                                "drawStyle", "line",
                                "fillOpacity", 10,
                                "lineWidth", 1,
                                "showPoints", "never",
                                "spanNulls", false,
                                "thresholdsStyle", map("mode", threshold != null ? "line" : "off")),
                        "min", 0,
                        "thresholds", map("mode", "absolute", "steps", list(steps)),
                        "unit", unit),
                "overrides", list()), queries);
    }

    private static Node withRefId(Node target, String refId) {
        Node.Mapping mapping = (Node.Mapping) target;
        List<Object> pairs = new ArrayList<>();
        mapping.entries().forEach(entry -> {
            pairs.add(entry.key());
            pairs.add(entry.value());
        });
        pairs.add("refId");
        pairs.add(refId);
        return map(pairs.toArray());
    }

    /** A panel's content; {@link Panels} gives it an id and a place. */
    private record PanelBody(String title, Expr<String> description, Node fieldConfig, List<Node> targets) {}

    /**
     * The panels in order, each with an id and a grid position computed in the order they are added,
     * as if every service were enabled: Grafana moves panels up into the rows of disabled ones.
     */
    private static final class Panels {
        private final List<Node> items = new ArrayList<>();
        private int id = 1;
        private int x;
        private int y;
        private int lineHeight;

        /** A row header, on a line of its own. */
        void row(Expr<Boolean> present, String title) {
            next();
            items.add(when(present, map(
                    "collapsed", false,
                    "gridPos", grid(WIDTH, 1),
                    "id", id++,
                    "panels", list(),
                    "title", title,
                    "type", "row")));
            y += 1;
        }

        void add(Expr<Boolean> present, int width, PanelBody body) {
            if (x + width > WIDTH) {
                next();
            }
            items.add(when(present, map(
                    "datasource", DATASOURCE,
                    "description", body.description(),
                    "fieldConfig", body.fieldConfig(),
                    "gridPos", grid(width, HEIGHT),
                    "id", id++,
                    "options", map(
                            "legend", map("calcs", list(), "displayMode", "list", "placement", "bottom", "showLegend", true),
                            "tooltip", map("mode", "multi", "sort", "desc")),
                    "targets", list(body.targets()),
                    "title", body.title(),
                    "type", "timeseries")));
            x += width;
            lineHeight = Math.max(lineHeight, HEIGHT);
        }

        /** Ends the current line of panels. */
        void next() {
            y += lineHeight;
            x = 0;
            lineHeight = 0;
        }

        private Node grid(int width, int height) {
            return map("h", height, "w", width, "x", x, "y", y);
        }
    }
}
