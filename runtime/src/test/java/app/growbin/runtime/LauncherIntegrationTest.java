package app.growbin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.contract.MetricFamily;
import app.growbin.contract.Metrics;
import app.growbin.runtime.celery.CeleryWorker;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.http.RuntimeHttpServer;
import app.growbin.runtime.testing.MetricsText;
import com.rabbitmq.client.Channel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The launcher's two modes, started in-process from the ServiceLoader catalog, against the real broker. */
class LauncherIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void await(String what, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void findsServicesThroughTheServiceLoader() {
        List<ApplicationCatalog> catalogs = Launcher.catalogs();
        assertEquals("/api/v1/echo", Launcher.findRest(catalogs, "echo").path());
        assertEquals("test.launcher.adder", Launcher.findWorker(catalogs, "adder").queue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Launcher.findRest(catalogs, "nope"));
        assertTrue(e.getMessage().contains("[echo]"), e.getMessage());
    }

    @Test
    void restServiceServesRoutesProbesAndMetrics() throws Exception {
        Env env = new Env(Map.of(EnvVars.HTTP_PORT, "0", EnvVars.SHUTDOWN_DRAIN_SECONDS, "0", EnvVars.SHUTDOWN_GRACE_SECONDS, "1"));
        Launcher.Running rest = Launcher.startRest(Launcher.findRest(Launcher.catalogs(), "echo"), env);
        int port = rest.port();
        try {
            assertEquals(200, call(port, "GET", "/health", null).statusCode());
            await("readiness", () -> {
                try {
                    return call(port, "GET", "/ready", null).statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            HttpResponse<String> created = call(port, "POST", "/api/v1/echo", "{\"text\": \"hi\"}");
            assertEquals(201, created.statusCode());
            assertEquals("{\"echo\":\"hi\",\"service\":\"echo\"}".length(), created.body().length());
            assertTrue(created.body().contains("\"echo\":\"hi\""), created.body());
            assertEquals("{\"id\":\"42\",\"q\":\"x y\"}".length(), call(port, "GET", "/api/v1/echo/42?q=x+y", null).body().length());
            assertEquals(404, call(port, "GET", "/api/v1/echo/missing", null).statusCode());
            assertEquals(404, call(port, "GET", "/nowhere", null).statusCode());
            assertEquals(405, call(port, "DELETE", "/api/v1/echo/1", null).statusCode());
            assertEquals(400, call(port, "POST", "/api/v1/echo", "{not json").statusCode());
            assertEquals(500, call(port, "GET", "/api/v1/echo/boom/now", null).statusCode());
            HttpResponse<String> metrics = call(port, "GET", "/metrics", null);
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String m = metrics.body();
            MetricsText parsed = MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, m);
            assertEquals("counter", parsed.typeOf("http_requests_total"), m);
            assertEquals(1.0, parsed.value("http_requests_total", Map.of("service", "echo", "method", "POST", "route", "/api/v1/echo", "status", "201")), m);
            assertEquals(1.0, parsed.value("http_requests_total", Map.of("service", "echo", "method", "GET", "route", "/api/v1/echo/{id}", "status", "404")), m);
            assertEquals(1.0, parsed.value("http_requests_total", Map.of("service", "echo", "method", "GET", "route", "/api/v1/echo/boom/now", "status", "500")), m);
            assertEquals("histogram", parsed.typeOf("http_request_duration_seconds_bucket"), m);
            assertEquals(2.0, parsed.value("http_request_duration_seconds_bucket", Map.of("service", "echo", "method", "POST", "route", "/api/v1/echo", "le", "+Inf")), m);
            assertEquals(2.0, parsed.value("http_request_duration_seconds_count", Map.of("service", "echo", "method", "POST", "route", "/api/v1/echo")), m);
            assertFalse(parsed.samples("jvm_memory_used_bytes").isEmpty(), "JVM metrics of a launched process: " + m);
            assertFalse(parsed.samples("process_resident_memory_bytes").isEmpty(), m);
        } finally {
            Thread stopper = new Thread(rest::shutdown);
            stopper.start();
            stopper.join(10_000);
        }
        assertTrue(!rest.ready());
    }

    @Test
    void workerConsumesItsQueueAndServesProbesOnTheMetricsPort() throws Exception {
        String queue = "test.launcher." + UUID.randomUUID().toString().substring(0, 8);
        Env env = new Env(Map.of(EnvVars.METRICS_PORT, "0", EnvVars.QUEUE_NAME, queue, EnvVars.WORKER_CONCURRENCY, "3",
                EnvVars.DEAD_LETTER_QUEUE, queue + ".dlq", EnvVars.SHUTDOWN_GRACE_SECONDS, "1"));
        Launcher.Running worker = Launcher.startWorker(Launcher.findWorker(Launcher.catalogs(), "adder"), env);
        try (TaskClient client = TaskClient.fromEnv(env)) {
            try {
                assertEquals(200, call(worker.port(), "GET", "/health", null).statusCode());
                await("worker readiness", worker::ready);
                assertEquals(200, call(worker.port(), "GET", "/ready", null).statusCode());
                assertEquals(7, client.send("t.add", queue, List.of(3, 4), Integer.class).get(Duration.ofSeconds(20)));
                String m = call(worker.port(), "GET", "/metrics", null).body();
                MetricsText parsed = MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, m);
                assertEquals(1.0, parsed.value(Metrics.WORKER_TASKS.name(), Map.of("service", "adder", "queue", queue, "task", "t.add", "state", "succeeded")), m);
                assertTrue(parsed.value(Metrics.HTTP_REQUESTS.name(), Map.of("service", "adder", "method", "GET", "route", "/ready", "status", "200")) >= 1, m);
                for (MetricFamily family : Metrics.ALL) {
                    assertExposed(family, m);
                }
            } finally {
                worker.shutdown();
            }
            assertTrue(!worker.ready());
            try (Channel ch = client.broker().connection().createChannel()) {
                for (String q : List.of(queue, queue + ".dlq", queue + ".retry.1000", queue + ".retry.2000", queue + ".retry.4000",
                        queue + ".eta.1000", queue + ".eta.10000", queue + ".eta.60000", queue + ".eta.600000", queue + ".eta.3600000")) {
                    ch.queueDelete(q);
                }
            }
        }
    }

    /**
     * The runtime contract's family is exposed under its name, with its type and exactly its label
     * names (in any order: Prometheus identifies a series by its label set), so that a rule built
     * from the contract selects what the process serves.
     */
    static void assertExposed(MetricFamily family, String scrape) {
        assertTrue(scrape.contains("# TYPE " + family.name() + " " + family.type().name().toLowerCase(java.util.Locale.ROOT)),
                family.name() + " is not exposed:\n" + scrape);
        MetricsText parsed = MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, scrape);
        String series = family.type() == MetricFamily.Type.HISTOGRAM ? family.bucketSeries() : family.name();
        java.util.Set<String> expected = new java.util.TreeSet<>(family.labels());
        if (family.type() == MetricFamily.Type.HISTOGRAM) {
            expected.add("le");
        }
        assertFalse(parsed.samples(series).isEmpty(), "no series of " + series + ":\n" + scrape);
        for (MetricsText.Sample s : parsed.samples(series)) {
            assertEquals(expected, new java.util.TreeSet<>(s.labels().keySet()), series + " labels");
        }
    }
}
