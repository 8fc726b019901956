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

    Node render(SettingsView view) {
        return resource(MonitorRenderer.API_VERSION, "PrometheusRule", map(
                        "name", Labels.applicationObject(view, "-alerts"),
                        "labels", Labels.shared(view, "monitoring")),
                "spec", map("groups", list(
                        when(anyEnabled(view, view.restServices()), map(
                                "name", Labels.applicationObject(view, ".api-rest"),
                                "rules", list(restRules(view)))),
                        map(
                                "name", Labels.applicationObject(view, ".api-async"),
                                "rules", list(workerRules(view))))));
    }

    /** Whether any of {@code workloads} is enabled. */
    static Expr<Boolean> anyEnabled(SettingsView view, List<? extends Workload> workloads) {
        return Ops.or(workloads.stream().map(w -> view.get(w, Settings.ENABLED)).toList());
    }

    private static List<Node> restRules(SettingsView view) {
        Expr<Double> errorRate = view.get(Settings.ERROR_RATE_THRESHOLD);
        Expr<Double> latency = view.get(Settings.LATENCY_P95_SECONDS);
        List<Node> rules = new ArrayList<>();
        for (RestServiceModel service : view.restServices()) {
            String title = camel(service.name());
            Expr<Boolean> enabled = view.get(service, Settings.ENABLED);
            rules.add(when(enabled, alert(view, title + "HighErrorRate",
                    Ops.concat(PromQl.serverErrorRatio(service.name(), PromQl.RATE_WINDOW) + "\n  > ", errorRate),
                    "critical", service.name(),
                    "REST service " + service.name() + " answers too many requests with 5xx",
                    Ops.concat("{{ $value | humanizePercentage }} of the requests to " + service.path()
                            + " failed with a 5xx status over the last 5 minutes (threshold ", Ops.percent(errorRate), "%)."))));
            rules.add(when(enabled, alert(view, title + "HighLatency",
                    Ops.concat(PromQl.latencyQuantile(service.name(), "0.95", PromQl.RATE_WINDOW) + "\n  > ", latency),
                    "warning", service.name(),
                    "REST service " + service.name() + " is slow",
                    Ops.concat("The 95th percentile latency of " + service.path() + " is {{ $value | humanizeDuration }} (threshold ",
                            latency, "s)."))));
        }
        return rules;
    }

    private static List<Node> workerRules(SettingsView view) {
        List<Node> rules = new ArrayList<>();
        for (WorkerModel worker : view.workers()) {
            Expr<Integer> threshold = Ops.orElse(view.get(worker, Settings.WORKER_QUEUE_DEPTH_THRESHOLD), view.get(Settings.QUEUE_DEPTH_THRESHOLD));
            rules.add(when(view.get(worker, Settings.ENABLED), alert(view, camel(worker.name()) + "QueueHigh",
                    Ops.concat(PromQl.queueDepth(worker.queue()) + " > ", threshold),
                    "warning", worker.name(),
                    "Queue " + worker.queue() + " is backing up",
                    Ops.concat("{{ $value }} messages are waiting in " + worker.queue() + " (threshold ", threshold,
                            "); the " + worker.name() + " workers do not keep up."))));
        }
        Expr<String> deadLetters = view.get(Settings.DEAD_LETTER_QUEUE);
        Expr<Integer> deadLetterThreshold = view.get(Settings.DEAD_LETTER_THRESHOLD);
        rules.add(alert(view, "DeadLetterQueueNotEmpty",
                Ops.concat(PromQl.queueDepth(deadLetters), " > ", deadLetterThreshold),
                "warning", "dead-letter",
                Ops.concat("Tasks are failing into ", deadLetters),
                Ops.concat("{{ $value }} tasks sit in the dead-letter queue ", deadLetters,
                        " after exhausting their retries (threshold ", deadLetterThreshold, ").")));
        return rules;
    }

    private static Node alert(SettingsView view, String name, Expr<String> expression, String severity, String service,
                              Object summary, Expr<String> description) {
        Expr<String> runbooks = view.get(Settings.RUNBOOK_BASE_URL);
        return map(
                "alert", name,
                "expr", expression,
                "for", view.get(Settings.ALERT_FOR),
                "labels", map("severity", severity, "service", service),
                "annotations", map(
                        "summary", summary,
                        "description", description,
                        "runbook_url", when(Ops.nonEmpty(runbooks), Ops.concat(runbooks, "#" + runbookAnchor(name)))));
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
