package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The value of {@code celery-task-meta-<id>}: {@code status}, {@code result}, {@code traceback},
 * {@code children}, {@code date_done}, {@code task_id}, written in this order and with Python's
 * separators, as Celery's Redis backend writes it. A failure's {@code result} is
 * {@code {"exc_type", "exc_message", "exc_module"}}.
 */
public record TaskResult(TaskState status, JsonNode result, String traceback, JsonNode children, String dateDone,
        String taskId) {

    public static TaskResult success(String taskId, JsonNode result, Clock clock) {
        return new TaskResult(TaskState.SUCCESS, result, null, JsonNodeFactory.instance.arrayNode(), dateDone(clock),
                taskId);
    }

    public static TaskResult failure(String taskId, TaskState state, Throwable error, Clock clock) {
        // Celery stores no traceback for the failures its worker raises itself (time limit, revoked, ...)
        String traceback = error instanceof CeleryExceptions.CeleryError ? null : traceback(error);
        return new TaskResult(state, exception(error), traceback, JsonNodeFactory.instance.arrayNode(),
                dateDone(clock), taskId);
    }

    /** Celery's exception dict: {@code {"exc_type", "exc_message", "exc_module"}} (see {@link CeleryExceptions}). */
    public static ObjectNode exception(Throwable error) {
        return CeleryExceptions.stored(error).toJson();
    }

    public static String traceback(Throwable error) {
        StringWriter w = new StringWriter();
        error.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /**
     * {@code datetime.utcnow().isoformat()}: {@code YYYY-MM-DDTHH:MM:SS[.ffffff]}, microseconds left out when they are
     * zero. Written digit by digit: every result carries one, and a formatter per call cost more than the rest of
     * the result.
     */
    public static String dateDone(Clock clock) {
        LocalDateTime t = LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(26);
        digits(b, t.getYear(), 4).append('-');
        digits(b, t.getMonthValue(), 2).append('-');
        digits(b, t.getDayOfMonth(), 2).append('T');
        digits(b, t.getHour(), 2).append(':');
        digits(b, t.getMinute(), 2).append(':');
        digits(b, t.getSecond(), 2);
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            digits(b.append('.'), micros, 6);
        }
        return b.toString();
    }

    /** {@code value} (0 or more) zero-padded to at least {@code width} digits, as Python's {@code %0<width>d}. */
    private static StringBuilder digits(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("status", status.name());
        o.set("result", result == null ? JsonNodeFactory.instance.nullNode() : result);
        if (traceback == null) {
            o.putNull("traceback");
        } else {
            o.put("traceback", traceback);
        }
        o.set("children", children == null ? JsonNodeFactory.instance.arrayNode() : children);
        o.put("date_done", dateDone);
        o.put("task_id", taskId);
        return o;
    }

    /** The exact string Celery would store. */
    public String encode() {
        return PythonJson.write(toJson());
    }

    public static TaskResult decode(String raw) {
        JsonNode n = PythonJson.read(raw);
        return new TaskResult(TaskState.parse(n.path("status").asText(null)), n.get("result"),
                n.hasNonNull("traceback") ? n.get("traceback").asText() : null, n.get("children"),
                n.hasNonNull("date_done") ? n.get("date_done").asText() : null, n.path("task_id").asText(null));
    }
}
