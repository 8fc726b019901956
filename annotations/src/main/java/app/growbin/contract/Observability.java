package app.growbin.contract;

import java.util.List;

/**
 * What tracing, logging, the generated dashboards and the SLO rules rely on: the OpenTelemetry and
 * log-format variables the manifests write into the shared ConfigMap, the bucket bounds of the request
 * latency histogram (an SLO's latency threshold must be one), and the values of the task counter's
 * {@link Metrics#STATE} label that the dashboards select.
 */
public final class Observability {

    /** The OTLP collector the services export spans to, such as {@code http://otel-collector:4318}; tracing is off without it. */
    public static final String OTEL_EXPORTER_OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    /** The OpenTelemetry sampler, such as {@value #PARENT_BASED_TRACE_ID_RATIO}. */
    public static final String OTEL_TRACES_SAMPLER = "OTEL_TRACES_SAMPLER";
    /** The sampler's argument: for {@value #PARENT_BASED_TRACE_ID_RATIO}, the fraction of new traces kept. */
    public static final String OTEL_TRACES_SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG";
    /** Follows the caller's decision; a trace that starts here is kept with the probability of {@link #OTEL_TRACES_SAMPLER_ARG}. */
    public static final String PARENT_BASED_TRACE_ID_RATIO = "parentbased_traceidratio";

    /** How log lines are written: {@value #LOG_FORMAT_JSON} (one JSON object a line) or {@value #LOG_FORMAT_TEXT}. */
    public static final String LOG_FORMAT = "LOG_FORMAT";
    public static final String LOG_FORMAT_JSON = "json";
    public static final String LOG_FORMAT_TEXT = "text";

    /** The bucket bounds of {@link Metrics#HTTP_REQUEST_DURATION}, in seconds (Prometheus' default buckets). */
    public static final List<Double> HTTP_DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

    // Values of the STATE label of Metrics.WORKER_TASKS.
    public static final String TASK_RECEIVED = "received";
    public static final String TASK_SUCCEEDED = "succeeded";
    public static final String TASK_RETRIED = "retried";
    public static final String TASK_FAILED = "failed";
    public static final String TASK_REVOKED = "revoked";
    public static final String TASK_DEAD_LETTERED = "dead_lettered";
    /** Every state, in the order a task passes through them. */
    public static final List<String> TASK_STATES = List.of(TASK_RECEIVED, TASK_SUCCEEDED, TASK_RETRIED, TASK_FAILED, TASK_REVOKED,
            TASK_DEAD_LETTERED);

    private Observability() {}
}
