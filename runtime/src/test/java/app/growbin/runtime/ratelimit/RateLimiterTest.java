package app.growbin.runtime.ratelimit;

import app.growbin.runtime.testing.PrivateRedis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.HttpException;
import app.growbin.runtime.Response;
import app.growbin.runtime.Routes;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.auth.RedisRevocationList;
import app.growbin.runtime.auth.SigningKeys;
import app.growbin.runtime.auth.Tokens;
import app.growbin.runtime.http.HttpLimits;
import app.growbin.runtime.http.RuntimeHttpServer;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.telemetry.Tracing;
import app.growbin.runtime.testing.JvmProcess;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The runtime's rate limiter against the real Redis, through the HTTP server as a client sees it: a
 * route declared with {@link RateLimit} admits its budget, then answers a JSON 429 with
 * {@code Retry-After}; two "replicas" (two servers with two limiters on one Redis) draw on one budget;
 * the window slides, so the budget comes back; Redis unreachable is a JSON 503 (fail closed) until it
 * is back. Every test counts under a key prefix of its own and deletes its keys afterwards.
 */
class RateLimiterTest {

    static final String KEYS = "k1=rate-limiter-test-key-of-32-bytes!!!";
    static final Duration WAIT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String prefix = "growbin:rate-limit:test-" + UUID.randomUUID() + ":";
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final RedisRevocationList revocations = new RedisRevocationList(Env.DEFAULT_RESULT_BACKEND, Clock.systemUTC());
    private final Tokens tokens = new Tokens(SigningKeys.parse(KEYS), "growbin", "growbin-api", Duration.ofMinutes(5), revocations,
            Clock.systemUTC());

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
        revocations.close();
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            Set<String> left = j.keys(prefix + "*");
            if (!left.isEmpty()) {
                j.del(left.toArray(String[]::new));
            }
        }
    }

    /** A "replica": its own limiter and server on the given Redis, with one limited route per key kind. */
    private String replica(String redisUrl, RateLimiter.Rule rule) throws Exception {
        RateLimiter limiter = new RateLimiter(redisUrl, prefix, rule);
        closeables.add(limiter);
        Routes routes = new Routes("/api");
        routes.post("/work", Access.AUTHENTICATED, RateLimit.PER_CALLER, r -> Response.json(202, Map.of("by", r.requireCaller().subject())));
        routes.get("/public", Access.PUBLIC, RateLimit.PER_CLIENT_ADDRESS, r -> Response.ok(Map.of("ok", true)));
        routes.get("/unlimited", Access.AUTHENTICATED, r -> Response.ok(Map.of("ok", true)));
        RuntimeHttpServer server = new RuntimeHttpServer("limited", "127.0.0.1", 0, routes, new MetricsRegistry(), () -> true,
                HttpLimits.defaults(), tokens, limiter, Tracing.off());
        server.start();
        closeables.add(server);
        return "http://127.0.0.1:" + server.port() + "/api";
    }

    private HttpResponse<String> post(String uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertJsonError(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        assertTrue(json.readTree(r.body()).hasNonNull("error"), r.body());
    }

    private String token(String subject) {
        return tokens.issue(subject, Set.of("user")).token();
    }

    @Test
    void underTheLimitPassesAndOverItIsA429WithRetryAfter() throws Exception {
        String base = replica(Env.DEFAULT_RESULT_BACKEND, new RateLimiter.Rule(3, Duration.ofSeconds(60)));
        String alice = token("alice-" + UUID.randomUUID());
        for (int i = 0; i < 3; i++) {
            assertEquals(202, post(base + "/work", alice).statusCode(), "request " + (i + 1) + " of 3");
        }
        HttpResponse<String> refused = post(base + "/work", alice);
        assertJsonError(refused, 429);
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(json.readTree(refused.body()).get("error").asText().contains("at most 3 requests per 60 s"), refused.body());

        assertEquals(202, post(base + "/work", token("bob-" + UUID.randomUUID())).statusCode(), "another caller has a budget of its own");
        assertEquals(200, get(base + "/unlimited", alice).statusCode(), "a route without a limit is not counted");
        assertJsonError(post(base + "/work", null), 401);
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(base + "/public", null).statusCode());
        }
        assertJsonError(get(base + "/public", null), 429);
    }

    @Test
    void twoReplicasShareOneBudget() throws Exception {
        RateLimiter.Rule rule = new RateLimiter.Rule(10, Duration.ofSeconds(60));
        String a = replica(Env.DEFAULT_RESULT_BACKEND, rule);
        String b = replica(Env.DEFAULT_RESULT_BACKEND, rule);
        String carol = token("carol-" + UUID.randomUUID());
        int admitted = 0;
        for (int i = 0; i < 16; i++) {
            int status = post((i % 2 == 0 ? a : b) + "/work", carol).statusCode();
            assertTrue(status == 202 || status == 429, "status " + status);
            admitted += status == 202 ? 1 : 0;
            if (i < 10) {
                assertEquals(202, status, "request " + (i + 1) + " is within the shared budget of 10");
            }
        }
        assertEquals(10, admitted, "10 admitted over both replicas together, not 10 on each");
        assertJsonError(post(a + "/work", carol), 429);
        assertJsonError(post(b + "/work", carol), 429);
    }

    @Test
    void theWindowSlidesAndTheBudgetComesBack() throws Exception {
        Duration window = Duration.ofMillis(1500);
        String base = replica(Env.DEFAULT_RESULT_BACKEND, new RateLimiter.Rule(2, window));
        String dave = token("dave-" + UUID.randomUUID());
        assertEquals(202, post(base + "/work", dave).statusCode());
        assertEquals(202, post(base + "/work", dave).statusCode());
        HttpResponse<String> refused = post(base + "/work", dave);
        assertJsonError(refused, 429);
        assertEquals("2", refused.headers().firstValue("Retry-After").orElseThrow(), "1.5 s rounded up to whole seconds");
        long deadline = System.nanoTime() + WAIT.toNanos();
        int status = 429;
        int refusedMeanwhile = 0;
        while (System.nanoTime() < deadline && (status = post(base + "/work", dave).statusCode()) == 429) {
            refusedMeanwhile++;
            Thread.sleep(50);
        }
        assertEquals(202, status, "admitted again once the window has slid past the first requests");
        assertTrue(refusedMeanwhile > 0, "refused until then");
        // a fresh key: 2 allowed, one used, one remaining
        RateLimiter probe = new RateLimiter(Env.DEFAULT_RESULT_BACKEND, prefix, new RateLimiter.Rule(2, window));
        closeables.add(probe);
        RateLimiter.Decision d = probe.acquire("probe");
        assertTrue(d.allowed());
        assertEquals(1, d.remaining());
    }

    @Test
    void redisUnreachableIsA503AndTheLimiterRecovers() throws Exception {
        int port = JvmProcess.freePort();
        Path dir = Files.createTempDirectory("growbin-rate-limit-redis");
        Process redis = PrivateRedis.start(port, dir, WAIT);
        try {
            String url = "redis://127.0.0.1:" + port + "/0";
            String base = replica(url, new RateLimiter.Rule(5, Duration.ofSeconds(60)));
            String erin = token("erin-" + UUID.randomUUID());
            assertEquals(202, post(base + "/work", erin).statusCode());
            redis.destroy();
            assertTrue(redis.waitFor(10, TimeUnit.SECONDS));
            HttpResponse<String> down = post(base + "/work", erin);
            assertJsonError(down, 503);
            assertEquals("1", down.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(json.readTree(down.body()).get("error").asText().contains("Redis is unreachable"), down.body());
            assertJsonError(get(base + "/public", null), 503);
            assertEquals(200, get(base + "/unlimited", erin).statusCode(), "routes without a limit do not need it");

            redis = PrivateRedis.start(port, dir, WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            int status = 503;
            while (System.nanoTime() < deadline && (status = post(base + "/work", erin).statusCode()) == 503) {
                Thread.sleep(50);
            }
            assertEquals(202, status, "admitted again once Redis is back");
        } finally {
            redis.destroyForcibly();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void rulesComeFromTheEnvironmentWithDefaults() {
        RateLimiter.Rule defaults = RateLimiter.Rule.fromEnv(new Env(Map.of()));
        assertEquals(new RateLimiter.Rule(30, Duration.ofSeconds(60)), defaults);
        assertEquals(new RateLimiter.Rule(5, Duration.ofSeconds(10)), RateLimiter.Rule.fromEnv(new Env(Map.of(
                EnvVars.RATE_LIMIT_REQUESTS, "5", EnvVars.RATE_LIMIT_WINDOW_SECONDS, "10"))));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> RateLimiter.Rule.fromEnv(new Env(Map.of(EnvVars.RATE_LIMIT_REQUESTS, "0"))));
        assertEquals("RATE_LIMIT_REQUESTS must be at least 1, got 0", zero.getMessage());
        IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
                () -> RateLimiter.Rule.fromEnv(new Env(Map.of(EnvVars.RATE_LIMIT_WINDOW_SECONDS, "-1"))));
        assertEquals("RATE_LIMIT_WINDOW_SECONDS must be at least 1, got -1", window.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RateLimiter.Rule.fromEnv(new Env(Map.of(EnvVars.RATE_LIMIT_REQUESTS, "many"))));
    }

    @Test
    void aServiceWithALimitedRouteNeedsALimiter() {
        Routes routes = new Routes("/api");
        routes.post("/work", Access.PUBLIC, RateLimit.PER_CLIENT_ADDRESS, r -> Response.status(204));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RuntimeHttpServer("limited", "127.0.0.1", 0,
                routes, new MetricsRegistry(), () -> true, HttpLimits.defaults(), null, null, Tracing.off()));
        assertEquals("limited has rate-limited routes but no rate limiter", e.getMessage());
    }

    @Test
    void checkThrowsTheHttpErrorsItself() {
        RateLimiter limiter = new RateLimiter(Env.DEFAULT_RESULT_BACKEND, prefix, new RateLimiter.Rule(1, Duration.ofSeconds(30)));
        closeables.add(limiter);
        assertTrue(limiter.check("k").allowed());
        HttpException e = assertThrows(HttpException.class, () -> limiter.check("k"));
        assertEquals(429, e.status());
        long retryAfter = Long.parseLong(e.headers().get("Retry-After"));
        assertTrue(retryAfter >= 29 && retryAfter <= 30, "Retry-After " + retryAfter);
        assertFalse(limiter.acquire("k").allowed());
    }

}
