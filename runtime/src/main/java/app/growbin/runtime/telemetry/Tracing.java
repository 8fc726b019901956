package app.growbin.runtime.telemetry;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's OpenTelemetry: on when an OTLP endpoint is configured
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}), then the SDK
 * is set up by its own autoconfiguration from the standard {@code OTEL_*} variables (sampler,
 * resource, batch processor, exporter headers and timeouts), with these defaults: OTLP over
 * HTTP/protobuf, {@code service.name} = the service's name, no metric or log export (metrics are
 * Prometheus', logs go to standard output). Off otherwise: no SDK, no exporter, no thread; the W3C
 * trace context of an incoming request or message is still passed on unchanged, so a process without
 * tracing does not cut a trace in two. Not registered as the global OpenTelemetry: the runtime
 * passes this instance to the HTTP server, the task client and the worker.
 */
public final class Tracing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    /** Instrumentation scope of every span the runtime starts. */
    public static final String SCOPE = "app.growbin.runtime";
    private static final TextMapPropagator W3C = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
            W3CBaggagePropagator.getInstance());
    private static final Tracing OFF = new Tracing(OpenTelemetry.propagating(ContextPropagators.create(W3C)), null);

    private final OpenTelemetry openTelemetry;
    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;

    private Tracing(OpenTelemetry openTelemetry, OpenTelemetrySdk sdk) {
        this.openTelemetry = openTelemetry;
        this.sdk = sdk;
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /** No spans recorded; trace context passed on. */
    public static Tracing off() {
        return OFF;
    }

    /** Spans recorded into and exported by {@code openTelemetry} (tests give an SDK with an in-memory exporter). */
    public static Tracing of(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry, openTelemetry instanceof OpenTelemetrySdk s ? s : null);
    }

    /** Whether {@code env} turns tracing on: an OTLP endpoint, the SDK not disabled, the exporter not {@code none}. */
    public static boolean enabled(Env env) {
        boolean endpoint = env.find(EnvVars.OTEL_EXPORTER_OTLP_ENDPOINT).filter(v -> !v.isBlank()).isPresent()
                || env.find(EnvVars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).filter(v -> !v.isBlank()).isPresent();
        boolean disabled = env.get(EnvVars.OTEL_SDK_DISABLED, "false").trim().equalsIgnoreCase("true");
        boolean noExporter = env.get(EnvVars.OTEL_TRACES_EXPORTER, "otlp").trim().equalsIgnoreCase("none");
        return endpoint && !disabled && !noExporter;
    }

    /** From the environment (see the class comment); {@code serviceName} is the default {@code service.name}. */
    public static Tracing fromEnv(Env env, String serviceName) {
        if (!enabled(env)) {
            return off();
        }
        Map<String, String> configured = sdkProperties(env);
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        String resource = env.get(EnvVars.OTEL_RESOURCE_ATTRIBUTES, "");
        if (!resource.matches("(?s).*(^|,)\\s*service\\.name\\s*=.*")) {
            defaults.put("otel.service.name", serviceName);
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(ignored -> configured)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        LOG.info("tracing on: OTLP to {}, sampler {}", env.find(EnvVars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
                .orElse(env.get(EnvVars.OTEL_EXPORTER_OTLP_ENDPOINT, "")), env.get(EnvVars.OTEL_TRACES_SAMPLER,
                "parentbased_always_on"));
        return new Tracing(sdk, sdk);
    }

    /** Every {@code OTEL_*} variable of {@code env} as the SDK's property ({@code OTEL_TRACES_SAMPLER} → {@code otel.traces.sampler}). */
    static Map<String, String> sdkProperties(Env env) {
        Map<String, String> props = new LinkedHashMap<>();
        env.all().forEach((name, value) -> {
            if (name.startsWith(EnvVars.OTEL_PREFIX)) {
                props.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return props;
    }

    public boolean enabled() {
        return sdk != null;
    }

    public Tracer tracer() {
        return tracer;
    }

    public TextMapPropagator propagator() {
        return openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** The context a carrier (message or request headers) brings, on top of {@code Context.root()}. */
    public <C> Context extract(C carrier, Function<String, String> get) {
        return propagator().extract(Context.root(), carrier, new TextMapGetter<C>() {
            @Override
            public Iterable<String> keys(C c) {
                return propagator().fields();
            }

            @Override
            public String get(C c, String key) {
                return c == null ? null : get.apply(key);
            }
        });
    }

    /** The headers that carry {@code context} ({@code traceparent}, then {@code tracestate} and {@code baggage} when not empty). */
    public Map<String, String> inject(Context context) {
        Map<String, String> headers = new LinkedHashMap<>();
        propagator().inject(context, headers, (map, key, value) -> map.put(key, value));
        return headers;
    }

    /** Exports what is still buffered (up to 5 s) and stops the SDK's threads. */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
