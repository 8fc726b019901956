package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JavaType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * A sent task: its id, and its state and result as the result backend has them (Celery's
 * {@code AsyncResult}).
 */
public final class TaskHandle<T> {

    private final String id;
    private final ResultBackend results;
    private final JavaType resultType;

    public TaskHandle(String id, ResultBackend results, JavaType resultType) {
        this.id = id;
        this.results = results;
        this.resultType = resultType;
    }

    public String id() {
        return id;
    }

    /** PENDING until a worker stores something. */
    public TaskState state() {
        return results.get(id).map(TaskResult::status).orElse(TaskState.PENDING);
    }

    public Optional<TaskResult> meta() {
        return results.get(id);
    }

    /** The result when the task succeeded, empty while it runs; throws when it failed. */
    public Optional<T> resultIfReady() {
        Optional<TaskResult> r = results.get(id);
        if (r.isEmpty() || !r.get().status().ready()) {
            return Optional.empty();
        }
        return Optional.ofNullable(convert(r.get()));
    }

    /** Waits for the task to finish (polling the backend), like {@code AsyncResult.get(timeout)}. */
    public T get(Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 5;
        while (true) {
            Optional<TaskResult> r = results.get(id);
            if (r.isPresent() && r.get().status().ready()) {
                return convert(r.get());
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("task " + id + " did not finish within " + timeout + " (state "
                        + r.map(TaskResult::status).orElse(TaskState.PENDING) + ")");
            }
            Thread.sleep(pause);
            pause = Math.min(200, pause * 2);
        }
    }

    private T convert(TaskResult r) {
        if (r.status() != TaskState.SUCCESS) {
            throw TaskFailedException.from(r);
        }
        if (r.result() == null || r.result().isNull()) {
            return null;
        }
        return PythonJson.MAPPER.convertValue(r.result(), resultType);
    }
}
