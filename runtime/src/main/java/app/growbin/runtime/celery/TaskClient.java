package app.growbin.runtime.celery;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.TypeRef;
import app.growbin.runtime.telemetry.Tracing;
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
 *
 * <p>Every queue is declared (durable, {@code CELERY_QUEUE_TYPE}) before the first message goes to
 * it and messages are published mandatory, so a task sent before any worker started waits in its
 * queue instead of being dropped. A message the broker would refuse fails with
 * {@link MessageTooLargeException} before it is sent (a REST layer answers 413), and one the broker
 * returns with {@link UnroutableMessageException}; both leave the connection as healthy as before.
 * Other failures (broker unreachable) are {@link UncheckedIOException}.
 */
public final class TaskClient implements AutoCloseable {

    private final Broker broker;
    private final ResultBackend results;
    private final Canvas canvas;
    private final boolean owns;
    private final String origin;
    private final String replyTo = UUID.randomUUID().toString();

    public TaskClient(Broker broker, ResultBackend results) {
        this(broker, results, false, Tracing.off());
    }

    private TaskClient(Broker broker, ResultBackend results, boolean owns, Tracing tracing) {
        this.broker = broker;
        this.results = results;
        this.owns = owns;
        this.origin = ManagementFactory.getRuntimeMXBean().getName();
        this.canvas = new Canvas(broker, results, origin, results.clock(), tracing);
    }

    /**
     * A client on {@code CELERY_BROKER_URL} and {@code CELERY_RESULT_BACKEND}, declaring queues as
     * {@code CELERY_QUEUE_TYPE} says and refusing bodies above {@code CELERY_MAX_MESSAGE_BYTES};
     * closing it closes both connections.
     */
    public static TaskClient fromEnv(Env env) {
        return fromEnv(env, Tracing.off());
    }

    /** The same, with every publish an {@code apply_async} span of {@code tracing} (the launcher's). */
    public static TaskClient fromEnv(Env env, Tracing tracing) {
        return new TaskClient(brokerFromEnv(env, "growbin-client"),
                new ResultBackend(env.resultBackendUrl(), env.getInt(EnvVars.CELERY_RESULT_EXPIRES, 86400)), true, tracing);
    }

    /** The broker client the environment describes (URL, queue type, message size bound). */
    public static Broker brokerFromEnv(Env env, String connectionName) {
        return new Broker(env.brokerUrl(), connectionName, QueueType.parse(env.get(EnvVars.CELERY_QUEUE_TYPE, "classic")),
                env.getLong(EnvVars.CELERY_MAX_MESSAGE_BYTES, Broker.DEFAULT_MAX_MESSAGE_BYTES));
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
     * Sends any signature as Celery's {@code apply_async} does: a task with its options ({@code link},
     * {@code link_error}, {@code countdown}, {@code expires}, {@code time_limit},
     * {@code soft_time_limit}, {@code compression}, ...), a chain, a group or a chord (see {@link Canvas}).
     * Returns the handle of the signature's own id.
     */
    public <T> TaskHandle<T> apply(Signature signature, Class<T> resultType) {
        Signature sig = signature.taskId() == null ? signature.withTaskId(UUID.randomUUID().toString()) : signature;
        try {
            canvas.apply(sig, null, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send " + sig.task() + ": " + e.getMessage(), e);
        }
        return new TaskHandle<>(sig.taskId(), results, PythonJson.MAPPER.constructType(resultType));
    }

    /**
     * Sends a chain: the first signature now, the others in its message body; each one gets the
     * previous result prepended to its arguments (unless immutable). Returns the task ids in order.
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
        CeleryMessage m = CeleryMessage.builder(first.task(), first.taskId()).rootId(first.taskId())
                .args(first.args()).kwargs(first.kwargs()).chain(rest).origin(origin).replyTo(replyTo).build();
        publish(first.queue() != null ? first.queue() : Canvas.DEFAULT_QUEUE, m);
        return Signature.ids(withIds);
    }

    public <T> TaskHandle<T> handle(String taskId, Class<T> resultType) {
        return new TaskHandle<>(taskId, results, PythonJson.MAPPER.constructType(resultType));
    }

    /**
     * Declares the queue (once) and publishes, confirmed.
     *
     * @throws MessageTooLargeException the broker would refuse the message; nothing was sent
     * @throws UnroutableMessageException the broker returned it
     * @throws UncheckedIOException the broker is not reachable or did not confirm
     */
    public void publish(String queue, CeleryMessage message) {
        try {
            canvas.publish(queue, message);
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
