package app.growbin.bench;

import app.growbin.annotations.AsyncWorker;
import app.growbin.annotations.Pool;
import app.growbin.annotations.Task;

/** Benchmark worker: I/O-bound tasks, simulated by a sleep (Celery's gevent counterpart: GEVENT, concurrency 100). */
@AsyncWorker(queue = "q.bench-io", pool = Pool.GEVENT, concurrency = 100)
public final class SleepWorker {
    @Task("bench.sleep")
    public int sleep(int millis) throws InterruptedException {
        Thread.sleep(millis);
        return millis;
    }
}
