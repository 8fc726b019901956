package app.growbin.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible chat-completions endpoint on loopback ({@code POST /v1/chat/completions}):
 * answers 401 without {@code Authorization: Bearer <key>}, records every call, and answers the
 * vision prompt with a classification and the llm prompt with a message, as JSON object content
 * ({@code response_format: json_object}).
 */
final class FakeOpenAi implements AutoCloseable {

    /** One call: the model asked for, the key sent, the user content. */
    record Call(String model, String authorization, String system, JsonNode user) {}

    static final String LLM_MESSAGE = "Fake model: rinse the jar and put it in the glass container.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String key;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();

    FakeOpenAi(String key) throws IOException {
        this.key = key;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The next call is answered 500, as in an OpenAI outage. */
    void failNext() {
        failures.incrementAndGet();
    }

    /** The value for {@code OPENAI_BASE_URL}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(ex.getRequestMethod())) {
                send(ex, 405, "{\"error\": {\"message\": \"POST only\"}}");
                return;
            }
            if (!("Bearer " + key).equals(auth)) {
                send(ex, 401, "{\"error\": {\"message\": \"Incorrect API key provided\", \"type\": \"invalid_request_error\"}}");
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(ex, 500, "{\"error\": {\"message\": \"The server had an error while processing your request.\", \"type\": \"server_error\"}}");
                return;
            }
            JsonNode req = JSON.readTree(ex.getRequestBody());
            String model = req.path("model").asText();
            String system = req.at("/messages/0/content").asText();
            calls.add(new Call(model, auth, system, req.at("/messages/1/content")));
            ObjectNode content = JSON.createObjectNode();
            if (system.contains("classify household waste")) {
                content.put("label", "glass jar").put("material", "glass").put("confidence", 0.97);
            } else {
                content.put("message", LLM_MESSAGE);
            }
            ObjectNode answer = JSON.createObjectNode();
            answer.put("id", "chatcmpl-fake").put("object", "chat.completion").put("model", model);
            ObjectNode choice = answer.putArray("choices").addObject();
            choice.put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", JSON.writeValueAsString(content));
            send(ex, 200, JSON.writeValueAsString(answer));
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    List<String> models() {
        return calls.stream().map(Call::model).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
