package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The service level objectives of a REST service, over 30 days. For each objective the generated
 * {@code monitoring/prometheusrule-slo.yaml} records the service's error ratio over the windows of
 * the SRE workbook (5m, 30m, 1h, 2h, 6h, 1d, 3d) and alerts on the rate the error budget burns:
 * {@code <Service><Objective>FastBurn} pages (14.4 times the budget over 1h and 5m, or 6 times over 6h
 * and 30m), {@code <Service><Objective>SlowBurn} opens a ticket (3 times over 1d and 2h, or once over
 * 3d and 6h). A member left at 0 declares no such objective.
 *
 * <pre>{@code
 * @RestService(path = "/api/v1/waste")
 * @Slo(availability = 99.5, latencyPercentile = 99, latencyThresholdSeconds = 2.5)
 * public final class WasteApi implements RestApi { ... }
 * }</pre>
 *
 * <p>Overridable per environment as {@code api.rest.<name>.slo.availability},
 * {@code slo.latency.percentile} and {@code slo.latency.thresholdSeconds} (0 turns one off).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Slo {

    /**
     * Percent of the requests answered without a 5xx status, such as 99.5; above 93.06 (below it a
     * 14.4-fold burn of the budget is more than every request failing) and below 100.
     */
    double availability() default 0;

    /**
     * Percent of the requests answered within {@link #latencyThresholdSeconds()}, such as 99; the same
     * range as {@link #availability()}.
     */
    double latencyPercentile() default 0;

    /**
     * The latency threshold in seconds: a bucket bound of {@code http_request_duration_seconds}
     * ({@code app.growbin.contract.Observability.HTTP_DURATION_BUCKETS}), since the rules count the
     * requests at or below a bucket.
     */
    double latencyThresholdSeconds() default 0;
}
