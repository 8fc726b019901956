package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.contract.Metrics;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Alerts that name only metrics of the runtime contract ({@link Metrics}): the request counter and the
 * latency histogram per REST service, and the ready-message gauge of every worker queue and of the
 * dead-letter queue, each expression from {@link PromQl}, which the dashboards share.
 */
final class AlertRulesRenderer {

    static final String REQUESTS = Metrics.HTTP_REQUESTS.name();
    static final String DURATION_BUCKETS = Metrics.HTTP_REQUEST_DURATION.bucketSeries();
    static final String QUEUE_READY = Metrics.QUEUE_MESSAGES_READY.name();

    /** What an alert watches; its generated unit test ({@link AlertTestsRenderer}) builds its series from it. */
    enum Kind { ERROR_RATE, LATENCY, QUEUE_DEPTH, DEAD_LETTERS }

    /**
     * One alert, as the rule says it and as its unit test needs it.
     *
     * @param enabled whether the rule exists
     * @param subject the REST service or worker it is about; null for the dead-letter queue
     * @param queue the queue it watches; null for REST alerts
     * @param threshold the value the expression compares with
     */
    record Alert(String name, Kind kind, Expr<Boolean> enabled, Workload subject, String queue, Expr<? extends Number> threshold,
                 Expr<String> expression, String severity, String service, Expr<String> summary, Expr<String> description) {}

    Node render(SettingsView view) {
        return resource(MonitorRenderer.API_VERSION, "PrometheusRule", map(
                        "name", Labels.applicationObject(view, "-alerts"),
                        "labels", Labels.shared(view, "monitoring")),
                "spec", map("groups", list(
                        when(anyEnabled(view, view.restServices()), map(
                                "name", Labels.applicationObject(view, ".api-rest"),
                                "rules", list(rules(view, restAlerts(view))))),
                        map(
                                "name", Labels.applicationObject(view, ".api-async"),
                                "rules", list(rules(view, workerAlerts(view)))))));
    }

    /** Whether any of {@code workloads} is enabled. */
    static Expr<Boolean> anyEnabled(SettingsView view, List<? extends Workload> workloads) {
        return Ops.or(workloads.stream().map(w -> view.get(w, Settings.ENABLED)).toList());
    }

    /** Every alert of the rules, REST ones first, each with the condition under which it exists. */
    static List<Alert> alerts(SettingsView view) {
        List<Alert> alerts = new ArrayList<>(restAlerts(view));
        alerts.addAll(workerAlerts(view));
        return alerts;
    }

    private static List<Node> rules(SettingsView view, List<Alert> alerts) {
        return alerts.stream().map(alert -> when(alert.enabled(), rule(view, alert))).toList();
    }

    private static List<Alert> restAlerts(SettingsView view) {
        Expr<Double> errorRate = view.get(Settings.ERROR_RATE_THRESHOLD);
        Expr<Double> latency = view.get(Settings.LATENCY_P95_SECONDS);
        List<Alert> alerts = new ArrayList<>();
        for (RestServiceModel service : view.restServices()) {
            String title = camel(service.name());
            Expr<Boolean> enabled = view.get(service, Settings.ENABLED);
            alerts.add(new Alert(title + "HighErrorRate", Kind.ERROR_RATE, enabled, service, null, errorRate,
                    Ops.concat(PromQl.serverErrorRatio(service.name(), PromQl.RATE_WINDOW) + "\n  > ", errorRate),
                    "critical", service.name(),
                    Expr.text("REST service " + service.name() + " answers too many requests with 5xx"),
                    Ops.concat("{{ $value | humanizePercentage }} of the requests to " + service.path()
                            + " failed with a 5xx status over the last 5 minutes (threshold ", Ops.percent(errorRate), "%).")));
            alerts.add(new Alert(title + "HighLatency", Kind.LATENCY, enabled, service, null, latency,
                    Ops.concat(PromQl.latencyQuantile(service.name(), "0.95", PromQl.RATE_WINDOW) + "\n  > ", latency),
                    "warning", service.name(),
                    Expr.text("REST service " + service.name() + " is slow"),
                    Ops.concat("The 95th percentile latency of " + service.path() + " is {{ $value | humanizeDuration }} (threshold ",
                            latency, "s).")));
        }
        return alerts;
    }

    private static List<Alert> workerAlerts(SettingsView view) {
        List<Alert> alerts = new ArrayList<>();
        for (WorkerModel worker : view.workers()) {
            Expr<Integer> threshold = Ops.orElse(view.get(worker, Settings.WORKER_QUEUE_DEPTH_THRESHOLD), view.get(Settings.QUEUE_DEPTH_THRESHOLD));
            alerts.add(new Alert(camel(worker.name()) + "QueueHigh", Kind.QUEUE_DEPTH, view.get(worker, Settings.ENABLED), worker,
                    worker.queue(), threshold,
                    Ops.concat(PromQl.queueDepth(worker.queue()) + " > ", threshold),
                    "warning", worker.name(),
                    Expr.text("Queue " + worker.queue() + " is backing up"),
                    Ops.concat("{{ $value }} messages are waiting in " + worker.queue() + " (threshold ", threshold,
                            "); the " + worker.name() + " workers do not keep up.")));
        }
        Expr<String> deadLetters = view.get(Settings.DEAD_LETTER_QUEUE);
        Expr<Integer> deadLetterThreshold = view.get(Settings.DEAD_LETTER_THRESHOLD);
        alerts.add(new Alert("DeadLetterQueueNotEmpty", Kind.DEAD_LETTERS, Expr.bool(true), null,
                deadLetters.isLiteral() ? deadLetters.value() : null, deadLetterThreshold,
                Ops.concat(PromQl.queueDepth(deadLetters), " > ", deadLetterThreshold),
                "warning", "dead-letter",
                Ops.concat("Tasks are failing into ", deadLetters),
                Ops.concat("{{ $value }} tasks sit in the dead-letter queue ", deadLetters,
                        " after exhausting their retries (threshold ", deadLetterThreshold, ").")));
        return alerts;
    }

    private static Node rule(SettingsView view, Alert alert) {
        Expr<String> runbooks = view.get(Settings.RUNBOOK_BASE_URL);
        return map(
                "alert", alert.name(),
                "expr", alert.expression(),
                "for", view.get(Settings.ALERT_FOR),
                "labels", map("severity", alert.severity(), "service", alert.service()),
                "annotations", map(
                        "summary", alert.summary(),
                        "description", alert.description(),
                        "runbook_url", when(Ops.nonEmpty(runbooks), runbookUrl(runbooks, alert.name()))));
    }

    /** {@code <monitoring.runbookBaseUrl>#<alert kind>}. */
    static Expr<String> runbookUrl(Expr<String> runbooks, String alertName) {
        return Ops.concat(runbooks, "#" + runbookAnchor(alertName));
    }

    /** Runbooks are per kind of alert: {@code VisionQueueHigh} links to {@code #queuehigh}. */
    static String runbookAnchor(String alertName) {
        for (String suffix : new String[] {"HighErrorRate", "HighLatency", "QueueHigh"}) {
            if (alertName.endsWith(suffix)) {
                return suffix.toLowerCase(Locale.ROOT);
            }
        }
        return alertName.toLowerCase(Locale.ROOT);
    }

    /** {@code image-api} gives {@code ImageApi}, as the alert names. */
    static String camel(String name) {
        StringBuilder result = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                result.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return result.toString();
    }
}
