package app.growbin.backend;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.Task;
import app.growbin.backend.ai.Classification;
import app.growbin.backend.ai.Guidance;
import app.growbin.backend.ai.OfflineClassifier;

/** Retrieves recycling rules relevant to a classification. */
@AsyncWorker(queue = "q.rag", pool = Pool.PROCESSES, concurrency = 10, replicas = 2)
@Resources(cpu = "100m", memory = "128Mi", cpuLimit = "300m", memoryLimit = "256Mi")
@NodeSelector(key = "workload", value = "async-workers")
public final class RagWorker {

    /** Looks up the bin and the rules for the material (the retrieval corpus is in memory). */
    @Task("rag.retrieve")
    public Guidance retrieve(Classification classification) {
        Guidance g = OfflineClassifier.GUIDANCE.getOrDefault(classification.material(),
                OfflineClassifier.GUIDANCE.get("general"));
        return new Guidance(classification, g.bin(), g.rules());
    }
}
