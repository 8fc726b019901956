package app.growbin.backend;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.SecretEnv;
import app.growbin.annotations.Task;

/** Writes the user-facing answer with a language model. */
@AsyncWorker(queue = "q.llm", pool = Pool.GEVENT, concurrency = 20, replicas = 3)
@Resources(cpu = "250m", memory = "512Mi", cpuLimit = "1000m", memoryLimit = "1Gi")
@NodeSelector(key = "workload", value = "ai-worker")
@SecretEnv(name = "OPENAI_API_KEY", secret = "openai-secrets", key = "api-key")
public final class LlmWorker {

    @Task("llm.answer")
    public String answer(String context) {
        return context;
    }
}
