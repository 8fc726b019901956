package app.growbin.runtime;

import java.util.Map;
import java.util.Optional;

/**
 * The process configuration: environment variables, as the generated manifests set them. Tests
 * pass their own map instead of the real environment.
 */
public final class Env {

    private final Map<String, String> values;

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The real process environment. */
    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> find(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String get(String name, String defaultValue) {
        return find(name).orElse(defaultValue);
    }

    public int getInt(String name, int defaultValue) {
        Optional<String> v = find(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v.get() + "'", e);
        }
    }

    public double getDouble(String name, double defaultValue) {
        Optional<String> v = find(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v.get());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, got '" + v.get() + "'", e);
        }
    }

    /** A copy with some variables replaced (tests, and the launcher's defaults). */
    public Env with(Map<String, String> overrides) {
        java.util.HashMap<String, String> copy = new java.util.HashMap<>(values);
        copy.putAll(overrides);
        return new Env(copy);
    }

    // The variables the generated manifests set, one constant each.
    public static final String SERVICE_NAME = "SERVICE_NAME";
    public static final String HTTP_PORT = "HTTP_PORT";
    public static final String METRICS_PORT = "METRICS_PORT";
    public static final String QUEUE_NAME = "QUEUE_NAME";
    public static final String WORKER_POOL = "WORKER_POOL";
    public static final String WORKER_CONCURRENCY = "WORKER_CONCURRENCY";
    public static final String CELERY_BROKER_URL = "CELERY_BROKER_URL";
    public static final String CELERY_RESULT_BACKEND = "CELERY_RESULT_BACKEND";
    public static final String OPENAI_API_KEY = "OPENAI_API_KEY";
    public static final String OPENAI_BASE_URL = "OPENAI_BASE_URL";
    public static final String OPENAI_MODEL_VISION = "OPENAI_MODEL_VISION";
    public static final String OPENAI_MODEL_LLM = "OPENAI_MODEL_LLM";
    public static final String APP_NAME = "APP_NAME";
    public static final String ENVIRONMENT = "ENVIRONMENT";
    public static final String AUTH_SIGNING_KEY = "AUTH_SIGNING_KEY";
    // Runtime tuning, all optional.
    public static final String TASK_MAX_RETRIES = "TASK_MAX_RETRIES";
    public static final String TASK_RETRY_BACKOFF_MS = "TASK_RETRY_BACKOFF_MS";
    public static final String TASK_TIME_LIMIT_SECONDS = "TASK_TIME_LIMIT_SECONDS";
    public static final String DEAD_LETTER_QUEUE = "DEAD_LETTER_QUEUE";
    public static final String CELERY_RESULT_EXPIRES = "CELERY_RESULT_EXPIRES";
    public static final String SHUTDOWN_DRAIN_SECONDS = "SHUTDOWN_DRAIN_SECONDS";
    public static final String SHUTDOWN_GRACE_SECONDS = "SHUTDOWN_GRACE_SECONDS";

    public static final String DEFAULT_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//";
    public static final String DEFAULT_RESULT_BACKEND = "redis://127.0.0.1:6379/0";

    public String brokerUrl() {
        return get(CELERY_BROKER_URL, DEFAULT_BROKER_URL);
    }

    public String resultBackendUrl() {
        return get(CELERY_RESULT_BACKEND, DEFAULT_RESULT_BACKEND);
    }
}
