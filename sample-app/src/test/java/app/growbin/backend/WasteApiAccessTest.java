package app.growbin.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.RestServiceDefinition;
import app.growbin.runtime.auth.RedisRevocationList;
import app.growbin.runtime.auth.SigningKeys;
import app.growbin.runtime.auth.Tokens;
import app.growbin.runtime.celery.Broker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Who may use the waste API, over real HTTP against two replicas of it (two servers, each with its own
 * task client, rate limiter and Redis connections, as two pods have) on the real RabbitMQ and Redis:
 * a token is required; a request's status is its owner's (and an administrator's), anyone else gets
 * the 404 of an unknown id; the rate limit of the POST holds across both replicas, answers a JSON 429
 * with Retry-After, and a refused request sends no task. No worker runs: the tasks wait in this test's
 * own queue, which is deleted afterwards with every Redis key the test made.
 */
class WasteApiAccessTest {

    static final String KEYS = "w1=waste-access-test-signing-key-32-bytes!";
    static final int LIMIT = 4;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String suffix = ".access-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String service = "waste-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Launcher.Running> replicas = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private RedisRevocationList revocations;
    private Tokens tokens;
    private String a;
    private String b;

    @BeforeEach
    void start() throws Exception {
        revocations = new RedisRevocationList(Env.DEFAULT_RESULT_BACKEND, Clock.systemUTC());
        tokens = new Tokens(SigningKeys.parse(KEYS), Tokens.DEFAULT_ISSUER, Tokens.DEFAULT_AUDIENCE, Duration.ofMinutes(15), revocations,
                Clock.systemUTC());
        a = replica();
        b = replica();
    }

    private String replica() throws Exception {
        Env env = new Env(Map.of(EnvVars.SERVICE_NAME, service, EnvVars.HTTP_PORT, "0", EnvVars.SHUTDOWN_DRAIN_SECONDS, "0",
                EnvVars.SHUTDOWN_GRACE_SECONDS, "1", EnvVars.AUTH_SIGNING_KEYS, KEYS,
                EnvVars.RATE_LIMIT_REQUESTS, String.valueOf(LIMIT), EnvVars.RATE_LIMIT_WINDOW_SECONDS, "60"));
        Launcher.Running r = Launcher.startRest(new RestServiceDefinition("waste", "/api/v1/waste", 8080, () -> new WasteApi(suffix)), env);
        replicas.add(r);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!r.ready()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waste replica not ready");
            }
            Thread.sleep(20);
        }
        return "http://127.0.0.1:" + r.port() + "/api/v1/waste";
    }

    @AfterEach
    void stop() throws Exception {
        replicas.forEach(Launcher.Running::shutdown);
        revocations.close();
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            List<String> keys = new ArrayList<>(j.keys("growbin:rate-limit:" + service + ":*"));
            ids.forEach(id -> keys.add("growbin-task-owner-" + id));
            if (!keys.isEmpty()) {
                j.del(keys.toArray(String[]::new));
            }
        }
        try (Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "waste-access-test"); Channel ch = broker.connection().createChannel()) {
            ch.queueDelete(PreprocessTasks.QUEUE + suffix);
        }
    }

    private String token(String subject, String... roles) {
        return tokens.issue(subject, Set.of(roles)).token();
    }

    private HttpResponse<String> post(String base, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"description\": \"empty glass jar\"}"));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> answer = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 202) {
            ids.add(json.readTree(answer.body()).get("taskId").asText());
        }
        return answer;
    }

    private HttpResponse<String> get(String uri, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode jsonError(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode body = json.readTree(r.body());
        assertTrue(body.hasNonNull("error"), r.body());
        return body;
    }

    private long waitingTasks() throws Exception {
        try (Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "waste-access-test"); Channel ch = broker.connection().createChannel()) {
            return ch.queueDeclarePassive(PreprocessTasks.QUEUE + suffix).getMessageCount();
        }
    }

    @Test
    void withoutATokenNothingStartsAndNothingIsRead() throws Exception {
        HttpResponse<String> post = post(a, null);
        jsonError(post, 401);
        assertEquals("Bearer", post.headers().firstValue("WWW-Authenticate").orElse(""));
        jsonError(post(a, "not-a-token"), 401);
        String forged = new Tokens(SigningKeys.parse("w1=another-key-with-the-same-kid-32-bytes!"), Tokens.DEFAULT_ISSUER,
                Tokens.DEFAULT_AUDIENCE, Duration.ofMinutes(15), revocations, Clock.systemUTC()).issue("mallory", Set.of("admin")).token();
        jsonError(post(a, forged), 401);

        String alice = token("alice-" + UUID.randomUUID(), "user");
        HttpResponse<String> accepted = post(a, alice);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = json.readTree(accepted.body()).get("taskId").asText();
        jsonError(get(a + "/" + id, null), 401);
        jsonError(get(a + "/" + id, forged), 401);
        assertEquals(1, waitingTasks(), "only the request with a valid token sent a task");
    }

    @Test
    void aRequestIsReadByItsOwnerAndAnAdministratorOnly() throws Exception {
        String alice = token("alice-" + UUID.randomUUID(), "user");
        String bob = token("bob-" + UUID.randomUUID(), "user");
        String admin = token("admin-" + UUID.randomUUID(), "user", "admin");
        HttpResponse<String> accepted = post(a, alice);
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = json.readTree(accepted.body()).get("taskId").asText();

        for (String replica : List.of(a, b)) {
            HttpResponse<String> own = get(replica + "/" + id, alice);
            assertEquals(200, own.statusCode(), own.body());
            assertEquals(id, json.readTree(own.body()).get("taskId").asText());
            assertEquals("PENDING", json.readTree(own.body()).get("state").asText(), "no worker runs in this test");
            assertEquals(200, get(replica + "/" + id, admin).statusCode(), "an administrator reads anyone's request");
        }
        // bob gets exactly what an unknown id gets: nothing tells him the id exists
        JsonNode others = jsonError(get(b + "/" + id, bob), 404);
        JsonNode unknown = jsonError(get(b + "/" + UUID.randomUUID(), bob), 404);
        assertEquals(unknown, others);
        jsonError(get(b + "/" + UUID.randomUUID(), admin), 404);
        jsonError(get(b + "/not-an-id", alice), 404);
    }

    @Test
    void theRateLimitHoldsAcrossBothReplicasWith429AndRetryAfter() throws Exception {
        String carol = token("carol-" + UUID.randomUUID(), "user");
        for (int i = 0; i < LIMIT; i++) {
            HttpResponse<String> r = post(i % 2 == 0 ? a : b, carol);
            assertEquals(202, r.statusCode(), "request " + (i + 1) + " of " + LIMIT + ": " + r.body());
        }
        for (String replica : List.of(a, b)) {
            HttpResponse<String> refused = post(replica, carol);
            JsonNode body = jsonError(refused, 429);
            long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertTrue(body.get("error").asText().contains("at most " + LIMIT + " requests per 60 s"), body.toString());
        }
        assertEquals(LIMIT, waitingTasks(), "a refused request sends no task: " + LIMIT + " tasks from " + (LIMIT + 2) + " requests");
        assertEquals(202, post(b, token("dave-" + UUID.randomUUID(), "user")).statusCode(), "another user has a budget of their own");
        assertEquals(200, get(a + "/" + ids.get(0), carol).statusCode(), "reading the status is not limited");
    }
}
