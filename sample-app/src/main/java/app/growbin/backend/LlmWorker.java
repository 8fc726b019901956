package app.growbin.backend;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.SecretEnv;
import app.growbin.annotations.Task;
import app.growbin.backend.ai.Guidance;
import app.growbin.backend.ai.OpenAiClient;
import app.growbin.backend.ai.WasteAnswer;
import app.growbin.runtime.Env;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Writes the user-facing answer with a language model. */
@AsyncWorker(queue = "q.llm", pool = Pool.GEVENT, concurrency = 20, replicas = 3)
@Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "async-workers")
@SecretEnv(name = "OPENAI_API_KEY", secret = "openai-secrets", key = "api-key")
public final class LlmWorker {

    private final Optional<OpenAiClient> openAi;
    private final String model;

    public LlmWorker() {
        this(Env.system());
    }

    public LlmWorker(Env env) {
        this.openAi = OpenAiClient.fromEnv(env);
        this.model = env.get(OpenAiClient.LLM_MODEL_VARIABLE, "gpt-4o-mini");
    }

    /** Writes the answer from the guidance; without a key, a fixed template does. */
    @Task("llm.answer")
    public WasteAnswer answer(Guidance guidance) throws Exception {
        String label = guidance.classification().label();
        String material = guidance.classification().material();
        if (openAi.isEmpty()) {
            String message = "This looks like " + label + " (" + material + "). Put it in the " + guidance.bin()
                    + " bin. " + String.join(" ", guidance.rules());
            return new WasteAnswer(label, material, guidance.bin(), guidance.rules(), message, "offline");
        }
        JsonNode j = openAi.get().completeJson(model,
                "You help people recycle. Answer with a JSON object {\"message\": string}: two short, friendly "
                        + "sentences that say which bin to use and the most important rule.",
                "Item: " + label + ". Material: " + material + ". Bin: " + guidance.bin() + ". Rules: "
                        + String.join(" ", guidance.rules()), null);
        return new WasteAnswer(label, material, guidance.bin(), guidance.rules(), j.path("message").asText(),
                "openai:" + model);
    }
}
