package app.growbin.backend;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.SecretEnv;
import app.growbin.annotations.Task;
import app.growbin.backend.ai.Classification;
import app.growbin.backend.ai.OfflineClassifier;
import app.growbin.backend.ai.OpenAiClient;
import app.growbin.runtime.Env;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Classifies the waste on an image with a vision model. */
@AsyncWorker(queue = "q.vision", pool = Pool.GEVENT, concurrency = 20, replicas = 5)
@Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "async-workers")
@Autoscaling(minReplicas = 5, maxReplicas = 8, targetCpuUtilization = 70)
@SecretEnv(name = "OPENAI_API_KEY", secret = "openai-secrets", key = "api-key")
public final class VisionWorker {

    private final Optional<OpenAiClient> openAi;
    private final String model;

    public VisionWorker() {
        this(Env.system());
    }

    public VisionWorker(Env env) {
        this.openAi = OpenAiClient.fromEnv(env);
        this.model = env.get(OpenAiClient.VISION_MODEL_VARIABLE, "gpt-4o-mini");
    }

    /** Asks the vision model what the item is; without a key, the offline classifier decides. */
    @Task("vision.classify")
    public Classification classify(String imageRef) throws Exception {
        if (openAi.isEmpty()) {
            return OfflineClassifier.classify(imageRef);
        }
        boolean image = imageRef.startsWith("http://") || imageRef.startsWith("https://") || imageRef.startsWith("data:");
        JsonNode j = openAi.get().completeJson(model,
                "You classify household waste for recycling. Answer with a JSON object "
                        + "{\"label\": string, \"material\": one of plastic, glass, metal, paper, organic, "
                        + "electronic, general, \"confidence\": number 0..1}.",
                image ? "What is this item?" : "The item: " + imageRef, image ? imageRef : null);
        return new Classification(imageRef, j.path("label").asText("unknown"), j.path("material").asText("general"),
                j.path("confidence").asDouble(0.5), "openai:" + model);
    }
}
