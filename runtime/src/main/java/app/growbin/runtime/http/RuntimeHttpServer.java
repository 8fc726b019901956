package app.growbin.runtime.http;

import app.growbin.contract.Endpoints;
import app.growbin.contract.Metrics;
import app.growbin.runtime.HttpException;
import app.growbin.runtime.Pools;
import app.growbin.runtime.Request;
import app.growbin.runtime.Response;
import app.growbin.runtime.Routes;
import app.growbin.runtime.metrics.MetricsRegistry;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server (the JDK's {@code com.sun.net.httpserver}, one virtual thread per
 * exchange on Java 21+, a bounded platform pool before): {@code /health}, {@code /ready},
 * {@code /metrics} and, for a REST service, its routes, every request counted in
 * {@code http_requests_total} and timed in {@code http_request_duration_seconds}.
 */
public final class RuntimeHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeHttpServer.class);

    private final String service;
    private final Routes routes;
    private final MetricsRegistry registry;
    private final BooleanSupplier readiness;
    private final MetricsRegistry.Counter requests;
    private final MetricsRegistry.Histogram duration;
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean draining;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();

    public RuntimeHttpServer(String service, String bindAddress, int port, Routes routes, MetricsRegistry registry,
            BooleanSupplier readiness) throws IOException {
        this.service = service;
        this.routes = routes;
        this.registry = registry;
        this.readiness = readiness;
        this.requests = registry.counter(Metrics.HTTP_REQUESTS);
        this.duration = registry.histogram(Metrics.HTTP_REQUEST_DURATION, MetricsRegistry.DEFAULT_BUCKETS);
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.server = HttpServer.create(new InetSocketAddress(bindAddress, port), 1024);
        this.executor = Pools.useVirtualThreads() ? Pools.virtualOrCached("http")
                : new java.util.concurrent.ThreadPoolExecutor(16, 256, 60, TimeUnit.SECONDS,
                        new java.util.concurrent.LinkedBlockingQueue<>(), Pools.threads("http")) {
                    {
                        allowCoreThreadTimeOut(false);
                    }
                };
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
        LOG.info("{} listening on port {}", service, port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Readiness answers 503 from now on (SIGTERM: the load balancer takes the pod out). */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /**
     * Lets in-flight exchanges finish for up to {@code graceSeconds}, then stops. The wait is ours:
     * before JDK 21 {@code HttpServer.stop(delay)} always sleeps the whole delay (JDK-8304065), which
     * made every REST pod take the full grace period to exit.
     */
    public void stop(int graceSeconds) {
        draining = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, graceSeconds));
        try {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Exchanges being answered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try {
            answer(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        String route = "unmatched";
        Response response;
        try {
            switch (path) {
                case Endpoints.HEALTH_PATH:
                    route = path;
                    response = Response.text(200, "ok\n");
                    break;
                case Endpoints.READY_PATH:
                    route = path;
                    boolean ready = !draining && readiness.getAsBoolean();
                    response = Response.text(ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
                    break;
                case Endpoints.METRICS_PATH:
                    route = path;
                    response = Response.text(200, registry.scrape()).header("Content-Type", MetricsRegistry.CONTENT_TYPE);
                    break;
                default:
                    Routes.Match m = routes == null ? null : routes.match(method, path);
                    if (m == null || m.route() == null) {
                        boolean wrongMethod = m != null && m.methodMismatch();
                        response = Response.json(wrongMethod ? 405 : 404,
                                Map.of("error", wrongMethod ? "method not allowed" : "not found"));
                    } else {
                        route = m.route().template();
                        byte[] body;
                        try (InputStream in = exchange.getRequestBody()) {
                            body = in.readAllBytes();
                        }
                        Request request = new Request(method, path, m.pathParams(),
                                query(exchange.getRequestURI().getRawQuery()), exchange.getRequestHeaders(), body);
                        response = invoke(m.route(), request);
                    }
            }
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            response = Response.json(500, Map.of("error", "internal error"));
        }
        try {
            write(exchange, method, response);
        } finally {
            double seconds = (System.nanoTime() - start) / 1e9;
            requests.inc(service, method, route, Integer.toString(response.status()));
            duration.observe(seconds, service, method, route);
        }
    }

    private static Response invoke(Routes.Route route, Request request) {
        try {
            Response r = route.handler().handle(request);
            return r == null ? Response.status(204) : r;
        } catch (HttpException e) {
            return Response.json(e.status(), Map.of("error", String.valueOf(e.getMessage())));
        } catch (Exception e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            return Response.json(500, Map.of("error", "internal error"));
        }
    }

    private static void write(HttpExchange exchange, String method, Response response) throws IOException {
        try {
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] body = response.body();
            boolean noBody = method.equals("HEAD") || response.status() == 204 || response.status() == 304;
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : (body.length == 0 ? -1 : body.length));
            if (!noBody && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } finally {
            exchange.close();
        }
    }

    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return q;
    }
}
