package app.growbin.runtime;

import app.growbin.contract.EnvVars;
import java.util.Map;
import java.util.Optional;

/**
 * The process configuration: environment variables, as the generated manifests set them (their names
 * are in {@link EnvVars}). Tests pass their own map instead of the real environment.
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

    public long getLong(String name, long defaultValue) {
        Optional<String> v = find(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.get());
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
    /** Every variable (read-only). */
    public Map<String, String> all() {
        return values;
    }

    public Env with(Map<String, String> overrides) {
        java.util.HashMap<String, String> copy = new java.util.HashMap<>(values);
        copy.putAll(overrides);
        return new Env(copy);
    }

    public static final String DEFAULT_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//";
    public static final String DEFAULT_RESULT_BACKEND = "redis://127.0.0.1:6379/0";

    public String brokerUrl() {
        return get(EnvVars.CELERY_BROKER_URL, DEFAULT_BROKER_URL);
    }

    public String resultBackendUrl() {
        return get(EnvVars.CELERY_RESULT_BACKEND, DEFAULT_RESULT_BACKEND);
    }
}
