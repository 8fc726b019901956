package app.growbin.backend;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.Task;

/** First pipeline stage: normalizes the uploaded image reference. */
@AsyncWorker(queue = "q.preprocess", pool = Pool.PROCESSES, concurrency = 8, replicas = 3)
@Resources(cpu = "300m", memory = "256Mi", cpuLimit = "1000m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "async-workers")
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
