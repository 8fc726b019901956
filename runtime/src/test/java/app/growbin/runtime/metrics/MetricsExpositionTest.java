package app.growbin.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import app.growbin.contract.MetricFamily;
import app.growbin.contract.Metrics;
import app.growbin.runtime.http.RuntimeHttpServer;
import app.growbin.runtime.testing.MetricsText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * /metrics as Prometheus reads it, in both formats it negotiates: OpenMetrics 1.0 (what Prometheus
 * asks for first, with exemplars) and the text format 0.0.4. Both are parsed strictly
 * ({@link MetricsText}), must hold the same series, and are checked by Prometheus' own tools:
 * {@code promtool check metrics} on the text format and a real Prometheus server scraping the
 * endpoint (OpenMetrics, with exemplar storage), both from Debian's {@code prometheus} package
 * (skipped without it, except in CI).
 */
class MetricsExpositionTest {

    static final String OPENMETRICS_ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
            + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A registry as a launched worker has it, with one observation per family, some under a sampled span. */
    static MetricsRegistry populated(SdkTracerProvider tracer, String[] traceId) {
        MetricsRegistry registry = new MetricsRegistry().withJvmMetrics();
        registry.counter(Metrics.HTTP_REQUESTS).labelValues("svc", "GET", "/api/v1/x/{id}", "200").inc();
        registry.counter(Metrics.WORKER_TASKS).labelValues("svc", "q.x", "x.run", "succeeded").inc(3);
        registry.gauge(Metrics.WORKER_TASKS_IN_FLIGHT).bind(() -> 2, "svc", "q.x");
        registry.gauge(Metrics.QUEUE_MESSAGES_READY).bind(() -> 7, "svc", "q.x");
        registry.gauge(Metrics.QUEUE_MESSAGES_READY).bind(() -> -1, "svc", "q.unknown"); // unknown: left out
        Span span = tracer.get("test").spanBuilder("request").startSpan();
        traceId[0] = span.getSpanContext().getTraceId();
        try (Scope s = span.makeCurrent()) {
            registry.histogram(Metrics.HTTP_REQUEST_DURATION, MetricsRegistry.DEFAULT_BUCKETS).labelValues("svc", "GET", "/api/v1/x/{id}")
                    .observe(0.042);
            registry.histogram(Metrics.WORKER_TASK_DURATION, new double[] {0.1, 1, 10}).labelValues("svc", "q.x", "x.run").observe(2);
            registry.counter(Metrics.HTTP_REQUESTS).labelValues("svc", "POST", "/api/v1/x", "500").inc();
        } finally {
            span.end();
        }
        return registry;
    }

    @Test
    void bothFormatsParseStrictlyAndHoldTheSameSeries() throws Exception {
        SdkTracerProvider tracer = recordingTracer();
        String[] traceId = new String[1];
        MetricsRegistry registry = populated(tracer, traceId);

        MetricsRegistry.Scrape om = registry.scrape(OPENMETRICS_ACCEPT);
        MetricsRegistry.Scrape text = registry.scrape(null);
        assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", om.contentType());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", text.contentType());
        // Prometheus with native histograms asks for protobuf first; it is not offered, OpenMetrics is next
        assertEquals(om.contentType(), registry.scrape("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited;q=0.7,application/openmetrics-text;version=1.0.0;q=0.6,text/plain;version=0.0.4;q=0.3").contentType());
        MetricsText openMetrics = MetricsText.parse(om.contentType(), om.text());
        MetricsText prometheus = MetricsText.parse(text.contentType(), text.text());

        // the contract's families, with their types and exactly their labels, in both formats
        for (MetricFamily family : Metrics.ALL) {
            for (MetricsText parsed : List.of(openMetrics, prometheus)) {
                String series = family.type() == MetricFamily.Type.HISTOGRAM ? family.bucketSeries() : family.name();
                assertEquals(family.type().name().toLowerCase(java.util.Locale.ROOT), parsed.typeOf(series), series);
                Set<String> expected = new TreeSet<>(family.labels());
                if (family.type() == MetricFamily.Type.HISTOGRAM) {
                    expected.add("le");
                }
                assertFalse(parsed.samples(series).isEmpty(), series + " in\n" + om.text());
                parsed.samples(series).forEach(s -> assertEquals(expected, new TreeSet<>(s.labels().keySet()), series));
            }
        }
        assertEquals(3.0, prometheus.value("growbin_worker_tasks_total",
                Map.of("service", "svc", "queue", "q.x", "task", "x.run", "state", "succeeded")));
        assertEquals(7.0, openMetrics.value("rabbitmq_queue_messages_ready", Map.of("service", "svc", "queue", "q.x")));
        assertTrue(openMetrics.samples("rabbitmq_queue_messages_ready").stream().noneMatch(s -> s.labels().get("queue").equals("q.unknown")));

        // the same series in both formats (OpenMetrics adds only _created, written by neither here)
        Set<String> omSeries = new HashSet<>();
        openMetrics.samples().forEach(s -> omSeries.add(s.name() + new java.util.TreeMap<>(s.labels())));
        Set<String> textSeries = new HashSet<>();
        prometheus.samples().forEach(s -> textSeries.add(s.name() + new java.util.TreeMap<>(s.labels())));
        assertEquals(textSeries, omSeries);

        // JVM and process metrics
        for (String name : List.of("jvm_memory_used_bytes", "jvm_memory_pool_used_bytes", "jvm_gc_collection_seconds_count",
                "jvm_threads_current", "process_cpu_seconds_total", "process_resident_memory_bytes", "jvm_classes_currently_loaded")) {
            assertFalse(prometheus.samples(name).isEmpty(), name + " in\n" + text.text());
        }

        // exemplars: only in OpenMetrics, on the bucket the sampled request fell in, naming its trace
        MetricsText.Sample bucket = openMetrics.sample("http_request_duration_seconds_bucket",
                Map.of("service", "svc", "method", "GET", "route", "/api/v1/x/{id}", "le", "0.05")).orElseThrow();
        assertTrue(bucket.exemplar() != null, "exemplar on the 0.05 bucket:\n" + om.text());
        assertEquals(traceId[0], bucket.exemplar().labels().get("trace_id"));
        assertEquals(0.042, bucket.exemplar().value());
        assertTrue(prometheus.samples().stream().allMatch(s -> s.exemplar() == null));
        tracer.close();
    }

    @Test
    void promtoolAcceptsTheTextFormat() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        assumeTrue(Files.isExecutable(promtool) || System.getenv("CI") != null, "promtool (Debian's prometheus package) is not installed");
        SdkTracerProvider tracer = recordingTracer();
        String text = populated(tracer, new String[1]).scrape();
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        System.out.printf("[metrics] promtool check metrics: exit %d%n%s", p.exitValue(), out);
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out + "\n" + text);
        tracer.close();
    }

    /**
     * A real Prometheus server scrapes a runtime HTTP server's /metrics (it negotiates OpenMetrics
     * and stores exemplars): the contract's series are queryable with their labels, the exemplar
     * carries the trace id, and the target is up with no scrape error.
     */
    @Test
    void prometheusScrapesTheEndpoint() throws Exception {
        Path prometheus = Path.of("/usr/bin/prometheus");
        assumeTrue(Files.isExecutable(prometheus) || System.getenv("CI") != null, "prometheus (Debian's package) is not installed");
        SdkTracerProvider tracer = recordingTracer();
        String[] traceId = new String[1];
        MetricsRegistry registry = populated(tracer, traceId);
        Path dir = Files.createTempDirectory("growbin-prometheus-");
        try (RuntimeHttpServer server = new RuntimeHttpServer("svc", "127.0.0.1", 0, null, registry, () -> true)) {
            server.start();
            int webPort = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                    scrape_configs:
                      - job_name: growbin
                        static_configs:
                          - targets: ['127.0.0.1:%d']
                    """.formatted(server.port()));
            Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + webPort,
                    "--enable-feature=exemplar-storage", "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + webPort + "/api/v1/";
                JsonNode up = awaitResult(api, "up{job=\"growbin\"} == 1", dir);
                assertEquals(1, up.size(), up.toString());
                JsonNode targets = JSON.readTree(get(api + "targets"));
                JsonNode target = targets.at("/data/activeTargets/0");
                assertEquals("up", target.path("health").asText(), targets.toString());
                assertEquals("", target.path("lastError").asText(), targets.toString());

                JsonNode requests = awaitResult(api, "http_requests_total{service=\"svc\",method=\"GET\",route=\"/api/v1/x/{id}\",status=\"200\"}", dir);
                assertEquals("1", requests.at("/0/value/1").asText());
                JsonNode bucket = awaitResult(api, "http_request_duration_seconds_bucket{service=\"svc\",le=\"0.05\"}", dir);
                assertEquals("1", bucket.at("/0/value/1").asText());
                JsonNode depth = awaitResult(api, "max by (queue) (rabbitmq_queue_messages_ready{queue=\"q.x\"})", dir);
                assertEquals("7", depth.at("/0/value/1").asText());
                JsonNode jvm = awaitResult(api, "jvm_memory_used_bytes{area=\"heap\"}", dir);
                assertEquals(1, jvm.size());

                long now = System.currentTimeMillis() / 1000;
                String exemplars = get(api + "query_exemplars?query=" + enc("http_request_duration_seconds_bucket{service=\"svc\"}")
                        + "&start=" + (now - 600) + "&end=" + (now + 600));
                assertTrue(exemplars.contains(traceId[0]), "the exemplar names the trace: " + exemplars);
                System.out.printf("[metrics] Prometheus %s scraped OpenMetrics: target up, no error; exemplar %s%n",
                        prometheusVersion(prometheus), exemplars.length() > 300 ? exemplars.substring(0, 300) : exemplars);
            } finally {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            deleteRecursively(dir);
            tracer.close();
        }
    }

    /** An SDK that records every span (without a span processor the SDK hands out non-recording spans). */
    static SdkTracerProvider recordingTracer() {
        return SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
                .addSpanProcessor(SimpleSpanProcessor.create(SpanExporter.composite())).build();
    }

    private JsonNode awaitResult(String api, String query, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                last = get(api + "query?query=" + enc(query));
                JsonNode result = JSON.readTree(last).at("/data/result");
                if (result.size() > 0) {
                    return result;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no result for " + query + ": " + last + "\n" + readLog(dir));
    }

    private static String readLog(Path dir) {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String prometheusVersion(Path prometheus) {
        try {
            Process v = new ProcessBuilder(prometheus.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            v.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse("").replace("prometheus, version ", "");
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
