package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;

/**
 * A task call that has not been sent yet (Celery's signature): what a chain carries in its
 * message, in Celery's dict form {@code {"task", "args", "kwargs", "options", "subtask_type",
 * "immutable", "chord_size"}}.
 *
 * @param queue where to send it ({@code options.queue})
 * @param taskId the id it will get ({@code options.task_id}); chosen in advance so callers can follow it
 * @param immutable when false the previous task's result is prepended to {@code args}
 */
public record Signature(String task, ArrayNode args, ObjectNode kwargs, String queue, String taskId, boolean immutable) {

    public Signature {
        args = args == null ? JsonNodeFactory.instance.arrayNode() : args;
        kwargs = kwargs == null ? JsonNodeFactory.instance.objectNode() : kwargs;
    }

    /** A signature with a fresh task id and positional arguments converted to JSON. */
    public static Signature of(String task, String queue, Object... args) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Object o : args) {
            a.add(PythonJson.MAPPER.valueToTree(o) == null ? NullNode.instance : (JsonNode) PythonJson.MAPPER.valueToTree(o));
        }
        return new Signature(task, a, null, queue, UUID.randomUUID().toString(), false);
    }

    public Signature withTaskId(String id) {
        return new Signature(task, args, kwargs, queue, id, immutable);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("task", task);
        o.set("args", args);
        o.set("kwargs", kwargs);
        ObjectNode options = o.putObject("options");
        if (taskId != null) {
            options.put("task_id", taskId);
        }
        if (queue != null) {
            options.put("queue", queue);
        }
        o.putNull("subtask_type");
        o.put("immutable", immutable);
        o.putNull("chord_size");
        return o;
    }

    public static Signature fromJson(JsonNode s) {
        JsonNode options = s.path("options");
        String queue = options.hasNonNull("queue") ? options.get("queue").asText()
                : options.hasNonNull("routing_key") ? options.get("routing_key").asText() : null;
        return new Signature(
                s.path("task").asText(),
                s.get("args") instanceof ArrayNode ? (ArrayNode) s.get("args") : null,
                s.get("kwargs") instanceof ObjectNode ? (ObjectNode) s.get("kwargs") : null,
                queue,
                options.hasNonNull("task_id") ? options.get("task_id").asText() : null,
                s.path("immutable").asBoolean(false));
    }

    /** The ids of a list of signatures, in order. */
    public static List<String> ids(List<Signature> signatures) {
        return signatures.stream().map(Signature::taskId).toList();
    }
}
