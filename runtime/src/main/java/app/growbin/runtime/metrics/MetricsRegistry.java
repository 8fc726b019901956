package app.growbin.runtime.metrics;

import app.growbin.contract.MetricFamily;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The metrics of one process, kept by the Prometheus Java client ({@code io.prometheus:prometheus-metrics-*}):
 * the families of the runtime contract ({@link app.growbin.contract.Metrics}), built from their
 * {@link MetricFamily} so that the names, types, help texts and label names the rules select are
 * the contract's, plus, for a launched process, the client's JVM and process metrics.
 *
 * <p>{@link #scrape(String)} answers in the format the scraper asks for in its {@code Accept}
 * header: OpenMetrics 1.0 (what Prometheus asks for first; carries exemplars, the trace of a
 * sampled request next to its bucket) or the Prometheus text format 0.0.4 (anything else).
 * Each instance has its own registry, so several services in one JVM (tests) do not mix.
 */
public final class MetricsRegistry {

    /** Prometheus' default buckets, in seconds. */
    public static final double[] DEFAULT_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** What {@link #scrape()} writes: the Prometheus text format. */
    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Map<String, Object> families = new ConcurrentHashMap<>();

    /** Adds the client's JVM and process metrics (memory pools, GC, threads, classes, CPU, RSS, file descriptors). */
    public MetricsRegistry withJvmMetrics() {
        JvmMetrics.builder().register(registry);
        return this;
    }

    /** The counter of a family of the runtime contract; its exposed name is the family's (ending in {@code _total}). */
    public Counter counter(MetricFamily family) {
        requireType(family, MetricFamily.Type.COUNTER);
        return (Counter) families.computeIfAbsent(family.name(), n -> Counter.builder().name(family.name())
                .help(family.help()).labelNames(family.labelArray()).register(registry));
    }

    /** The histogram of a family of the runtime contract, with classic buckets only (what the rules select). */
    public Histogram histogram(MetricFamily family, double[] buckets) {
        requireType(family, MetricFamily.Type.HISTOGRAM);
        return (Histogram) families.computeIfAbsent(family.name(), n -> Histogram.builder().name(family.name())
                .help(family.help()).labelNames(family.labelArray()).classicOnly().classicUpperBounds(buckets)
                .register(registry));
    }

    /** The gauge of a family of the runtime contract; each series reads its value at scrape time. */
    public Gauge gauge(MetricFamily family) {
        requireType(family, MetricFamily.Type.GAUGE);
        return (Gauge) families.computeIfAbsent(family.name(), n -> new Gauge(family, registry));
    }

    private static void requireType(MetricFamily family, MetricFamily.Type type) {
        if (family.type() != type) {
            throw new IllegalArgumentException(family.name() + " is a " + family.type() + ", not a " + type);
        }
    }

    /** One answer to a scrape. */
    public record Scrape(String contentType, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Every metric in the format {@code accept} asks for: OpenMetrics when it names
     * {@code application/openmetrics-text}, otherwise the text format 0.0.4. (The protobuf format is
     * not offered: its writer is not on the class path, and Prometheus falls back to the next type it accepts.)
     */
    public Scrape scrape(String accept) {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (!writer.isAvailable()) { // protobuf asked for first: the next format the scraper accepts
            writer = accept != null && formats.getOpenMetricsTextFormatWriter().accepts(accept)
                    ? formats.getOpenMetricsTextFormatWriter() : formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scrape(writer.getContentType(), out.toByteArray());
    }

    /** Every metric in the Prometheus text format 0.0.4. */
    public String scrape() {
        return scrape(TEXT_CONTENT_TYPE).text();
    }

    /**
     * A gauge whose series are read when scraped, such as a queue depth or the tasks in flight. A
     * supplier that answers a negative value, NaN or throws leaves its series out of that scrape
     * (the value is unknown, for example while the broker is unreachable).
     */
    public static final class Gauge {
        private final Map<List<String>, DoubleSupplier> series = new ConcurrentHashMap<>();
        private final int labels;
        private final String name;

        Gauge(MetricFamily family, PrometheusRegistry registry) {
            this.labels = family.labels().size();
            this.name = family.name();
            GaugeWithCallback.builder().name(family.name()).help(family.help()).labelNames(family.labelArray())
                    .callback(callback -> series.forEach((labelValues, supplier) -> {
                        double v;
                        try {
                            v = supplier.getAsDouble();
                        } catch (RuntimeException e) {
                            return;
                        }
                        if (v >= 0) {
                            callback.call(v, labelValues.toArray(String[]::new));
                        }
                    }))
                    .register(registry);
        }

        /** The series with these label values reads {@code supplier} at every scrape. */
        public void bind(DoubleSupplier supplier, String... labelValues) {
            if (labelValues.length != labels) {
                throw new IllegalArgumentException(name + " takes " + labels + " labels, got " + labelValues.length);
            }
            series.put(List.of(labelValues), supplier);
        }
    }
}
