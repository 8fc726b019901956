package app.growbin.backend.ai;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A minimal OpenAI-compatible chat-completions client ({@code POST <base>/chat/completions}) on the
 * JDK's HTTP client. Key from {@code OPENAI_API_KEY}, base URL from {@code OPENAI_BASE_URL}
 * (default {@code https://api.openai.com/v1}); {@link #fromEnv} is empty when there is no key, and
 * the workers then use {@link OfflineClassifier}.
 */
public final class OpenAiClient {

    /** The API key, from the Secret {@code openai-secrets} through {@code @SecretEnv}. */
    public static final String API_KEY_VARIABLE = "OPENAI_API_KEY";
    /** The vision model: {@code openai.models.vision} of the values files, through the shared ConfigMap. */
    public static final String VISION_MODEL_VARIABLE = EnvVars.OPENAI_MODEL_PREFIX + "VISION";
    /** The language model: {@code openai.models.llm}. */
    public static final String LLM_MODEL_VARIABLE = EnvVars.OPENAI_MODEL_PREFIX + "LLM";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String baseUrl;
    private final String apiKey;

    public OpenAiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
    }

    public static Optional<OpenAiClient> fromEnv(Env env) {
        return env.find(API_KEY_VARIABLE)
                .map(key -> new OpenAiClient(env.get(EnvVars.OPENAI_BASE_URL, "https://api.openai.com/v1"), key));
    }

    /**
     * One chat completion asking for a JSON object; returns the parsed object of the first choice.
     *
     * @param imageUrl an image to show the model, or null
     */
    public JsonNode completeJson(String model, String system, String user, String imageUrl)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.put("temperature", 0);
        body.putObject("response_format").put("type", "json_object");
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        ObjectNode u = messages.addObject().put("role", "user");
        if (imageUrl == null) {
            u.put("content", user);
        } else {
            ArrayNode parts = u.putArray("content");
            parts.addObject().put("type", "text").put("text", user);
            parts.addObject().put("type", "image_url").putObject("image_url").put("url", imageUrl);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("chat completions answered " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(300, response.body().length())));
        }
        JsonNode content = JSON.readTree(response.body()).at("/choices/0/message/content");
        if (!content.isTextual()) {
            throw new IOException("chat completions answer has no message content");
        }
        return JSON.readTree(content.textValue());
    }
}
