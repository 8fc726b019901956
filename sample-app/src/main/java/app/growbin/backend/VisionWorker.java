package app.growbin.backend;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.SecretEnv;
import app.growbin.annotations.Task;

/** Classifies the waste on an image with a vision model. */
@AsyncWorker(queue = "q.vision", pool = Pool.GEVENT, concurrency = 20, replicas = 5)
@Resources(cpu = "250m", memory = "512Mi", cpuLimit = "1000m", memoryLimit = "1Gi")
@NodeSelector(key = "workload", value = "ai-worker")
@Autoscaling(minReplicas = 5, maxReplicas = 8, targetCpuUtilization = 70)
@SecretEnv(name = "OPENAI_API_KEY", secret = "openai-secrets", key = "api-key")
public final class VisionWorker {

    @Task("vision.classify")
    public String classify(String imageRef) {
        return imageRef;
    }
}
