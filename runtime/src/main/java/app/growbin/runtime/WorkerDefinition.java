package app.growbin.runtime;

import app.growbin.annotations.Pool;
import java.util.List;
import java.util.function.Supplier;

/**
 * A worker as the code declares it ({@code @AsyncWorker} and its {@code @Task} methods).
 *
 * @param dispatcher creates the worker instance and returns the dispatcher bound to it (called once)
 */
public record WorkerDefinition(String name, String queue, Pool pool, int concurrency, List<String> tasks,
        Supplier<TaskDispatcher> dispatcher) {

    public WorkerDefinition {
        tasks = List.copyOf(tasks);
    }
}
