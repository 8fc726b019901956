package app.growbin.runtime.http;

import app.growbin.contract.Endpoints;
import app.growbin.contract.Metrics;
import app.growbin.runtime.HttpException;
import app.growbin.runtime.Pools;
import app.growbin.runtime.Request;
import app.growbin.runtime.Response;
import app.growbin.runtime.Routes;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.auth.Caller;
import app.growbin.runtime.auth.TokenVerifier;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.ratelimit.RateLimiter;
import app.growbin.runtime.telemetry.ActiveSpan;
import app.growbin.runtime.telemetry.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server: Jetty 12 (core API, no servlets) for the connection work, this class for
 * everything a Growbin service promises: {@code /health}, {@code /ready}, {@code /metrics} and, for a
 * REST service, its routes, each checked against its {@link Access} (and, when the route is
 * rate-limited, counted by the {@link RateLimiter}: 429 past the budget) before the handler runs.
 *
 * <p>Connections, request lines and headers are parsed by Jetty's selector without holding a thread;
 * the body is read asynchronously into memory up to {@link HttpLimits#maxBodyBytes()} (within a budget
 * shared by all requests) and must arrive within {@link HttpLimits#bodyTimeout()}; only then does the
 * handler run, on a handler thread (one virtual thread per request on Java 21+ with two or more CPUs,
 * otherwise a bounded pool with a bounded queue). A slow or never-finishing client therefore holds a
 * connection and at most one body buffer, never a handler thread. Every error is JSON
 * {@code {"error": ...}}, including the ones Jetty answers itself (see {@link JsonErrorHandler}).
 * Requests are counted in {@code http_requests_total} and timed in {@code http_request_duration_seconds}.
 * Every request but the probes and {@code /metrics} is a SERVER span ({@code POST /api/v1/waste}),
 * child of the W3C {@code traceparent} it brings, current while its handler runs (so the tasks it
 * sends are its children and its log lines carry its ids); a 5xx answer sets the span's status to ERROR.
 */
public final class RuntimeHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeHttpServer.class);
    private static final byte[] EMPTY = new byte[0];

    private final String service;
    private final Routes routes;
    private final MetricsRegistry registry;
    private final BooleanSupplier readiness;
    private final HttpLimits limits;
    private final TokenVerifier tokens;
    private final RateLimiter rateLimiter;
    private final ErrorStatuses errors;
    private final Counter requests;
    private final Histogram duration;
    private final Tracing tracing;
    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService handlers;
    private final BodyBudget bodyBudget;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    /** A server with the default limits and no token verification (probes, and routes that are all public). */
    public RuntimeHttpServer(String service, String bindAddress, int port, Routes routes, MetricsRegistry registry,
            BooleanSupplier readiness) throws IOException {
        this(service, bindAddress, port, routes, registry, readiness, HttpLimits.defaults(), null);
    }

    /**
     * @param routes the service's routes, or null for a worker's probes; each must declare its access
     * @param tokens verifies bearer tokens; required when a route needs one
     */
    public RuntimeHttpServer(String service, String bindAddress, int port, Routes routes, MetricsRegistry registry,
            BooleanSupplier readiness, HttpLimits limits, TokenVerifier tokens) throws IOException {
        this(service, bindAddress, port, routes, registry, readiness, limits, tokens, Tracing.off());
    }

    /** @param tracing where the request spans go */
    public RuntimeHttpServer(String service, String bindAddress, int port, Routes routes, MetricsRegistry registry,
            BooleanSupplier readiness, HttpLimits limits, TokenVerifier tokens, Tracing tracing) throws IOException {
        this(service, bindAddress, port, routes, registry, readiness, limits, tokens, null, tracing);
    }

    /** @param rateLimiter counts the requests of rate-limited routes; required when a route is rate-limited */
    public RuntimeHttpServer(String service, String bindAddress, int port, Routes routes, MetricsRegistry registry,
            BooleanSupplier readiness, HttpLimits limits, TokenVerifier tokens, RateLimiter rateLimiter, Tracing tracing)
            throws IOException {
        if (routes != null) {
            routes.requireAccessDeclared();
            if (routes.anyTokenRequired() && tokens == null) {
                throw new IllegalArgumentException(service + " has routes that require a token but no token verifier:"
                        + " set AUTH_SIGNING_KEYS");
            }
            if (routes.anyRateLimited() && rateLimiter == null) {
                throw new IllegalArgumentException(service + " has rate-limited routes but no rate limiter");
            }
        }
        this.rateLimiter = rateLimiter;
        this.service = service;
        this.routes = routes;
        this.registry = registry;
        this.readiness = readiness;
        this.limits = limits;
        this.tokens = tokens;
        this.tracing = tracing;
        this.errors = new ErrorStatuses(routes == null ? Map.of() : routes.errorStatuses());
        this.requests = registry.counter(Metrics.HTTP_REQUESTS);
        this.duration = registry.histogram(Metrics.HTTP_REQUEST_DURATION, MetricsRegistry.DEFAULT_BUCKETS);
        this.bodyBudget = new BodyBudget(limits.bodyMemoryBytes());

        // Jetty's own threads only move bytes (one acceptor, one selector, callbacks); handlers run elsewhere.
        QueuedThreadPool io = new QueuedThreadPool(16, 4);
        io.setName(service + "-io");
        io.setDaemon(true);
        this.server = new Server(io);
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(limits.maxHeaderBytes());
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setIdleTimeout(limits.idleTimeout().toMillis());
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(bindAddress);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        connector.setAcceptQueueSize(1024);
        connector.setReuseAddress(true);
        server.addConnector(connector);
        NetworkConnectionLimit connectionLimit = new NetworkConnectionLimit(limits.maxConnections(), connector);
        connectionLimit.setEndPointIdleTimeout(Math.min(5_000, limits.idleTimeout().toMillis()));
        server.addBean(connectionLimit);
        server.setErrorHandler(new JsonErrorHandler());
        server.setHandler(new Dispatch());
        server.setStopTimeout(0);
        this.handlers = Pools.useVirtualThreads() ? Pools.virtualOrCached(service + "-http") : boundedPool(service, limits);
    }

    private static ExecutorService boundedPool(String service, HttpLimits limits) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(limits.maxThreads(), limits.maxThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(64, limits.maxThreads() * 16)), Pools.threads(service + "-http"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP server of " + service + ": " + e.getMessage(), e);
        }
        LOG.info("{} listening on port {}", service, port());
    }

    public int port() {
        return connector.getLocalPort();
    }

    public HttpLimits limits() {
        return limits;
    }

    /** Readiness answers 503 from now on (SIGTERM: the load balancer takes the pod out). */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** Lets in-flight requests finish for up to {@code graceSeconds}, then stops. */
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
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server of {}: {}", service, e.toString());
        }
        handlers.shutdown();
        try {
            handlers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What is left of the body memory budget (tests). */
    long bodyBytesAvailable() {
        return bodyBudget.available();
    }

    /** Requests being answered right now. */
    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void close() {
        stop(0);
    }

    /** Runs on Jetty's threads and never blocks: checks, then reads the body, then hands over to a handler thread. */
    private final class Dispatch extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                Callback callback) {
            inFlight.incrementAndGet();
            Exchange exchange = new Exchange(request, response, callback);
            try {
                exchange.begin();
            } catch (RuntimeException e) {
                exchange.fail(e);
            }
            return true;
        }
    }

    /** One request from its headers to its response. */
    private final class Exchange {
        private final long start = System.nanoTime();
        private final org.eclipse.jetty.server.Request request;
        private final org.eclipse.jetty.server.Response response;
        private final Callback callback;
        private final String method;
        private final String path;
        private String route = "unmatched";
        private long reserved;
        private final AtomicInteger done = new AtomicInteger();
        /** Null for the probes and /metrics. */
        private Span span;

        Exchange(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.method = request.getMethod().toUpperCase(Locale.ROOT);
            HttpURI uri = request.getHttpURI();
            this.path = uri.getPath() == null ? "/" : uri.getPath();
        }

        void begin() {
            HttpURI uri = request.getHttpURI();
            if (!Endpoints.HEALTH_PATH.equals(path) && !Endpoints.READY_PATH.equals(path) && !Endpoints.METRICS_PATH.equals(path)) {
                span = startSpan();
            }
            int targetLength = path.length() + (uri.getQuery() == null ? 0 : uri.getQuery().length() + 1);
            if (targetLength > limits.maxUrlBytes()) {
                finish(error(414, "the request target is longer than " + limits.maxUrlBytes() + " bytes"));
                return;
            }
            switch (path) {
                case Endpoints.HEALTH_PATH -> {
                    route = path;
                    finish(Response.text(200, "ok\n"));
                    return;
                }
                case Endpoints.READY_PATH -> {
                    route = path;
                    boolean ready = !draining && readiness.getAsBoolean();
                    finish(Response.text(ready ? 200 : 503, ready ? "ready\n" : "not ready\n"));
                    return;
                }
                case Endpoints.METRICS_PATH -> {
                    route = path;
                    MetricsRegistry.Scrape scrape = registry.scrape(request.getHeaders().get(HttpHeader.ACCEPT));
                    finish(Response.bytes(200, scrape.contentType(), scrape.body()));
                    return;
                }
                default -> { }
            }
            Routes.Match match;
            try {
                match = routes == null ? new Routes.Match(null, Map.of(), java.util.Set.of()) : routes.match(method, path);
            } catch (IllegalArgumentException e) {
                finish(error(400, "the path is not validly encoded"));
                return;
            }
            if (match.route() == null) {
                if (match.methodMismatch()) {
                    finish(error(405, "method not allowed").header("Allow", String.join(", ", new TreeSet<>(match.allowedMethods()))));
                } else {
                    finish(error(404, "not found"));
                }
                return;
            }
            route = match.route().template();
            if (span != null) {
                span.updateName(method + " " + route);
                span.setAttribute(HTTP_ROUTE, route);
            }
            long length = request.getLength();
            boolean chunked = request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
            boolean hasBody = length > 0 || (length < 0 && chunked);
            if (!hasBody) {
                dispatch(match, EMPTY);
                return;
            }
            if (length > limits.maxBodyBytes()) {
                finish(error(413, "the body is larger than " + limits.maxBodyBytes() + " bytes").header("Connection", "close"));
                return;
            }
            if (!isJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE))) {
                finish(error(415, "send the body as application/json").header("Accept", "application/json")
                        .header("Connection", "close"));
                return;
            }
            long want = length > 0 ? length : limits.maxBodyBytes();
            if (!bodyBudget.reserve(want)) {
                finish(error(503, "too many request bodies in flight").header("Retry-After", "1").header("Connection", "close"));
                return;
            }
            reserved = want;
            BodyReader reader = new BodyReader(request, limits.maxBodyBytes(), (int) Math.min(want, 64 * 1024));
            org.eclipse.jetty.util.thread.Scheduler.Task timeout = server.getScheduler().schedule(
                    () -> reader.abort(new BodyReader.TimedOut()), limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
            reader.result().whenComplete((body, failure) -> {
                timeout.cancel();
                if (failure == null) {
                    dispatch(match, body);
                } else if (failure instanceof BodyReader.TooLarge) {
                    finish(error(413, "the body is larger than " + limits.maxBodyBytes() + " bytes").header("Connection", "close"));
                } else if (failure instanceof BodyReader.TimedOut || failure instanceof java.util.concurrent.TimeoutException) {
                    finish(error(408, "the body did not arrive within " + limits.bodyTimeout().toSeconds() + " s")
                            .header("Connection", "close"));
                } else {
                    finish(error(400, "the body could not be read").header("Connection", "close"));
                }
            });
            reader.run();
        }

        private void dispatch(Routes.Match match, byte[] body) {
            try {
                handlers.execute(() -> {
                    Response r;
                    try (ActiveSpan active = activate()) {
                        try {
                            r = invoke(match, body);
                        } catch (RuntimeException e) {
                            LOG.error("{} {} failed", method, path, e);
                            r = error(500, "internal error");
                        }
                        finish(r);
                    }
                });
            } catch (RejectedExecutionException e) {
                finish(error(503, "the server is busy").header("Retry-After", "1"));
            }
        }

        private Response invoke(Routes.Match match, byte[] body) {
            Routes.Route r = match.route();
            Caller caller = null;
            try {
                if (r.access().tokenRequired()) {
                    caller = tokens.verify(bearer());
                }
                switch (r.access().decide(caller, match.pathParams())) {
                    case UNAUTHENTICATED:
                        throw HttpException.unauthorized("a bearer token is required");
                    case FORBIDDEN:
                        throw HttpException.forbidden("this token may not " + method + " " + path);
                    default:
                        break;
                }
                if (r.rateLimit() != null) {
                    rateLimiter.check(r.rateLimit().keyFor(caller, clientAddress()));
                }
                Request req = new Request(method, path, match.pathParams(), query(request.getHttpURI().getQuery()),
                        headers(), body, caller, clientAddress());
                Response answer = r.handler().handle(req);
                return answer == null ? Response.status(204) : answer;
            } catch (Exception e) {
                int status = errors.statusOf(e);
                HttpException http = ErrorStatuses.httpException(e);
                if (status >= 500 && http == null) {
                    LOG.error("{} {} failed", method, path, e);
                }
                if (status >= 500 && span != null) {
                    span.recordException(e);
                }
                Response answer = error(status, http != null ? String.valueOf(http.getMessage())
                        : status == 503 ? "a service this one depends on is unavailable" : status == 500 ? "internal error"
                        : String.valueOf(e.getMessage()));
                if (http != null) {
                    for (Map.Entry<String, String> h : http.headers().entrySet()) {
                        answer = answer.header(h.getKey(), h.getValue());
                    }
                } else if (status == 503) {
                    answer = answer.header("Retry-After", "1");
                }
                return answer;
            }
        }

        private String bearer() {
            String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (header == null || header.isBlank()) {
                throw HttpException.unauthorized("a bearer token is required");
            }
            if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw HttpException.unauthorized("expected a Bearer token");
            }
            return header.substring(7).trim();
        }

        private Map<String, List<String>> headers() {
            Map<String, List<String>> h = new LinkedHashMap<>();
            for (HttpField f : request.getHeaders()) {
                h.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f.getValue());
            }
            return h;
        }

        private String clientAddress() {
            String peer = org.eclipse.jetty.server.Request.getRemoteAddr(request);
            int hops = limits.trustedProxyHops();
            if (hops == 0) {
                return peer;
            }
            List<String> forwarded = new ArrayList<>();
            for (String v : request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR)) {
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        forwarded.add(part.trim());
                    }
                }
            }
            // the last proxy is the peer; the (hops-1) before it appended the entries on the right
            int index = forwarded.size() - hops;
            return index >= 0 ? forwarded.get(index) : peer;
        }

        /** Writes the answer once, records the metrics, releases the body's share of the budget. */
        void finish(Response answer) {
            if (!done.compareAndSet(0, 1)) {
                return;
            }
            bodyBudget.release(reserved);
            try {
                response.setStatus(answer.status());
                answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
                byte[] body = answer.body();
                boolean noBody = method.equals("HEAD") || answer.status() == 204 || answer.status() == 304;
                if (noBody || body.length == 0) {
                    if (!noBody) {
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
                    }
                    response.write(true, null, completion());
                } else {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, (long) body.length);
                    response.write(true, ByteBuffer.wrap(body), completion());
                }
            } catch (RuntimeException e) {
                LOG.debug("{} {}: could not answer: {}", method, path, e.toString());
                completion().failed(e);
            } finally {
                // with the request's span current, so that a sampled request becomes the bucket's exemplar
                try (ActiveSpan active = activate()) {
                    requests.labelValues(service, method, route, Integer.toString(answer.status())).inc();
                    duration.labelValues(service, method, route).observe((System.nanoTime() - start) / 1e9);
                }
                endSpan(answer.status());
            }
        }

        /** The SERVER span, child of the context the request's headers carry. */
        private Span startSpan() {
            io.opentelemetry.context.Context parent = tracing.extract(request.getHeaders(), request.getHeaders()::get);
            HttpURI uri = request.getHttpURI();
            return tracing.tracer().spanBuilder(method)
                    .setParent(parent)
                    .setSpanKind(SpanKind.SERVER)
                    .setAttribute(HTTP_METHOD, method)
                    .setAttribute(URL_PATH, path)
                    .setAttribute(URL_SCHEME, uri.getScheme() == null ? "http" : uri.getScheme())
                    .setAttribute(SERVER_PORT, (long) port())
                    .setAttribute(CLIENT_ADDRESS, org.eclipse.jetty.server.Request.getRemoteAddr(request))
                    .startSpan();
        }

        private ActiveSpan activate() {
            return ActiveSpan.of(span == null ? Span.current() : span);
        }

        private void endSpan(int status) {
            if (span == null) {
                return;
            }
            span.setAttribute(HTTP_STATUS, (long) status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR, "HTTP " + status);
            }
            span.end();
        }

        void fail(RuntimeException e) {
            LOG.error("{} {} failed", method, path, e);
            finish(error(500, "internal error"));
        }

        private Callback completion() {
            return Callback.from(() -> {
                inFlight.decrementAndGet();
                callback.succeeded();
            }, x -> {
                inFlight.decrementAndGet();
                callback.failed(x);
            });
        }
    }

    private static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    private static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");

    static Response error(int status, String message) {
        return Response.json(status, Map.of("error", message));
    }

    /** {@code application/json} or {@code application/<something>+json}, with any parameters. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
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
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                q.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            } catch (IllegalArgumentException e) {
                throw HttpException.badRequest("the query string is not validly encoded");
            }
        }
        return q;
    }
}
