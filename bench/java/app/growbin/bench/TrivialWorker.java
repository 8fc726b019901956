package app.growbin.bench;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Task;

/** Benchmark worker: CPU-trivial tasks (Celery's prefork counterpart: PROCESSES, concurrency 2). */
@AsyncWorker(queue = "q.bench-trivial", pool = Pool.PROCESSES, concurrency = 2)
public final class TrivialWorker {
    @Task("bench.add")
    public int add(int x, int y) {
        return x + y;
    }
}
