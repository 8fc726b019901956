package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;

/**
 * A task call that has not been sent yet (Celery's signature): what a chain, a link, a link_error or
 * a chord carries in its message, in Celery 5.2's dict form {@code {"task", "args", "kwargs", "options",
 * "subtask_type", "immutable"}}. The options are kept as they came (a Python signature
 * may carry {@code link}, {@code countdown}, {@code time_limit}, ...), so a Java worker forwards them.
 *
 * @param options Celery's call options: {@code task_id}, {@code queue}, {@code link}, {@code link_error}, ...
 * @param subtaskType {@code null} for a task, or {@code chain}, {@code group}, {@code chord} (see {@link Canvas})
 * @param immutable when false the previous task's result is prepended to {@code args}
 */
public record Signature(String task, ArrayNode args, ObjectNode kwargs, ObjectNode options, String subtaskType,
        boolean immutable) {

    public Signature {
        args = args == null ? JsonNodeFactory.instance.arrayNode() : args;
        kwargs = kwargs == null ? JsonNodeFactory.instance.objectNode() : kwargs;
        options = options == null ? JsonNodeFactory.instance.objectNode() : options;
    }

    /** A signature with a fresh task id and positional arguments converted to JSON. */
    public static Signature of(String task, String queue, Object... args) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Object o : args) {
            JsonNode n = PythonJson.MAPPER.valueToTree(o);
            a.add(n == null ? NullNode.instance : n);
        }
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        options.put("task_id", UUID.randomUUID().toString());
        if (queue != null) {
            options.put("queue", queue);
        }
        return new Signature(task, a, null, options, null, false);
    }

    /** Where it goes: {@code options.queue}, else {@code options.routing_key}, else null (Celery's default queue). */
    public String queue() {
        return options.hasNonNull("queue") ? options.get("queue").asText()
                : options.hasNonNull("routing_key") ? options.get("routing_key").asText() : null;
    }

    /** The id it will get ({@code options.task_id}); chosen in advance so callers can follow it. */
    public String taskId() {
        return options.hasNonNull("task_id") ? options.get("task_id").asText() : null;
    }

    public Signature withTaskId(String id) {
        ObjectNode o = options.deepCopy();
        o.put("task_id", id);
        return new Signature(task, args, kwargs, o, subtaskType, immutable);
    }

    /** The same call sent to another queue (tests run a pipeline on their own queues). */
    public Signature withQueue(String queue) {
        ObjectNode o = options.deepCopy();
        o.put("queue", queue);
        o.remove("routing_key");
        return new Signature(task, args, kwargs, o, subtaskType, immutable);
    }

    /** The same call, run without the previous result ({@code si()} in Celery). */
    public Signature asImmutable() {
        return new Signature(task, args, kwargs, options, subtaskType, true);
    }

    /** A Celery option such as {@code link} or {@code countdown}, or null. */
    public JsonNode option(String name) {
        JsonNode n = options.get(name);
        return n == null || n.isNull() ? null : n;
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("task", task);
        o.set("args", args);
        o.set("kwargs", kwargs);
        o.set("options", options);
        if (subtaskType == null) {
            o.putNull("subtask_type");
        } else {
            o.put("subtask_type", subtaskType);
        }
        o.put("immutable", immutable);
        return o;
    }

    /** Celery's signature dict; anything else is a {@link MalformedMessageException}. */
    public static Signature fromJson(JsonNode s) {
        if (s == null || !s.isObject() || !(s.hasNonNull("task") || s.hasNonNull("subtask_type"))) {
            throw new MalformedMessageException("not a Celery signature: " + PythonJson.preview(s));
        }
        JsonNode options = s.get("options");
        return new Signature(
                s.path("task").asText(null),
                s.get("args") instanceof ArrayNode ? (ArrayNode) s.get("args") : null,
                s.get("kwargs") instanceof ObjectNode ? (ObjectNode) s.get("kwargs") : null,
                options instanceof ObjectNode ? ((ObjectNode) options).deepCopy() : null,
                s.hasNonNull("subtask_type") ? s.get("subtask_type").asText() : null,
                s.path("immutable").asBoolean(false));
    }

    /** The ids of a list of signatures, in order. */
    public static List<String> ids(List<Signature> signatures) {
        return signatures.stream().map(Signature::taskId).toList();
    }
}
