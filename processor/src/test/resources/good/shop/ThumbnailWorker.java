package app.growbin.shop;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Resources;
import app.growbin.annotations.Task;

/** A worker with two tasks, one named explicitly and one by its method. */
@AsyncWorker(queue = "q.thumbnails", pool = Pool.THREADS, concurrency = 4)
@Resources(cpu = "100m", memory = "128Mi", cpuLimit = "1", memoryLimit = "256Mi")
public final class ThumbnailWorker {

    @Task("thumbnails.resize")
    public String resize(String imageRef, int width) {
        return imageRef + "@" + width;
    }

    @Task
    public void purge() {
    }
}
