package app.growbin.runtime.celery;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.TypeRef;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Sends Celery tasks (protocol v2) and reads their results: what the generated typed clients
 * ({@code VisionTasks.classify(imageRef)}) call. Works against Java and Python Celery workers alike.
 */
public final class TaskClient implements AutoCloseable {

    private final Broker broker;
    private final ResultBackend results;
    private final boolean owns;
    private final String origin;
    private final String replyTo = UUID.randomUUID().toString();

    public TaskClient(Broker broker, ResultBackend results) {
        this(broker, results, false);
    }

    private TaskClient(Broker broker, ResultBackend results, boolean owns) {
        this.broker = broker;
        this.results = results;
        this.owns = owns;
        this.origin = ManagementFactory.getRuntimeMXBean().getName();
    }

    /** A client on {@code CELERY_BROKER_URL} and {@code CELERY_RESULT_BACKEND}; closing it closes both. */
    public static TaskClient fromEnv(Env env) {
        return new TaskClient(new Broker(env.brokerUrl(), "growbin-client"),
                new ResultBackend(env.resultBackendUrl(), env.getInt(EnvVars.CELERY_RESULT_EXPIRES, 86400)), true);
    }

    public Broker broker() {
        return broker;
    }

    public ResultBackend results() {
        return results;
    }

    public <T> TaskHandle<T> send(String task, String queue, List<?> args, Class<T> resultType) {
        return send(task, queue, args, PythonJson.MAPPER.constructType(resultType));
    }

    public <T> TaskHandle<T> send(String task, String queue, List<?> args, TypeRef<T> resultType) {
        return send(task, queue, args, PythonJson.MAPPER.constructType(resultType.type()));
    }

    private <T> TaskHandle<T> send(String task, String queue, List<?> args, JavaType resultType) {
        String id = UUID.randomUUID().toString();
        CeleryMessage m = CeleryMessage.call(task, id, toJsonArgs(args), JsonNodeFactory.instance.objectNode(),
                origin, replyTo);
        publish(queue, m);
        return new TaskHandle<>(id, results, resultType);
    }

    /**
     * Sends a chain: the first signature now, the others in its message; each one gets the previous
     * result prepended to its arguments (unless immutable). Returns the task ids in order.
     */
    public List<String> chain(List<Signature> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a chain needs at least one step");
        }
        List<Signature> withIds = new ArrayList<>();
        for (Signature s : steps) {
            withIds.add(s.taskId() == null ? s.withTaskId(UUID.randomUUID().toString()) : s);
        }
        Signature first = withIds.get(0);
        List<Signature> rest = new ArrayList<>(withIds.subList(1, withIds.size()));
        Collections.reverse(rest); // Celery pops the next step from the end
        CeleryMessage m = new CeleryMessage(first.task(), first.taskId(), first.taskId(), null, null, 0, null, null,
                null, null, first.args(), first.kwargs(), null, null, rest, null, origin, replyTo, false, "py");
        publish(first.queue(), m);
        return Signature.ids(withIds);
    }

    public <T> TaskHandle<T> handle(String taskId, Class<T> resultType) {
        return new TaskHandle<>(taskId, results, PythonJson.MAPPER.constructType(resultType));
    }

    public void publish(String queue, CeleryMessage message) {
        try {
            broker.publish("", queue, message.properties(), message.body());
        } catch (IOException e) {
            throw new UncheckedIOException("could not send task " + message.task() + " to " + queue + ": "
                    + e.getMessage(), e);
        }
    }

    static ArrayNode toJsonArgs(List<?> args) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Object o : args) {
            JsonNode n = PythonJson.MAPPER.valueToTree(o);
            a.add(n == null ? JsonNodeFactory.instance.nullNode() : n);
        }
        return a;
    }

    static ObjectNode empty() {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public void close() {
        if (owns) {
            broker.close();
            results.close();
        }
    }
}
