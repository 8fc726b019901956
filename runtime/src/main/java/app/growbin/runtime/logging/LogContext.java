package app.growbin.runtime.logging;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * Puts fields into the logging context (slf4j's MDC) of the current thread for a block, and puts
 * back what was there before when closed, so nested blocks (a task run inside a recording step)
 * leave the outer ones intact:
 * <pre>{@code try (LogContext c = LogContext.of(LogFields.TASK_ID, id, LogFields.QUEUE, queue)) { ... }}</pre>
 */
public final class LogContext implements AutoCloseable {

    private final List<String> keys;
    private final List<String> previous;

    private LogContext(List<String> keys, List<String> previous) {
        this.keys = keys;
        this.previous = previous;
    }

    /** Alternating keys and values; a null value removes the key for the block. */
    public static LogContext of(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        List<String> keys = new ArrayList<>(keysAndValues.length / 2);
        List<String> previous = new ArrayList<>(keysAndValues.length / 2);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = keysAndValues[i];
            keys.add(key);
            previous.add(MDC.get(key));
            put(key, keysAndValues[i + 1]);
        }
        return new LogContext(keys, previous);
    }

    /** The fields of a worker's message. */
    public static LogContext task(String taskId, String queue) {
        return of(LogFields.TASK_ID, taskId, LogFields.QUEUE, queue);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        for (int i = keys.size() - 1; i >= 0; i--) {
            put(keys.get(i), previous.get(i));
        }
    }
}
