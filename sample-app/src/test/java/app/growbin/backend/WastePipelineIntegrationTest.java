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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/waste → chain preprocess → vision → rag → llm on real RabbitMQ and Redis (offline
 * classifier, own queues) → GET /api/v1/waste/{id} until SUCCESS.
 */
class WastePipelineIntegrationTest {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void wastePipelineRunsEndToEnd() throws Exception {
        String suffix = ".test-" + UUID.randomUUID().toString().substring(0, 8);
        Env env = new Env(Map.of(EnvVars.HTTP_PORT, "0", EnvVars.SHUTDOWN_DRAIN_SECONDS, "0", EnvVars.SHUTDOWN_GRACE_SECONDS, "1"));
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
                    .POST(HttpRequest.BodyPublishers.ofString("{\"description\": \"  Empty PET Bottle \"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = json.readTree(accepted.body()).get("taskId").asText();
            JsonNode status = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                status = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/" + id)).build(),
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
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/not-an-id")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
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
            broker.close();
            results.close();
        }
    }
}
