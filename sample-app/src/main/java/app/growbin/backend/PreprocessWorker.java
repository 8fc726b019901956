package app.growbin.backend;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.Task;

/** First pipeline stage: normalizes the uploaded image reference. */
@AsyncWorker(queue = "q.preprocess", pool = Pool.PROCESSES, concurrency = 8, replicas = 3)
@Resources(cpu = "500m", memory = "512Mi", cpuLimit = "2000m", memoryLimit = "1Gi")
@NodeSelector(key = "workload", value = "ai-worker")
public final class PreprocessWorker {

    @Task("preprocess.normalize")
    public String normalize(String imageRef) {
        return imageRef.trim();
    }
}
