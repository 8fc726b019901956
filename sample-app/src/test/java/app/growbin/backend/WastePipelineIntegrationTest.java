package app.growbin.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.backend.ai.Classification;
import app.growbin.backend.ai.Guidance;
import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.RestServiceDefinition;
import app.growbin.runtime.auth.RedisRevocationList;
import app.growbin.runtime.auth.SigningKeys;
import app.growbin.runtime.auth.Tokens;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.celery.Broker;
import app.growbin.runtime.celery.CeleryWorker;
import app.growbin.runtime.celery.ResultBackend;
import app.growbin.runtime.metrics.MetricsRegistry;
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
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * POST /api/v1/waste → chain preprocess → vision → rag → llm on real RabbitMQ and Redis (offline
 * classifier, own queues) → GET /api/v1/waste/{id} until SUCCESS, with a token signed by the
 * service's key, as the auth service would issue it.
 */
class WastePipelineIntegrationTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void wastePipelineRunsEndToEnd() throws Exception {
        String suffix = ".test-" + UUID.randomUUID().toString().substring(0, 8);
        String keys = "p1=pipeline-test-signing-key-of-32-bytes!";
        Env env = new Env(Map.of(EnvVars.HTTP_PORT, "0", EnvVars.SHUTDOWN_DRAIN_SECONDS, "0", EnvVars.SHUTDOWN_GRACE_SECONDS, "1",
                EnvVars.AUTH_SIGNING_KEYS, keys));
        RedisRevocationList revocations = new RedisRevocationList(Env.DEFAULT_RESULT_BACKEND, Clock.systemUTC());
        String subject = "pipeline-test-" + UUID.randomUUID();
        String token = new Tokens(SigningKeys.parse(keys), Tokens.DEFAULT_ISSUER, Tokens.DEFAULT_AUDIENCE, Duration.ofMinutes(15),
                revocations, Clock.systemUTC()).issue(subject, Set.of("user")).token();
        List<String> ids = new ArrayList<>();
        Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "pipeline-test");
        ResultBackend results = new ResultBackend(Env.DEFAULT_RESULT_BACKEND, 600);
        PreprocessWorker pre = new PreprocessWorker();
        VisionWorker vision = new VisionWorker(env);
        RagWorker rag = new RagWorker();
        LlmWorker llm = new LlmWorker(env);
        Map<String, TaskDispatcher> stages = Map.of(
                "q.preprocess", (t, a) -> pre.normalize(a.get(0, "imageRef", String.class)),
                "q.vision", (t, a) -> vision.classify(a.get(0, "imageRef", String.class)),
                "q.rag", (t, a) -> rag.retrieve(a.get(0, "classification", Classification.class)),
                "q.llm", (t, a) -> llm.answer(a.get(0, "guidance", Guidance.class)));
        List<CeleryWorker> workers = new ArrayList<>();
        MetricsRegistry registry = new MetricsRegistry();
        for (Map.Entry<String, TaskDispatcher> e : stages.entrySet()) {
            CeleryWorker w = new CeleryWorker(new CeleryWorker.Settings(e.getKey(), e.getKey() + suffix, Pool.THREADS, 2, 0,
                    100, 30, "q.dlq" + suffix), e.getValue(), broker, results, registry);
            w.start();
            workers.add(w);
        }
        Launcher.Running rest = Launcher.startRest(new RestServiceDefinition("waste", "/api/v1/waste", 8080,
                () -> new WasteApi(suffix)), env);
        try {
            String base = "http://127.0.0.1:" + rest.port() + "/api/v1/waste";
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"description\": \"  Empty PET Bottle \"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = json.readTree(accepted.body()).get("taskId").asText();
            ids.add(id);
            JsonNode status = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                status = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/" + id))
                        .header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                if (status.path("state").asText().equals("SUCCESS") || status.path("state").asText().equals("FAILURE")) {
                    break;
                }
                Thread.sleep(20);
            }
            assertEquals("SUCCESS", status.path("state").asText(), String.valueOf(status));
            JsonNode result = status.get("result");
            assertEquals("plastic", result.get("material").asText());
            assertEquals("yellow", result.get("bin").asText());
            assertEquals("offline", result.get("source").asText());
            assertTrue(result.get("message").asText().contains("yellow bin"), result.toString());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/not-an-id"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        } finally {
            rest.shutdown();
            for (CeleryWorker w : workers) {
                w.close();
            }
            try (Channel ch = broker.connection().createChannel()) {
                for (String q : stages.keySet()) {
                    ch.queueDelete(q + suffix);
                }
                ch.queueDelete("q.dlq" + suffix);
            }
            ids.forEach(results::deleteOwner);
            try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
                j.del("growbin:rate-limit:waste:sub:" + subject);
            }
            broker.close();
            results.close();
            revocations.close();
        }
    }
}
