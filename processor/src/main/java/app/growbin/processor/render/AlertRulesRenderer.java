package app.growbin.processor.render;

import app.growbin.contract.Metrics;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.MonitoringSpec;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroupBuilder;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alerts that name only metrics that exist: the runtime's {@code http_requests_total} and
 * {@code http_request_duration_seconds} per service, and the RabbitMQ Prometheus plugin's
 * per-queue {@code rabbitmq_queue_messages_ready} for every worker queue and the dead-letter queue.
 * Queue depth is taken with {@code max by (queue)}: the same depth may be reported by several
 * scrape targets (RabbitMQ nodes, and each worker replica, which exports it too), never summed.
 */
final class AlertRulesRenderer {

    static final String REQUESTS = Metrics.HTTP_REQUESTS.name();
    static final String DURATION_BUCKETS = Metrics.HTTP_REQUEST_DURATION.bucketSeries();
    static final String QUEUE_READY = Metrics.QUEUE_MESSAGES_READY.name();

    PrometheusRule render(EnvironmentModel environment) {
        List<RuleGroup> groups = new ArrayList<>();
        if (!environment.restServices().isEmpty()) {
            groups.add(group(environment.appName() + ".api-rest", restRules(environment)));
        }
        groups.add(group(environment.appName() + ".api-async", workerRules(environment)));
        return new PrometheusRuleBuilder()
                .withNewMetadata()
                    .withName(environment.appName() + "-alerts")
                    .withLabels(Labels.shared(environment, "monitoring"))
                .endMetadata()
                .withNewSpec().withGroups(groups).endSpec()
                .build();
    }

    private static RuleGroup group(String name, List<Rule> rules) {
        return new RuleGroupBuilder().withName(name).withRules(rules).build();
    }

    private static List<Rule> restRules(EnvironmentModel environment) {
        MonitoringSpec monitoring = environment.monitoring();
        List<Rule> rules = new ArrayList<>();
        for (RestServiceModel service : environment.restServices()) {
            String selector = "service=\"" + service.name() + "\"";
            String title = camel(service.name());
            rules.add(alert(monitoring, title + "HighErrorRate",
                    "sum(rate(" + REQUESTS + "{" + selector + ",status=~\"5..\"}[5m]))\n  / sum(rate(" + REQUESTS + "{" + selector + "}[5m]))\n  > "
                            + number(monitoring.errorRateThreshold()),
                    monitoring.alertFor(), "critical", service.name(),
                    "REST service " + service.name() + " answers too many requests with 5xx",
                    "{{ $value | humanizePercentage }} of the requests to " + service.path() + " failed with a 5xx status over the last 5 minutes (threshold "
                            + BigDecimal.valueOf(monitoring.errorRateThreshold()).movePointRight(2).stripTrailingZeros().toPlainString() + "%)."));
            rules.add(alert(monitoring, title + "HighLatency",
                    "histogram_quantile(0.95, sum by (le) (rate(" + DURATION_BUCKETS + "{" + selector + "}[5m])))\n  > "
                            + number(monitoring.latencyP95Seconds()),
                    monitoring.alertFor(), "warning", service.name(),
                    "REST service " + service.name() + " is slow",
                    "The 95th percentile latency of " + service.path() + " is {{ $value | humanizeDuration }} (threshold "
                            + number(monitoring.latencyP95Seconds()) + "s)."));
        }
        return rules;
    }

    private static List<Rule> workerRules(EnvironmentModel environment) {
        MonitoringSpec monitoring = environment.monitoring();
        List<Rule> rules = new ArrayList<>();
        for (WorkerModel worker : environment.workers()) {
            int threshold = environment.queueDepthThreshold(worker);
            rules.add(alert(monitoring, camel(worker.name()) + "QueueHigh",
                    "max by (queue) (" + QUEUE_READY + "{queue=\"" + worker.queue() + "\"}) > " + threshold,
                    monitoring.alertFor(), "warning", worker.name(),
                    "Queue " + worker.queue() + " is backing up",
                    "{{ $value }} messages are waiting in " + worker.queue() + " (threshold " + threshold
                            + "); the " + worker.name() + " workers do not keep up."));
        }
        rules.add(alert(monitoring, "DeadLetterQueueNotEmpty",
                "max by (queue) (" + QUEUE_READY + "{queue=\"" + monitoring.deadLetterQueue() + "\"}) > " + monitoring.deadLetterThreshold(),
                monitoring.alertFor(), "warning", "dead-letter",
                "Tasks are failing into " + monitoring.deadLetterQueue(),
                "{{ $value }} tasks sit in the dead-letter queue " + monitoring.deadLetterQueue()
                        + " after exhausting their retries (threshold " + monitoring.deadLetterThreshold() + ")."));
        return rules;
    }

    private static Rule alert(MonitoringSpec monitoring, String name, String expression, String duration, String severity, String service, String summary, String description) {
        Map<String, String> labels = new TreeMap<>();
        labels.put("severity", severity);
        labels.put("service", service);
        Map<String, String> annotations = new TreeMap<>();
        annotations.put("summary", summary);
        annotations.put("description", description);
        if (!monitoring.runbookBaseUrl().isEmpty()) {
            annotations.put("runbook_url", monitoring.runbookBaseUrl() + "#" + runbookAnchor(name));
        }
        return new RuleBuilder()
                .withAlert(name)
                .withExpr(new IntOrString(expression))
                .withFor(duration)
                .withLabels(labels)
                .withAnnotations(annotations)
                .build();
    }

    /** Runbooks are per kind of alert: {@code VisionQueueHigh} links to {@code #queuehigh}. */
    static String runbookAnchor(String alertName) {
        for (String suffix : new String[] {"HighErrorRate", "HighLatency", "QueueHigh"}) {
            if (alertName.endsWith(suffix)) {
                return suffix.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return alertName.toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code image-api} gives {@code ImageApi}. */
    static String camel(String name) {
        StringBuilder result = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                result.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return result.toString();
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
