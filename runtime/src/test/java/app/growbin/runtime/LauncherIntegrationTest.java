package app.growbin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.contract.MetricFamily;
import app.growbin.contract.Metrics;
import app.growbin.runtime.celery.CeleryWorker;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.http.RuntimeHttpServer;
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
            assertTrue(m.contains("# TYPE http_requests_total counter"), m);
            assertTrue(m.contains("http_requests_total{service=\"echo\",method=\"POST\",route=\"/api/v1/echo\",status=\"201\"} 1"), m);
            assertTrue(m.contains("http_requests_total{service=\"echo\",method=\"GET\",route=\"/api/v1/echo/{id}\",status=\"404\"} 1"), m);
            assertTrue(m.contains("http_requests_total{service=\"echo\",method=\"GET\",route=\"/api/v1/echo/boom/now\",status=\"500\"} 1"), m);
            assertTrue(m.contains("# TYPE http_request_duration_seconds histogram"), m);
            assertTrue(m.contains("http_request_duration_seconds_bucket{service=\"echo\",method=\"POST\",route=\"/api/v1/echo\",le=\"+Inf\"} 2"), m);
            assertTrue(m.contains("http_request_duration_seconds_count{service=\"echo\",method=\"POST\",route=\"/api/v1/echo\"} 2"), m);
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
                assertTrue(m.contains(Metrics.WORKER_TASKS.name() + "{service=\"adder\",queue=\"" + queue + "\",task=\"t.add\",state=\"succeeded\"} 1"), m);
                assertTrue(m.contains(Metrics.HTTP_REQUESTS.name() + "{service=\"adder\",method=\"GET\",route=\"/ready\",status=\"200\"}"), m);
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
     * The runtime contract's family is exposed with its type and exactly its label names, so that a
     * rule built from the contract selects what the process serves.
     */
    static void assertExposed(MetricFamily family, String scrape) {
        assertTrue(scrape.contains("# TYPE " + family.name() + " " + family.type().name().toLowerCase(java.util.Locale.ROOT)),
                family.name() + " is not exposed:\n" + scrape);
        String series = family.type() == MetricFamily.Type.HISTOGRAM ? family.bucketSeries() : family.name();
        List<String> expected = new java.util.ArrayList<>(family.labels());
        if (family.type() == MetricFamily.Type.HISTOGRAM) {
            expected.add("le");
        }
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("^" + java.util.regex.Pattern.quote(series) + "\\{([^}]*)\\} ",
                java.util.regex.Pattern.MULTILINE).matcher(scrape);
        assertTrue(line.find(), "no series of " + series + ":\n" + scrape);
        List<String> names = java.util.Arrays.stream(line.group(1).split(",")).map(pair -> pair.substring(0, pair.indexOf('='))).toList();
        assertEquals(expected, names, series + " labels");
    }
}
