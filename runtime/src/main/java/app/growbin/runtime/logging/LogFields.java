package app.growbin.runtime.logging;

import java.util.List;

/**
 * The fields of a JSON log line ({@code LOG_FORMAT=json}), in the order they are written. The
 * last four come from the logging context (slf4j's MDC) and are present where they apply:
 * {@code trace_id}/{@code span_id} while a span is current (an HTTP request, a task run, a publish),
 * {@code task_id}/{@code queue} while a worker handles a message.
 */
public final class LogFields {

    public static final String TIMESTAMP = "timestamp";
    public static final String LEVEL = "level";
    public static final String SERVICE = "service";
    public static final String LOGGER = "logger";
    public static final String THREAD = "thread";
    public static final String MESSAGE = "message";
    public static final String EXCEPTION = "exception";

    /** MDC keys the runtime sets. */
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";
    public static final String TASK_ID = "task_id";
    public static final String QUEUE = "queue";

    /** The MDC keys the runtime sets, in the order the JSON line carries them (other MDC entries follow). */
    public static final List<String> CONTEXT = List.of(TRACE_ID, SPAN_ID, TASK_ID, QUEUE);

    private LogFields() {}
}
