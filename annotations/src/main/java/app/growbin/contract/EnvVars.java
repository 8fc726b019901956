package app.growbin.contract;

import java.util.Set;

/**
 * The environment variables of the containers. Those in {@link #SET_BY_GROWBIN} are written by the
 * generated Deployments; an {@code @Env} or a values file may not set them. The others are optional
 * runtime settings with defaults, which {@code @Env} or the values' {@code env} may set.
 */
public final class EnvVars {

    /** The service's name: metric labels, log lines. */
    public static final String SERVICE_NAME = "SERVICE_NAME";
    /** A REST service's port; the declared {@code @RestService.port}. */
    public static final String HTTP_PORT = "HTTP_PORT";
    /** A worker's probe and metrics port; {@link Endpoints#WORKER_METRICS_PORT}. */
    public static final String METRICS_PORT = "METRICS_PORT";
    /**
     * The address the HTTP server (routes, probes, metrics) binds to: {@link Endpoints#ALL_INTERFACES}
     * by default, as a container needs; {@code 127.0.0.1} on a developer's machine (scripts/dev.sh).
     */
    public static final String BIND_ADDRESS = "BIND_ADDRESS";
    /** A worker's queue; {@code @AsyncWorker.queue}. */
    public static final String QUEUE_NAME = "QUEUE_NAME";
    /** A worker's pool; a {@code Pool} name. */
    public static final String WORKER_POOL = "WORKER_POOL";
    /** A worker's parallel tasks. */
    public static final String WORKER_CONCURRENCY = "WORKER_CONCURRENCY";
    /** A worker's prefetch per task it runs at once (Celery's {@code worker_prefetch_multiplier}) [4]; not for SOLO. */
    public static final String WORKER_PREFETCH_MULTIPLIER = "WORKER_PREFETCH_MULTIPLIER";
    /** A worker's hard task time limit, in seconds. */
    public static final String TASK_TIME_LIMIT_SECONDS = "TASK_TIME_LIMIT_SECONDS";
    /** How long a stopping process may finish in-flight work, in seconds. */
    public static final String SHUTDOWN_GRACE_SECONDS = "SHUTDOWN_GRACE_SECONDS";
    /** The RabbitMQ URL, from a Secret. */
    public static final String CELERY_BROKER_URL = "CELERY_BROKER_URL";
    /** The Redis URL of the result backend, from a Secret. */
    public static final String CELERY_RESULT_BACKEND = "CELERY_RESULT_BACKEND";

    // The shared ConfigMap's keys, read through envFrom.
    public static final String APP_NAME = "APP_NAME";
    public static final String ENVIRONMENT = "ENVIRONMENT";
    public static final String DOMAIN = "DOMAIN";
    public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";
    /** Followed by the model's key in upper case: {@code OPENAI_MODEL_VISION}. */
    public static final String OPENAI_MODEL_PREFIX = "OPENAI_MODEL_";

    // Optional runtime settings, with the runtime's defaults.
    public static final String TASK_MAX_RETRIES = "TASK_MAX_RETRIES";
    public static final String TASK_RETRY_BACKOFF_MS = "TASK_RETRY_BACKOFF_MS";
    public static final String DEAD_LETTER_QUEUE = "DEAD_LETTER_QUEUE";
    public static final String CELERY_RESULT_EXPIRES = "CELERY_RESULT_EXPIRES";
    /** How long a stopping REST service answers 503 on readiness before it closes its socket, in seconds. */
    public static final String SHUTDOWN_DRAIN_SECONDS = "SHUTDOWN_DRAIN_SECONDS";
    /**
     * How the runtime declares its queues: {@code classic} (default, as Celery declares them) or
     * {@code quorum} ({@code x-queue-type: quorum}, replicated over a RabbitMQ cluster). Every worker
     * and every REST service that sends tasks must use the same value (values key {@code celery.queueType}).
     */
    public static final String CELERY_QUEUE_TYPE = "CELERY_QUEUE_TYPE";
    /** The largest message body sent or accepted, in bytes (RabbitMQ's {@code max_message_size}); default 128 MiB. */
    public static final String CELERY_MAX_MESSAGE_BYTES = "CELERY_MAX_MESSAGE_BYTES";
    /** A worker's soft task time limit, in seconds (the task sees an interrupt); unset for none. */
    public static final String TASK_SOFT_TIME_LIMIT_SECONDS = "TASK_SOFT_TIME_LIMIT_SECONDS";
    /** Deliveries of one message that never finished (its worker died) before it is dead-lettered; default 10. */
    public static final String TASK_MAX_REDELIVERIES = "TASK_MAX_REDELIVERIES";
    /** First wait when Redis or RabbitMQ is unreachable while a task's outcome is recorded, in ms; default 500. */
    public static final String TASK_TRANSIENT_BACKOFF_MIN_MS = "TASK_TRANSIENT_BACKOFF_MIN_MS";
    /** Longest wait between two such attempts, in ms; default 30000. */
    public static final String TASK_TRANSIENT_BACKOFF_MAX_MS = "TASK_TRANSIENT_BACKOFF_MAX_MS";
    /** Attempts before the message goes back to its queue; default 10. */
    public static final String TASK_TRANSIENT_ATTEMPTS = "TASK_TRANSIENT_ATTEMPTS";

    // HTTP limits of a REST service (runtime defaults in brackets); @Env or the values' env override them per service.
    /** Largest request body, in bytes; more is a 413 [1048576]. */
    public static final String HTTP_MAX_BODY_BYTES = "HTTP_MAX_BODY_BYTES";
    /** Longest request target (path and query), in bytes; more is a 414 [8192]. */
    public static final String HTTP_MAX_URL_BYTES = "HTTP_MAX_URL_BYTES";
    /** Largest request line plus headers, in bytes; more is a 431 [16384]. */
    public static final String HTTP_MAX_HEADER_BYTES = "HTTP_MAX_HEADER_BYTES";
    /** A connection with no byte moving for this long is closed, in seconds [30]. */
    public static final String HTTP_IDLE_TIMEOUT_SECONDS = "HTTP_IDLE_TIMEOUT_SECONDS";
    /** The whole request body must arrive within this time, in seconds; otherwise 408 [10]. */
    public static final String HTTP_BODY_TIMEOUT_SECONDS = "HTTP_BODY_TIMEOUT_SECONDS";
    /** Open connections at most; more wait in the accept queue [512]. */
    public static final String HTTP_MAX_CONNECTIONS = "HTTP_MAX_CONNECTIONS";
    /** Handler threads at most when not on virtual threads [64]; more requests wait in a bounded queue, then 503. */
    public static final String HTTP_MAX_THREADS = "HTTP_MAX_THREADS";
    /** Request bodies held in memory at once, all requests together, in bytes; more is a 503 [a quarter of the heap]. */
    public static final String HTTP_BODY_MEMORY_BYTES = "HTTP_BODY_MEMORY_BYTES";
    /** Proxies in front of the pod that append to X-Forwarded-For (the ingress: 1); 0 uses the peer address [0]. */
    public static final String HTTP_TRUSTED_PROXY_HOPS = "HTTP_TRUSTED_PROXY_HOPS";

    // Rate limits (app.growbin.runtime.ratelimit): the routes a service declares rate-limited share one budget per caller,
    // counted in the Redis of CELERY_RESULT_BACKEND so that it holds across replicas.
    /** Requests a caller may make to the service's rate-limited routes within the window; more is a 429 [30]. */
    public static final String RATE_LIMIT_REQUESTS = "RATE_LIMIT_REQUESTS";
    /** The length of that sliding window, in seconds [60]. */
    public static final String RATE_LIMIT_WINDOW_SECONDS = "RATE_LIMIT_WINDOW_SECONDS";

    // Tokens (app.growbin.runtime.auth): every service with a non-public route verifies them.
    /** The HMAC keys, from a Secret: {@code kid=secret} entries separated by commas; the first signs, the others still verify. */
    public static final String AUTH_SIGNING_KEYS = "AUTH_SIGNING_KEYS";
    /** The {@code iss} tokens carry and must carry ["growbin"]. */
    public static final String AUTH_ISSUER = "AUTH_ISSUER";
    /** The {@code aud} tokens carry and must carry ["growbin-api"]. */
    public static final String AUTH_AUDIENCE = "AUTH_AUDIENCE";
    /** Access-token lifetime, in seconds [900]. */
    public static final String AUTH_TOKEN_LIFETIME_SECONDS = "AUTH_TOKEN_LIFETIME_SECONDS";

    // PostgreSQL (app.growbin.runtime.db), for a service that keeps state there; URL and credentials from a Secret.
    /** {@code jdbc:postgresql://host:5432/db}. */
    public static final String DATABASE_URL = "DATABASE_URL";
    public static final String DATABASE_USER = "DATABASE_USER";
    public static final String DATABASE_PASSWORD = "DATABASE_PASSWORD";
    /** Connections per replica [5]. */
    public static final String DATABASE_POOL_SIZE = "DATABASE_POOL_SIZE";
    /** How long a request waits for a connection before its 503, in milliseconds [2000]. */
    public static final String DATABASE_CONNECT_TIMEOUT_MS = "DATABASE_CONNECT_TIMEOUT_MS";

    // Logs (app.growbin.runtime.logging): one line per event on standard output.
    /**
     * {@code json} (one JSON object per line: timestamp, level, service, logger, message, trace_id,
     * span_id, task_id, queue, ...) or {@code text} (human-readable, for local runs) [text]. The
     * generated manifests set {@code json}.
     */
    public static final String LOG_FORMAT = "LOG_FORMAT";
    /** The root log level: {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR} [INFO]. */
    public static final String LOG_LEVEL = "LOG_LEVEL";

    // Traces (app.growbin.runtime.telemetry): OpenTelemetry's standard variables, read by the SDK's
    // autoconfiguration. Tracing is off (no SDK, no exporter thread) unless an OTLP endpoint is set.
    /** Prefix of every OpenTelemetry SDK variable the runtime passes on to the SDK. */
    public static final String OTEL_PREFIX = "OTEL_";
    /** The OTLP/HTTP base URL, such as {@code http://otel-collector:4318}; spans go to {@code <url>/v1/traces}. Unset: tracing off. */
    public static final String OTEL_EXPORTER_OTLP_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    /** The full URL for spans alone (used as given); also turns tracing on. */
    public static final String OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    /** [http/protobuf]; {@code grpc} needs a gRPC sender the image does not ship. */
    public static final String OTEL_EXPORTER_OTLP_PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
    /** The sampler, such as {@code parentbased_traceidratio} [parentbased_always_on]. */
    public static final String OTEL_TRACES_SAMPLER = "OTEL_TRACES_SAMPLER";
    /** The sampler's argument: the ratio 0..1 for {@code traceidratio} / {@code parentbased_traceidratio} [1.0]. */
    public static final String OTEL_TRACES_SAMPLER_ARG = "OTEL_TRACES_SAMPLER_ARG";
    /** The {@code service.name} of the spans [{@link #SERVICE_NAME}]. */
    public static final String OTEL_SERVICE_NAME = "OTEL_SERVICE_NAME";
    /** Extra resource attributes, {@code key=value,key=value} (W3C baggage syntax). */
    public static final String OTEL_RESOURCE_ATTRIBUTES = "OTEL_RESOURCE_ATTRIBUTES";
    /** {@code true} turns tracing off even with an endpoint [false]. */
    public static final String OTEL_SDK_DISABLED = "OTEL_SDK_DISABLED";
    /** {@code none} turns tracing off even with an endpoint [otlp]. */
    public static final String OTEL_TRACES_EXPORTER = "OTEL_TRACES_EXPORTER";

    /** The JVM's own options variable: the Deployments' command line owns the JVM options. */
    public static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

    /** The variables the generated Deployments set themselves. */
    public static final Set<String> SET_BY_GROWBIN = Set.of(SERVICE_NAME, HTTP_PORT, METRICS_PORT, QUEUE_NAME, WORKER_POOL,
            WORKER_CONCURRENCY, TASK_TIME_LIMIT_SECONDS, SHUTDOWN_GRACE_SECONDS, CELERY_BROKER_URL, CELERY_RESULT_BACKEND);

    /** What {@code @Env} and the values' {@code env} may not set: {@link #SET_BY_GROWBIN} and {@link #JAVA_TOOL_OPTIONS}. */
    public static final Set<String> RESERVED = Set.of(SERVICE_NAME, HTTP_PORT, METRICS_PORT, QUEUE_NAME, WORKER_POOL,
            WORKER_CONCURRENCY, TASK_TIME_LIMIT_SECONDS, SHUTDOWN_GRACE_SECONDS, CELERY_BROKER_URL, CELERY_RESULT_BACKEND,
            JAVA_TOOL_OPTIONS);

    private EnvVars() {}
}
