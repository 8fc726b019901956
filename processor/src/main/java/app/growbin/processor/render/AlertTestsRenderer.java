package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;

import app.growbin.contract.MetricFamily;
import app.growbin.contract.Metrics;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.render.AlertRulesRenderer.Alert;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The promtool unit tests of an environment's alerts ({@code <output>-tests/<env>.test.yaml}, see
 * {@link app.growbin.processor.read.BuildOptions#testsFolder()}):
 * for every alert of {@code monitoring/prometheusrule.yaml}, a case where it fires once its condition
 * has held for {@code for:} (and not one evaluation earlier) and a case where it stays quiet just
 * inside its threshold. The input series are built from the runtime contract ({@link Metrics}: the
 * metric names and every label the runtime exports) and the model (service names, paths, queues,
 * thresholds), never from the rules' expressions, so a rule that selects something the runtime does
 * not expose, or a threshold or duration that the expression does not apply, fails its test.
 *
 * <p>The folder is beside the output folder, not in it: a test file is no Kubernetes object, and GitOps
 * tooling (Argo CD, kustomize, kubeconform) reads every file of the output folder as one.
 * {@code manifest-check prom-test} runs these files with the rules extracted from the environment's
 * PrometheusRule.
 */
public final class AlertTestsRenderer {

    /**
     * Where earlier versions wrote the tests, inside the output folder: a generation removes it (and the
     * name stays reserved, so that no environment is ever taken for it).
     */
    public static final String LEGACY_FOLDER = "rule-tests";

    /** Requests per minute of a REST service in the tests: ratios of whole requests stay exact in four digits. */
    private static final int REQUESTS_PER_MINUTE = 10_000;
    private static final int MINUTE = 60;
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)(ms|s|m|h|d|w|y)");

    /** The test file of {@code environment}, named {@code <env>.test.yaml}. */
    public Manifest render(EnvironmentModel environment) {
        EnvironmentView view = new EnvironmentView(environment);
        int forSeconds = seconds(environment.get(Settings.ALERT_FOR));
        Map<String, String> firingSeries = new LinkedHashMap<>();
        Map<String, String> quietSeries = new LinkedHashMap<>();
        List<Node> firingCases = new ArrayList<>();
        List<Node> quietCases = new ArrayList<>();
        for (Alert alert : AlertRulesRenderer.alerts(view)) {
            if (!alert.enabled().value()) {
                continue;
            }
            Case test = testOf(alert, environment);
            int start = test.counters() ? MINUTE : 0;
            int firesAt = start + roundUpToMinutes(forSeconds);
            int samples = firesAt / MINUTE + 1;
            test.firing().forEach((series, values) -> firingSeries.put(series, values.apply(samples)));
            test.quiet().forEach((series, values) -> quietSeries.put(series, values.apply(samples)));
            if (firesAt - MINUTE >= start || test.counters()) {
                firingCases.add(quietCase(alert.name(), firesAt - MINUTE));
            }
            firingCases.add(map(
                    "alertname", alert.name(),
                    "eval_time", duration(firesAt),
                    "exp_alerts", list(map(
                            "exp_labels", map(test.labels().entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray()),
                            "exp_annotations", annotations(alert, environment, test.value())))));
            quietCases.add(quietCase(alert.name(), firesAt));
        }
        List<Node> groups = new ArrayList<>(List.of(
                map("name", "every alert fires once its condition has held for its for: duration, not one evaluation earlier",
                        "interval", "1m",
                        "input_series", inputSeries(firingSeries),
                        "alert_rule_test", list(firingCases)),
                map("name", "every alert stays quiet just inside its threshold",
                        "interval", "1m",
                        "input_series", inputSeries(quietSeries),
                        "alert_rule_test", list(quietCases))));
        groups.addAll(new SloAlertTests().tests(environment));
        Node tests = map("evaluation_interval", "1m", "tests", list(groups));
        return new Manifest(environment.name() + ".test.yaml", "the alerts and objectives of " + environment.name()
                + "/monitoring/ and the runtime's metrics (app.growbin.contract.Metrics)", List.of(tests));
    }

    /**
     * The series of one alert's test.
     *
     * @param counters true when the series are counters read with {@code rate()} (which has a value from the second sample on)
     * @param firing series name to its values (given the number of samples) where the alert fires
     * @param quiet the same just inside the threshold
     * @param labels the labels of the firing alert
     * @param value the value of the alert's expression in the firing case ({@code $value})
     */
    private record Case(boolean counters, Map<String, IntFunction<String>> firing,
                        Map<String, IntFunction<String>> quiet, Map<String, String> labels, double value) {}

    private static Case testOf(Alert alert, EnvironmentModel environment) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("severity", alert.severity());
        labels.put("service", alert.service());
        Map<String, IntFunction<String>> firing = new LinkedHashMap<>();
        Map<String, IntFunction<String>> quiet = new LinkedHashMap<>();
        switch (alert.kind()) {
            case ERROR_RATE -> {
                RestServiceModel service = (RestServiceModel) alert.subject();
                double threshold = alert.threshold().value().doubleValue();
                double atThreshold = threshold * REQUESTS_PER_MINUTE;
                long whole = Math.round(atThreshold);
                boolean exact = Math.abs(atThreshold - whole) < 1e-6;
                int failingAbove = (int) (exact ? whole : Math.floor(atThreshold)) + 1;
                int failingBelow = (int) Math.max(0, (exact ? whole : Math.ceil(atThreshold)) - 1);
                requests(service, failingAbove, firing);
                requests(service, failingBelow, quiet);
                return new Case(true, firing, quiet, labels, (double) failingAbove / REQUESTS_PER_MINUTE);
            }
            case LATENCY -> {
                RestServiceModel service = (RestServiceModel) alert.subject();
                double limit = alert.threshold().value().doubleValue();
                // above: 94 of 100 requests within the limit, the rest within twice it: p95 = limit * 7/6
                buckets(service, List.of(limit, 2 * limit), List.of(94, 100), firing);
                // inside: none within 90 % of the limit, all within it: p95 = limit * 0.995
                buckets(service, List.of(0.9 * limit, limit, 2 * limit), List.of(0, 100, 100), quiet);
                return new Case(true, firing, quiet, labels, limit + limit * (95.0 - 94) / (100 - 94));
            }
            case QUEUE_DEPTH, DEAD_LETTERS -> {
                int threshold = alert.threshold().value().intValue();
                String service = alert.subject() != null ? alert.subject().name() : anyWorker(environment);
                String series = series(Metrics.QUEUE_MESSAGES_READY, Metrics.QUEUE_MESSAGES_READY.name(),
                        Map.of(Metrics.SERVICE, service, Metrics.QUEUE, alert.queue()));
                // a+bxn, not axn: "0x5" would read as a hexadecimal number
                firing.put(series, samples -> (threshold + 1) + "+0x" + (samples - 1));
                quiet.put(series, samples -> threshold + "+0x" + (samples - 1));
                labels.put(Metrics.QUEUE, alert.queue());
                return new Case(false, firing, quiet, labels, threshold + 1);
            }
            default -> throw new IllegalStateException("no test for " + alert.kind());
        }
    }

    /** One minute's requests of a service, {@code failing} of them answered with 500, as the counters the runtime exports. */
    private static void requests(RestServiceModel service, int failing, Map<String, IntFunction<String>> into) {
        for (Map.Entry<String, Integer> status : Map.of("200", REQUESTS_PER_MINUTE - failing, "500", failing).entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).toList()) {
            String series = series(Metrics.HTTP_REQUESTS, Metrics.HTTP_REQUESTS.name(), Map.of(Metrics.SERVICE, service.name(),
                    Metrics.METHOD, "GET", Metrics.ROUTE, service.path(), Metrics.STATUS, status.getKey()));
            into.put(series, counter(status.getValue()));
        }
    }

    /** A histogram's buckets: requests per minute at or below each bound, and all of them at +Inf. */
    private static void buckets(RestServiceModel service, List<Double> bounds, List<Integer> counts,
                                Map<String, IntFunction<String>> into) {
        MetricFamily family = Metrics.HTTP_REQUEST_DURATION;
        Map<String, String> labels = Map.of(Metrics.SERVICE, service.name(), Metrics.METHOD, "GET", Metrics.ROUTE, service.path());
        for (int i = 0; i < bounds.size(); i++) {
            into.put(series(family, family.bucketSeries(), withLe(labels, GoFormat.shortest(bounds.get(i)))), counter(counts.get(i)));
        }
        into.put(series(family, family.bucketSeries(), withLe(labels, "+Inf")), counter(counts.get(counts.size() - 1)));
    }

    private static Map<String, String> withLe(Map<String, String> labels, String le) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put("le", le);
        return all;
    }

    private static IntFunction<String> counter(int perMinute) {
        return samples -> "0+" + perMinute + "x" + (samples - 1);
    }

    /**
     * {@code name{label="value",...}} with every label of the family, in the family's order (and
     * {@code le} last for a bucket): a label the runtime exports that the test has no value for is a
     * mistake in this class, not a quiet omission.
     */
    private static String series(MetricFamily family, String name, Map<String, String> values) {
        StringJoiner labels = new StringJoiner(",", name + "{", "}");
        for (String label : family.labels()) {
            String value = values.get(label);
            if (value == null) {
                throw new IllegalStateException(family.name() + " has the label " + label + ", which the alert tests do not set");
            }
            labels.add(label + "=\"" + value + "\"");
        }
        if (values.containsKey("le")) {
            labels.add("le=\"" + values.get("le") + "\"");
        }
        if (values.keySet().stream().anyMatch(label -> !label.equals("le") && !family.labels().contains(label))) {
            throw new IllegalStateException("a label the runtime does not export on " + family.name() + ": " + values.keySet());
        }
        return labels.toString();
    }

    private static Node inputSeries(Map<String, String> series) {
        return list(series.entrySet().stream().map(s -> map("series", s.getKey(), "values", s.getValue())).toList());
    }

    private static Node quietCase(String alert, int at) {
        return map("alertname", alert, "eval_time", duration(at), "exp_alerts", list());
    }

    /** The alert's annotations as Prometheus renders them, {@code $value} being the firing case's value. */
    private static Node annotations(Alert alert, EnvironmentModel environment, double value) {
        String description = alert.description().value()
                .replace("{{ $value | humanizePercentage }}", GoFormat.humanizePercentage(value))
                .replace("{{ $value | humanizeDuration }}", GoFormat.humanizeDuration(value))
                .replace("{{ $value }}", GoFormat.shortest(value));
        String runbooks = environment.get(Settings.RUNBOOK_BASE_URL);
        return runbooks.isEmpty()
                ? map("summary", alert.summary().value(), "description", description)
                : map("summary", alert.summary().value(), "description", description,
                        "runbook_url", AlertRulesRenderer.runbookUrl(Expr.text(runbooks), alert.name()).value());
    }

    /** The dead-letter depth is exported by every worker; the test's series comes from one of them. */
    private static String anyWorker(EnvironmentModel environment) {
        return environment.workers().stream().filter(WorkerModel::enabled).map(WorkerModel::name).findFirst()
                .orElse(environment.appName());
    }

    private static int roundUpToMinutes(int seconds) {
        return (seconds + MINUTE - 1) / MINUTE * MINUTE;
    }

    private static String duration(int seconds) {
        return seconds % MINUTE == 0 ? seconds / MINUTE + "m" : seconds + "s";
    }

    /** A Prometheus duration ({@code 5m}, {@code 1h30m}) in whole seconds, rounded up. */
    static int seconds(String duration) {
        Matcher part = DURATION_PART.matcher(duration);
        long millis = 0;
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            millis += switch (part.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1000;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                case "d" -> amount * 86_400_000;
                case "w" -> amount * 604_800_000;
                default -> amount * 31_536_000_000L;
            };
        }
        return (int) ((millis + 999) / 1000);
    }
}
