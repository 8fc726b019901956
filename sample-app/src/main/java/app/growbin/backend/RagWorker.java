package app.growbin.backend;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.Task;

/** Retrieves recycling rules relevant to a classification. */
@AsyncWorker(queue = "q.rag", pool = Pool.PROCESSES, concurrency = 10, replicas = 2)
@Resources(cpu = "500m", memory = "512Mi", cpuLimit = "2000m", memoryLimit = "1Gi")
@NodeSelector(key = "workload", value = "ai-worker")
public final class RagWorker {

    @Task("rag.retrieve")
    public String retrieve(String classification) {
        return classification;
    }
}
