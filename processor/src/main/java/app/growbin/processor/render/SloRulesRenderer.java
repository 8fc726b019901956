package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.ScalarText;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.List;

/**
 * The service level objectives of the REST services ({@code @Slo}, {@code api.rest.<name>.slo.*}) as
 * Prometheus rules, after the SRE workbook's "Alerting on SLOs" (multiwindow, multi-burn-rate alerts):
 * per objective, the ratio of bad requests over each window the alerts read, recorded as
 * {@code growbin:slo_errors_per_request:ratio_rate<window>{service, slo}}, then two alerts. The error
 * budget is {@code 1 - objective / 100} over 30 days; a burn rate of 1 spends it in exactly 30 days.
 * {@code <Service><Objective>FastBurn} pages (severity critical) when the ratio exceeds 14.4 times the
 * budget over 1h and over 5m (2% of the budget in an hour), or 6 times over 6h and 30m (5% in six
 * hours); {@code <Service><Objective>SlowBurn} opens a ticket (severity warning) at 3 times over 1d
 * and 2h (10% in a day) or once over 3d and 6h. The long window makes an alert significant, the short
 * one lets it stop soon after the errors do; the alerts need no {@code for}.
 *
 * <p>A bad request is a 5xx answer for the availability objective, and one slower than the
 * threshold, a bucket bound of the latency histogram, for the latency objective: both from
 * {@link PromQl}, as the error-rate alert and the dashboards.
 */
final class SloRulesRenderer {

    static final String RECORD_PREFIX = "growbin:slo_errors_per_request:ratio_rate";
    /** The label that names the objective on the recorded series and the alerts. */
    static final String SLO_LABEL = "slo";
    /** Every window a burn-rate pair reads, shortest first. */
    static final List<String> WINDOWS = List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d");
    /** The pairs of {@code <Service><Objective>FastBurn}: a page. */
    static final List<BurnRate> PAGE = List.of(new BurnRate(14.4, "1h", "5m"), new BurnRate(6, "6h", "30m"));
    /** The pairs of {@code <Service><Objective>SlowBurn}: a ticket. */
    static final List<BurnRate> TICKET = List.of(new BurnRate(3, "1d", "2h"), new BurnRate(1, "3d", "6h"));
    static final String FAST_BURN = "FastBurn";
    static final String SLOW_BURN = "SlowBurn";

    /** An alert condition: the bad-request ratio above {@code factor} times the budget over both windows. */
    record BurnRate(double factor, String longWindow, String shortWindow) {}

    /** What an objective counts as a bad request. */
    enum Kind {
        AVAILABILITY("availability", "Availability"),
        LATENCY("latency", "Latency");

        private final String label;
        private final String title;

        Kind(String label, String title) {
            this.label = label;
            this.title = title;
        }

        /** The value of the {@code slo} label. */
        String label() {
            return label;
        }
    }

    /**
     * One objective of one REST service.
     *
     * @param exists whether the service is enabled and the objective set (above 0)
     * @param target the objective in percent, such as 99.5
     * @param threshold the latency threshold in seconds; for availability, none
     */
    record Objective(RestServiceModel service, Kind kind, Expr<Boolean> exists, Expr<Double> target, Expr<Double> threshold) {

        /** {@code WasteAvailabilityFastBurn}. */
        String alertName(String speed) {
            return AlertRulesRenderer.camel(service.name()) + kind.title + speed;
        }

        /** The ratio of bad requests over {@code window}, as the recording rule computes it. */
        Expr<String> badRatio(String window) {
            return kind == Kind.AVAILABILITY ? Expr.text(PromQl.serverErrorRatio(service.name(), window))
                    : PromQl.slowRatio(service.name(), threshold, window);
        }

        /** {@code growbin:slo_errors_per_request:ratio_rate1h{service="waste",slo="availability"}}. */
        String recorded(String window) {
            return RECORD_PREFIX + window + "{" + PromQl.service(service.name()) + "," + SLO_LABEL + "=\"" + kind.label + "\"}";
        }
    }

    Node render(SettingsView view) {
        List<Objective> objectives = objectives(view);
        List<Node> rules = new ArrayList<>();
        for (Objective objective : objectives) {
            for (String window : WINDOWS) {
                rules.add(when(objective.exists(), map(
                        "record", RECORD_PREFIX + window,
                        "expr", objective.badRatio(window),
                        "labels", labels(objective))));
            }
            rules.add(when(objective.exists(), alert(view, objective, FAST_BURN, PAGE, "critical")));
            rules.add(when(objective.exists(), alert(view, objective, SLOW_BURN, TICKET, "warning")));
        }
        return when(anyExists(objectives), resource(MonitorRenderer.API_VERSION, "PrometheusRule", map(
                        "name", Labels.applicationObject(view, "-slos"),
                        "labels", Labels.shared(view, "monitoring")),
                "spec", map("groups", list(map(
                        "name", Labels.applicationObject(view, ".slo"),
                        "rules", list(rules))))));
    }

    /** Every objective the REST services may have, availability before latency, each with the condition under which it exists. */
    static List<Objective> objectives(SettingsView view) {
        List<Objective> objectives = new ArrayList<>();
        for (RestServiceModel service : view.restServices()) {
            Expr<Boolean> enabled = view.get(service, Settings.ENABLED);
            Expr<Double> availability = view.get(service, Settings.SLO_AVAILABILITY);
            objectives.add(new Objective(service, Kind.AVAILABILITY, Ops.and(enabled, Ops.positive(availability)), availability,
                    Expr.literal(Double.class, null)));
            Expr<Double> percentile = view.get(service, Settings.SLO_LATENCY_PERCENTILE);
            Expr<Double> threshold = view.get(service, Settings.SLO_LATENCY_THRESHOLD_SECONDS);
            objectives.add(new Objective(service, Kind.LATENCY, Ops.and(enabled, Ops.positive(percentile), Ops.positive(threshold)),
                    percentile, threshold));
        }
        return objectives;
    }

    static Expr<Boolean> anyExists(List<Objective> objectives) {
        return Ops.or(objectives.stream().map(Objective::exists).toList());
    }

    private static Node labels(Objective objective) {
        return map("service", objective.service().name(), SLO_LABEL, objective.kind().label());
    }

    /**
     * {@code (ratio_rate1h > (14.4 * (1 - 99.5 / 100)) and ratio_rate5m > (14.4 * (1 - 99.5 / 100))) or (...)}:
     * the budget is written from the objective as given, so the rule reads as the objective was declared.
     */
    static Expr<String> burnExpression(Objective objective, List<BurnRate> pairs) {
        List<Object> parts = new ArrayList<>();
        for (BurnRate pair : pairs) {
            parts.add(parts.isEmpty() ? "(\n" : "\nor\n(\n");
            Object[] budget = {" > (" + ScalarText.number(pair.factor()) + " * (1 - ", objective.target(), " / 100))"};
            parts.add("  " + objective.recorded(pair.longWindow()));
            parts.addAll(List.of(budget));
            parts.add("\nand\n  " + objective.recorded(pair.shortWindow()));
            parts.addAll(List.of(budget));
            parts.add("\n)");
        }
        return Ops.concat(parts.toArray());
    }

    private static Node alert(SettingsView view, Objective objective, String speed, List<BurnRate> pairs, String severity) {
        Expr<String> runbooks = view.get(Settings.RUNBOOK_BASE_URL);
        return map(
                "alert", objective.alertName(speed),
                "expr", burnExpression(objective, pairs),
                "labels", map("severity", severity, "service", objective.service().name(), SLO_LABEL, objective.kind().label()),
                "annotations", map(
                        "summary", summary(objective, speed),
                        "description", description(objective, pairs),
                        "runbook_url", when(Ops.nonEmpty(runbooks), Ops.concat(runbooks, "#" + RUNBOOK_ANCHOR))));
    }

    /** The runbook section of every burn-rate alert. */
    static final String RUNBOOK_ANCHOR = "errorbudgetburn";

    static String summary(Objective objective, String speed) {
        return "REST service " + objective.service().name() + " burns the error budget of its " + objective.kind().label()
                + " objective " + (speed.equals(FAST_BURN) ? "fast" : "steadily");
    }

    /**
     * What the alert says, {@code $value} being the bad-request ratio over the long window of the pair
     * that holds (the left side of its {@code and}).
     */
    static Expr<String> description(Objective objective, List<BurnRate> pairs) {
        List<Object> parts = new ArrayList<>();
        parts.add("{{ $value | humanizePercentage }} of the requests to " + objective.service().path());
        if (objective.kind() == Kind.AVAILABILITY) {
            parts.add(" failed with a 5xx status; the objective is ");
            parts.add(objective.target());
            parts.add("% answered without one over 30 days.");
        } else {
            parts.add(" took longer than ");
            parts.add(objective.threshold());
            parts.add("s; the objective is ");
            parts.add(objective.target());
            parts.add("% within it over 30 days.");
        }
        BurnRate first = pairs.get(0);
        BurnRate second = pairs.get(1);
        parts.add(" The error budget burns at " + times(first.factor()) + " its sustainable rate or more over "
                + first.longWindow() + " and " + first.shortWindow() + ", or " + times(second.factor()) + " over "
                + second.longWindow() + " and " + second.shortWindow() + "; at " + times(first.factor())
                + " a 30-day budget lasts " + days(first.factor()) + ".");
        return Ops.concat(parts.toArray());
    }

    private static String times(double factor) {
        return factor == 1 ? "once" : ScalarText.number(factor) + " times";
    }

    private static String days(double factor) {
        double days = 30 / factor;
        return days == Math.rint(days) ? (long) days + " days" : "about " + Math.round(days) + " days";
    }
}
