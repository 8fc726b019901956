package app.growbin.processor.validate;

import app.growbin.contract.Metrics;
import app.growbin.contract.Observability;
import app.growbin.processor.problem.Rule;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.read.ValuesLayers;
import app.growbin.processor.read.WorkloadSettings;
import app.growbin.processor.settings.ScalarText;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;
import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules of the service level objectives ({@code @Slo} and {@code api.rest.<name>.slo.*}) and of
 * the tracing settings. An objective is a percentage above {@value #MINIMUM_TEXT} and below 100: at
 * 100 nothing may fail, and below {@value #MINIMUM_TEXT} the page alert's burn rate of 14.4 would mean
 * more than every request failing. A latency objective needs its threshold, a bucket bound of the
 * latency histogram, since the rules count the requests at or below a bucket.
 */
final class ObservabilityRules {

    /** 100 (1 - 1/14.4): the lowest objective whose budget a 14.4-fold burn can still exceed. */
    static final double MINIMUM_OBJECTIVE = 100 * (1 - 1 / 14.4);
    static final String MINIMUM_TEXT = "93.06";
    private static final Pattern HTTP_URL = Pattern.compile("https?://[^\\s/?#@]+(/\\S*)?");

    private final ProblemList problems;

    ObservabilityRules(ProblemList problems) {
        this.problems = problems;
    }

    /** {@code @Slo} on each class: on a REST service only, with at least one valid objective. */
    void check(Declarations declarations) {
        for (DeclaredWorkload workload : declarations.workloads()) {
            DeclaredWorkload.DeclaredSlo slo = workload.slo();
            if (slo.annotation().isEmpty()) {
                continue;
            }
            if (workload.kind() != WorkloadKind.REST) {
                problems.add(Rule.MODIFIER_NOT_APPLICABLE, slo.annotation().get(), "@Slo applies to @RestService classes: its objectives "
                        + "count HTTP requests; a worker has none: remove it");
                continue;
            }
            if (slo.availability().value() == 0 && slo.latencyPercentile().value() == 0 && slo.latencyThresholdSeconds().value() == 0) {
                problems.add(Rule.SLO, slo.annotation().get(), "@Slo declares no objective; set availability (such as 99.5), or "
                        + "latencyPercentile with latencyThresholdSeconds (such as 99 and 0.5), or remove it");
                continue;
            }
            checkObjective(slo.availability(), "@Slo.availability");
            checkObjective(slo.latencyPercentile(), "@Slo.latencyPercentile");
            checkThreshold(slo.latencyThresholdSeconds(), "@Slo.latencyThresholdSeconds");
            if (slo.latencyPercentile().value() > 0 && slo.latencyThresholdSeconds().value() == 0) {
                problems.add(Rule.SLO, slo.latencyPercentile().site(), "@Slo.latencyPercentile " + text(slo.latencyPercentile())
                        + " needs latencyThresholdSeconds, the time within which that share of the requests is answered, such as 0.5");
            } else if (slo.latencyThresholdSeconds().value() > 0 && slo.latencyPercentile().value() == 0) {
                problems.add(Rule.SLO, slo.latencyThresholdSeconds().site(), "@Slo.latencyThresholdSeconds " + text(slo.latencyThresholdSeconds())
                        + " has no latencyPercentile; set the share of the requests answered within it, such as 99");
            }
        }
    }

    /** One environment: the tracing settings and the objectives its values files change. */
    void check(ValuesLayers layers, List<DeclaredWorkload> workloads) {
        layers.get(Settings.TRACING_ENDPOINT).ifPresent(endpoint -> {
            if (Names.hasPasswordInUrl(endpoint.value())) {
                problems.add(Rule.PLAINTEXT_CREDENTIAL, endpoint.site(), Settings.TRACING_ENDPOINT.key()
                        + " is a URL with a password in plain text; it would be committed to Git; give the collector's address only");
            } else if (!HTTP_URL.matcher(endpoint.value()).matches()) {
                problems.add(Rule.VALUES_TYPE, endpoint.site(), Settings.TRACING_ENDPOINT.key() + " '" + endpoint.value()
                        + "' is not an http:// or https:// URL of an OTLP collector, such as http://otel-collector.monitoring:4318");
            }
        });
        layers.get(Settings.TRACING_SAMPLING_RATIO).ifPresent(ratio -> {
            if (ratio.value() <= 0 || ratio.value() > 1) {
                problems.add(Rule.SETTING_RANGE, ratio.site(), Settings.TRACING_SAMPLING_RATIO.key() + " is " + text(ratio)
                        + "; it must be above 0 and at most 1 (1 keeps every trace; for none, leave " + Settings.TRACING_ENDPOINT.key() + " unset)");
            }
        });
        for (DeclaredWorkload workload : workloads) {
            if (workload.kind() == WorkloadKind.REST) {
                checkValues(new WorkloadSettings(workload, layers));
            }
        }
    }

    private void checkValues(WorkloadSettings settings) {
        String name = settings.workload().name().value();
        settings.fromValues(Settings.SLO_AVAILABILITY).ifPresent(value -> checkObjective(value, key(Settings.SLO_AVAILABILITY, name)));
        settings.fromValues(Settings.SLO_LATENCY_PERCENTILE).ifPresent(value -> checkObjective(value, key(Settings.SLO_LATENCY_PERCENTILE, name)));
        settings.fromValues(Settings.SLO_LATENCY_THRESHOLD_SECONDS).ifPresent(value -> checkThreshold(value, key(Settings.SLO_LATENCY_THRESHOLD_SECONDS, name)));
        Located<Double> percentile = settings.slo(Settings.SLO_LATENCY_PERCENTILE);
        Located<Double> threshold = settings.slo(Settings.SLO_LATENCY_THRESHOLD_SECONDS);
        if (fromValues(percentile) && percentile.value() > 0 && threshold.value() == 0) {
            problems.add(Rule.SLO, percentile.site(), key(Settings.SLO_LATENCY_PERCENTILE, name) + " is " + text(percentile) + " but "
                    + key(Settings.SLO_LATENCY_THRESHOLD_SECONDS, name) + " is not set; a latency objective needs both");
        } else if (fromValues(threshold) && threshold.value() > 0 && percentile.value() == 0) {
            problems.add(Rule.SLO, threshold.site(), key(Settings.SLO_LATENCY_THRESHOLD_SECONDS, name) + " is " + text(threshold) + " but "
                    + key(Settings.SLO_LATENCY_PERCENTILE, name) + " is not set; a latency objective needs both");
        }
    }

    /** 0 (none), or above {@value #MINIMUM_TEXT} and below 100. */
    private void checkObjective(Located<Double> objective, String name) {
        double value = objective.value();
        if (value != 0 && (value <= MINIMUM_OBJECTIVE || value >= 100)) {
            problems.add(Rule.SLO, objective.site(), name + " is " + text(objective) + "; an objective is a percentage above "
                    + MINIMUM_TEXT + " and below 100, such as 99.5 (at 100 nothing may fail; below " + MINIMUM_TEXT
                    + " a burn rate of 14.4 is more than every request failing, so the page could never fire), or 0 for none");
        }
    }

    /** 0 (none), or a bucket bound of the latency histogram. */
    private void checkThreshold(Located<Double> threshold, String name) {
        if (threshold.value() != 0 && !Observability.HTTP_DURATION_BUCKETS.contains(threshold.value())) {
            problems.add(Rule.SLO, threshold.site(), name + " " + text(threshold) + " is not a bucket bound of "
                    + Metrics.HTTP_REQUEST_DURATION.name() + ", and the rules count the requests at or below a bound; use one of "
                    + Observability.HTTP_DURATION_BUCKETS.stream().map(ScalarText::of).collect(Collectors.joining(", ")));
        }
    }

    private static String key(Setting<Double> setting, String service) {
        return setting.keyFor(WorkloadKind.REST, service);
    }

    private static String text(Located<Double> value) {
        return ScalarText.of(value.value());
    }

    private static boolean fromValues(Located<?> value) {
        return value.site() instanceof Site.InValues;
    }
}
