package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;

import app.growbin.contract.MetricFamily;
import app.growbin.contract.Metrics;
import app.growbin.contract.Observability;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.render.SloRulesRenderer.BurnRate;
import app.growbin.processor.render.SloRulesRenderer.Kind;
import app.growbin.processor.render.SloRulesRenderer.Objective;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.settings.ScalarText;
import app.growbin.processor.settings.Settings;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The promtool unit tests of an environment's SLO rules ({@code monitoring/prometheusrule-slo.yaml}),
 * written as {@code <output>-tests/<env>.test.yaml} beside the output folder (never applied).
 * The input series are built from the runtime contract ({@link Metrics}: the metric names and every
 * label the runtime exports) and the model (service, path, objective, threshold), never from the
 * rules' text, so a rule that selects what the runtime does not expose, or a budget the expression
 * does not apply, fails its test. Per objective, four test groups, each at a constant request rate
 * whose share of bad requests (5xx answers, or answers slower than the threshold) is chosen against
 * the objective's error budget {@code b}:
 * <ol>
 *   <li>just above 14.4 b: every window reads that ratio (each recording rule is checked), the page
 *       and the ticket fire;</li>
 *   <li>just above 3 b, below 6 b: the ticket fires, the page stays quiet;</li>
 *   <li>just below b: both stay quiet;</li>
 *   <li>the first ratio for an hour, then none: ten minutes later the page still fires on 6h and 30m
 *       (the 5m window is clean), forty minutes later it stops although the long windows still hold
 *       errors, while the ticket goes on. This group stores the latency buckets as Prometheus 3 does
 *       ({@code le="1.0"}), the others as the runtime writes them ({@code le="1"}).</li>
 * </ol>
 * {@link #tests(EnvironmentModel)} gives the groups alone, to be joined with other alert tests of the
 * same environment (same {@code evaluation_interval}).
 */
public final class SloAlertTests {

    public static final String EVALUATION_INTERVAL = "1m";

    private static final MathContext THREE_DIGITS = new MathContext(3);
    private static final String METHOD = "GET";
    private static final String GOOD_STATUS = "200";
    private static final String BAD_STATUS = "500";
    /** When the constant-rate groups are read: every window has data, since every rate has two samples. */
    private static final int READ_AT = 10;
    /** The reset group: errors for this many minutes, then none. */
    private static final int ERROR_MINUTES = 60;
    private static final int PAGE_STILL_AT = ERROR_MINUTES + 10;
    private static final int PAGE_STOPPED_AT = ERROR_MINUTES + 40;

    /** The test groups of every objective of the environment's enabled REST services. */
    public List<Node> tests(EnvironmentModel environment) {
        EnvironmentView view = new EnvironmentView(environment);
        List<Node> tests = new ArrayList<>();
        for (Objective objective : SloRulesRenderer.objectives(view)) {
            if (Boolean.TRUE.equals(objective.exists().value())) {
                tests.addAll(new ObjectiveTests(objective, environment.get(Settings.RUNBOOK_BASE_URL)).groups());
            }
        }
        return tests;
    }

    /** The four groups of one objective. */
    private static final class ObjectiveTests {
        private final Objective objective;
        private final String runbooks;
        private final BigDecimal budget;
        private final BigDecimal fast;
        private final BigDecimal slow;
        private final BigDecimal within;
        private final long requestsPerMinute;
        private final String subject;

        ObjectiveTests(Objective objective, String runbooks) {
            this.objective = objective;
            this.runbooks = runbooks;
            this.budget = BigDecimal.valueOf(100).subtract(BigDecimal.valueOf(objective.target().value())).movePointLeft(2);
            BigDecimal pageFactor = BigDecimal.valueOf(SloRulesRenderer.PAGE.get(0).factor());
            BigDecimal ticketFactor = BigDecimal.valueOf(SloRulesRenderer.TICKET.get(0).factor());
            BigDecimal aboveFastest = up(budget.multiply(pageFactor).multiply(new BigDecimal("1.1")));
            this.fast = aboveFastest.compareTo(BigDecimal.ONE) > 0 ? BigDecimal.ONE : aboveFastest;
            this.slow = up(budget.multiply(ticketFactor).multiply(new BigDecimal("1.1")));
            this.within = budget.multiply(new BigDecimal("0.9")).round(new MathContext(3, RoundingMode.FLOOR));
            int scale = Math.max(2, List.of(fast, slow, within).stream().mapToInt(r -> r.stripTrailingZeros().scale()).max().orElse(0));
            this.requestsPerMinute = BigDecimal.ONE.movePointRight(scale).longValueExact();
            this.subject = objective.service().name() + " " + objective.kind().label();
        }

        List<Node> groups() {
            String fastName = objective.alertName(SloRulesRenderer.FAST_BURN);
            String slowName = objective.alertName(SloRulesRenderer.SLOW_BURN);
            List<Node> groups = new ArrayList<>();
            List<Node> recorded = new ArrayList<>();
            long badPerMinute = fast.multiply(BigDecimal.valueOf(requestsPerMinute)).longValueExact();
            for (String window : SloRulesRenderer.WINDOWS) {
                // in bad requests per minute's requests, rounded: the ratio itself is a quotient of floats
                recorded.add(map("expr", "round(" + objective.recorded(window) + " * " + requestsPerMinute + ")", "eval_time", minutes(READ_AT),
                        "exp_samples", list(map("labels", "{" + PromQl.service(objective.service().name()) + "," + SloRulesRenderer.SLO_LABEL
                                + "=\"" + objective.kind().label() + "\"}", "value", Expr.literal(Long.class, badPerMinute)))));
            }
            groups.add(map(
                    "name", subject + ": " + fast.toPlainString() + " of the requests bad (above 14.4 times the budget "
                            + budget.toPlainString() + "): every window records it, the page and the ticket fire",
                    "interval", EVALUATION_INTERVAL,
                    "input_series", series(constant(fast), false),
                    "alert_rule_test", list(
                            firing(fastName, SloRulesRenderer.PAGE, "critical", READ_AT, fast.doubleValue()),
                            firing(slowName, SloRulesRenderer.TICKET, "warning", READ_AT, fast.doubleValue())),
                    "promql_expr_test", list(recorded)));
            groups.add(map(
                    "name", subject + ": " + slow.toPlainString() + " bad (above 3 times the budget, below 6): the ticket fires, not the page",
                    "interval", EVALUATION_INTERVAL,
                    "input_series", series(constant(slow), false),
                    "alert_rule_test", list(
                            quiet(fastName, READ_AT),
                            firing(slowName, SloRulesRenderer.TICKET, "warning", READ_AT, slow.doubleValue()))));
            groups.add(map(
                    "name", subject + ": " + within.toPlainString() + " bad (within the budget): both stay quiet",
                    "interval", EVALUATION_INTERVAL,
                    "input_series", series(constant(within), false),
                    "alert_rule_test", list(quiet(fastName, READ_AT), quiet(slowName, READ_AT))));
            double stillRatio = fast.doubleValue() * ERROR_MINUTES / PAGE_STILL_AT;
            double stoppedRatio = fast.doubleValue() * ERROR_MINUTES / PAGE_STOPPED_AT;
            groups.add(map(
                    "name", subject + ": " + fast.toPlainString() + " bad for " + ERROR_MINUTES + "m, then none: the page holds on 6h and 30m, "
                            + "stops when the 30m window is clean; the ticket goes on",
                    "interval", EVALUATION_INTERVAL,
                    "input_series", series(burstThenClean(), true),
                    "alert_rule_test", list(
                            firing(fastName, SloRulesRenderer.PAGE, "critical", PAGE_STILL_AT, stillRatio),
                            quiet(fastName, PAGE_STOPPED_AT),
                            firing(slowName, SloRulesRenderer.TICKET, "warning", PAGE_STOPPED_AT, stoppedRatio))));
            return groups;
        }

        /** Bad requests a minute, minute by minute, as promtool's expanding notation of the counters. */
        private record Shape(long badPerMinute, int minutes, long badAfter, int minutesAfter) {}

        private Shape constant(BigDecimal ratio) {
            return new Shape(ratio.multiply(BigDecimal.valueOf(requestsPerMinute)).longValueExact(), READ_AT, 0, 0);
        }

        private Shape burstThenClean() {
            return new Shape(fast.multiply(BigDecimal.valueOf(requestsPerMinute)).longValueExact(), ERROR_MINUTES, 0,
                    PAGE_STOPPED_AT - ERROR_MINUTES);
        }

        /** The runtime's series for {@code shape}: the request counter by status, or the latency histogram's buckets. */
        private Node series(Shape shape, boolean normalizedLe) {
            Map<String, String> series = new LinkedHashMap<>();
            long good = requestsPerMinute - shape.badPerMinute();
            long goodAfter = requestsPerMinute - shape.badAfter();
            if (objective.kind() == Kind.AVAILABILITY) {
                series.put(requestSeries(GOOD_STATUS), counter(good, shape.minutes(), goodAfter, shape.minutesAfter()));
                series.put(requestSeries(BAD_STATUS), counter(shape.badPerMinute(), shape.minutes(), shape.badAfter(), shape.minutesAfter()));
            } else {
                // The good requests take as long as the threshold, the bad ones land in the next bucket (or beyond the last).
                double threshold = objective.threshold().value();
                for (double bound : Observability.HTTP_DURATION_BUCKETS) {
                    long perMinute = bound < threshold ? 0 : bound == threshold ? good : requestsPerMinute;
                    long perMinuteAfter = bound < threshold ? 0 : bound == threshold ? goodAfter : requestsPerMinute;
                    series.put(bucketSeries(le(bound, normalizedLe)), counter(perMinute, shape.minutes(), perMinuteAfter, shape.minutesAfter()));
                }
                series.put(bucketSeries("+Inf"), counter(requestsPerMinute, shape.minutes(), requestsPerMinute, shape.minutesAfter()));
            }
            return list(series.entrySet().stream().map(s -> map("series", s.getKey(), "values", s.getValue())).toList());
        }

        private String requestSeries(String status) {
            return Labelled.of(Metrics.HTTP_REQUESTS, Metrics.HTTP_REQUESTS.name(), Map.of(Metrics.SERVICE, objective.service().name(),
                    Metrics.METHOD, METHOD, Metrics.ROUTE, objective.service().path(), Metrics.STATUS, status));
        }

        private String bucketSeries(String le) {
            MetricFamily family = Metrics.HTTP_REQUEST_DURATION;
            Map<String, String> labels = new LinkedHashMap<>(Map.of(Metrics.SERVICE, objective.service().name(), Metrics.METHOD, METHOD,
                    Metrics.ROUTE, objective.service().path()));
            labels.put(Labelled.LE, le);
            return Labelled.of(family, family.bucketSeries(), labels);
        }

        private Node firing(String alert, List<BurnRate> pairs, String severity, int at, double value) {
            Map<String, String> annotations = new LinkedHashMap<>();
            annotations.put("summary", SloRulesRenderer.summary(objective, alert.endsWith(SloRulesRenderer.FAST_BURN)
                    ? SloRulesRenderer.FAST_BURN : SloRulesRenderer.SLOW_BURN));
            annotations.put("description", SloRulesRenderer.description(objective, pairs).value()
                    .replace("{{ $value | humanizePercentage }}", humanizePercentage(value)));
            if (!runbooks.isEmpty()) {
                annotations.put("runbook_url", runbooks + "#" + SloRulesRenderer.RUNBOOK_ANCHOR);
            }
            return map("alertname", alert, "eval_time", minutes(at), "exp_alerts", list(map(
                    "exp_labels", map("severity", severity, "service", objective.service().name(),
                            SloRulesRenderer.SLO_LABEL, objective.kind().label()),
                    "exp_annotations", map(annotations.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                            .toArray()))));
        }

        private static Node quiet(String alert, int at) {
            return map("alertname", alert, "eval_time", minutes(at), "exp_alerts", list());
        }
    }

    /** Upwards to three significant digits. */
    private static BigDecimal up(BigDecimal value) {
        return value.round(new MathContext(THREE_DIGITS.getPrecision(), RoundingMode.CEILING));
    }

    /**
     * A counter rising {@code perMinute} for {@code minutes}, then {@code perMinuteAfter} for
     * {@code minutesAfter} more: {@code 0+7920x10}, or {@code 0+7920x60 475200+0x40}. Always
     * {@code a+bxn}: {@code 0x5} would read as a hexadecimal number.
     */
    private static String counter(long perMinute, int minutes, long perMinuteAfter, int minutesAfter) {
        String first = "0+" + perMinute + "x" + minutes;
        if (minutesAfter == 0) {
            return first;
        }
        return first + " " + (perMinute * minutes + perMinuteAfter) + "+" + perMinuteAfter + "x" + (minutesAfter - 1);
    }

    /** A bucket bound as the runtime writes it ({@code 1}, {@code 2.5}), or as Prometheus 3 stores it ({@code 1.0}). */
    static String le(double bound, boolean normalized) {
        String text = ScalarText.number(bound);
        return normalized && !text.contains(".") ? text + ".0" : text;
    }

    /** Prometheus' {@code humanizePercentage}: Go's {@code %.4g} of the value times 100, and a percent sign. */
    static String humanizePercentage(double value) {
        BigDecimal percent = new BigDecimal(value * 100).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return (percent.scale() < 0 ? percent.setScale(0) : percent).toPlainString() + "%";
    }

    private static String minutes(int minutes) {
        return minutes + "m";
    }

    /** A series with every label of its family, in the family's order, {@code le} last. */
    static final class Labelled {
        static final String LE = "le";

        private Labelled() {}

        static String of(MetricFamily family, String name, Map<String, String> values) {
            StringJoiner labels = new StringJoiner(",", name + "{", "}");
            for (String label : family.labels()) {
                String value = values.get(label);
                if (value == null) {
                    throw new IllegalStateException(family.name() + " has the label " + label + ", which the SLO tests do not set");
                }
                labels.add(label + "=\"" + value + "\"");
            }
            if (values.containsKey(LE)) {
                labels.add(LE + "=\"" + values.get(LE) + "\"");
            }
            if (values.keySet().stream().anyMatch(label -> !label.equals(LE) && !family.labels().contains(label))) {
                throw new IllegalStateException("a label the runtime does not export on " + family.name() + ": " + values.keySet());
            }
            return labels.toString();
        }
    }
}
