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

    /** Trims and collapses whitespace; a URL keeps its case, a description is lower-cased. */
    @Task("preprocess.normalize")
    public String normalize(String imageRef) {
        if (imageRef == null || imageRef.isBlank()) {
            throw new IllegalArgumentException("an image reference or description is required");
        }
        String s = imageRef.strip().replaceAll("\\s+", " ");
        boolean url = s.startsWith("http://") || s.startsWith("https://") || s.startsWith("data:");
        return url ? s : s.toLowerCase(java.util.Locale.ROOT);
    }
}
