package app.growbin.runtime.celery;

import app.growbin.runtime.telemetry.ActiveSpan;
import app.growbin.runtime.telemetry.Tracing;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Sends signatures the way Celery 5.2's canvas does ({@code Signature.apply_async} with partial
 * arguments): a task signature becomes one message (its options {@code task_id}, {@code queue},
 * {@code link}, {@code link_error}, {@code countdown}, {@code eta}, {@code expires},
 * {@code time_limit}, {@code soft_time_limit}, {@code group_id}, {@code group_index}, {@code chord}
 * honoured); a {@code chain} sends its first task with the rest in the body; a {@code group} sends
 * every task with a group id; a {@code chord} stores its size in Redis
 * ({@code celery-taskset-meta-<id>.s}) and sends its header tasks carrying the body, which the worker
 * finishing the last part sends ({@link ResultBackend#chordPartReturn}). Other canvas types
 * ({@code xmap}, {@code chunks}, nested groups in a chord header) are refused with
 * {@link UnsupportedCanvasException}, which the worker stores as the task's FAILURE.
 *
 * <p>Every queue is declared before the first message goes to it (as Celery's producer does), so a
 * message is never dropped because no worker has started yet. Every publish is an
 * {@code apply_async/<task>} span whose context the message carries ({@link TaskTracing}).
 */
public final class Canvas {

    /** Celery's default queue, for a signature without {@code queue} or {@code routing_key}. */
    public static final String DEFAULT_QUEUE = "celery";

    private final Broker broker;
    private final ResultBackend results;
    private final String origin;
    private final Clock clock;
    private final TaskTracing tracing;

    public Canvas(Broker broker, ResultBackend results, String origin, Clock clock) {
        this(broker, results, origin, clock, Tracing.off());
    }

    public Canvas(Broker broker, ResultBackend results, String origin, Clock clock, Tracing tracing) {
        this.broker = broker;
        this.results = results;
        this.origin = origin;
        this.clock = clock;
        this.tracing = new TaskTracing(tracing);
    }

    /** A canvas type this runtime does not send. */
    public static final class UnsupportedCanvasException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UnsupportedCanvasException(String message) {
            super(message);
        }
    }

    /**
     * Declares the queue, then publishes the message to it (mandatory, confirmed). A queue deleted
     * since it was declared here is declared again, once.
     */
    public void publish(String queue, CeleryMessage m) throws IOException {
        traced(queue, m, true);
    }

    /**
     * Publishes to a queue the worker declared itself with its own arguments (a retry delay queue),
     * as a new {@code apply_async} of the message.
     */
    void publishDeclared(String queue, CeleryMessage m) throws IOException {
        traced(queue, m, false);
    }

    private void traced(String queue, CeleryMessage m, boolean declare) throws IOException {
        Span span = tracing.startPublish(m, queue);
        try (ActiveSpan active = ActiveSpan.of(span)) {
            CeleryMessage carrying = tracing.carrying(m, span);
            if (!declare) {
                broker.publish("", queue, carrying.properties(), carrying.body());
                return;
            }
            broker.declareCeleryQueue(queue);
            try {
                broker.publish("", queue, carrying.properties(), carrying.body());
            } catch (UnroutableMessageException gone) {
                broker.declareCeleryQueue(queue);
                broker.publish("", queue, carrying.properties(), carrying.body());
            }
        } catch (IOException | RuntimeException e) {
            TaskTracing.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * {@code signature.apply_async(partialArgs, parent_id=parentId, root_id=rootId)}.
     *
     * @param partialArgs prepended to the signature's own arguments unless it is immutable
     */
    public void apply(Signature sig, ArrayNode partialArgs, String parentId, String rootId) throws IOException {
        String type = sig.subtaskType();
        if (type == null) {
            sendTask(sig, partialArgs, parentId, rootId, null, null, List.of());
        } else if (type.equals("chain")) {
            List<Signature> tasks = tasks(sig, "tasks");
            if (tasks.isEmpty()) {
                return;
            }
            List<Signature> rest = new ArrayList<>(tasks.subList(1, tasks.size()));
            Collections.reverse(rest);
            sendTask(tasks.get(0), partialArgs, parentId, rootId, null, null, rest);
        } else if (type.equals("group")) {
            sendGroup(tasks(sig, "tasks"), groupId(sig), partialArgs, parentId, rootId, null);
        } else if (type.equals("chord")) {
            JsonNode header = sig.kwargs().get("header");
            List<Signature> parts = header != null && header.isObject() ? tasks(Signature.fromJson(header), "tasks")
                    : signatures(header);
            Signature body = Signature.fromJson(sig.kwargs().get("body"));
            for (Signature p : parts) {
                if (p.subtaskType() != null) {
                    throw new UnsupportedCanvasException("a chord header of " + p.subtaskType()
                            + " signatures is not supported by the Java runtime (only plain tasks)");
                }
            }
            String gid = groupId(sig);
            if (body.taskId() == null) {
                body = body.withTaskId(UUID.randomUUID().toString());
            }
            results.setChordSize(gid, parts.size());
            sendGroup(parts, gid, partialArgs, parentId, rootId, body);
        } else {
            throw new UnsupportedCanvasException("canvas type " + type + " is not supported by the Java runtime"
                    + " (task signatures, chain, group and chord are)");
        }
    }

    /** Errbacks (and multiple callbacks) go as a group, as {@code group(sigs).apply_async(args)} does. */
    public void applyGroup(List<Signature> sigs, ArrayNode partialArgs, String parentId, String rootId) throws IOException {
        if (sigs.size() == 1 && sigs.get(0).subtaskType() != null) {
            apply(sigs.get(0), partialArgs, parentId, rootId);
            return;
        }
        sendGroup(sigs, UUID.randomUUID().toString(), partialArgs, parentId, rootId, null);
    }

    private void sendGroup(List<Signature> tasks, String gid, ArrayNode partialArgs, String parentId, String rootId,
            Signature chord) throws IOException {
        for (int i = 0; i < tasks.size(); i++) {
            Signature t = tasks.get(i);
            if (t.subtaskType() != null) {
                apply(t, partialArgs, parentId, rootId);
            } else {
                sendTask(t, partialArgs, parentId, rootId, gid, i, List.of(), chord);
            }
        }
    }

    private void sendTask(Signature sig, ArrayNode partialArgs, String parentId, String rootId, String gid, Integer index,
            List<Signature> chain) throws IOException {
        Signature chord = sig.option("chord") != null ? Signature.fromJson(sig.option("chord")) : null;
        String g = gid != null ? gid : text(sig.option("group_id"));
        Integer gi = index != null ? index : sig.option("group_index") != null ? sig.option("group_index").asInt() : null;
        sendTask(sig, partialArgs, parentId, rootId, g, gi, chain, chord);
    }

    private void sendTask(Signature sig, ArrayNode partialArgs, String parentId, String rootId, String gid, Integer index,
            List<Signature> chain, Signature chord) throws IOException {
        if (sig.task() == null || sig.task().isBlank()) {
            throw new MalformedMessageException("a signature without a task name");
        }
        ArrayNode args = JsonNodeFactory.instance.arrayNode();
        if (partialArgs != null && !sig.immutable()) {
            args.addAll(partialArgs);
        }
        args.addAll(sig.args());
        String id = sig.taskId() != null ? sig.taskId() : UUID.randomUUID().toString();
        List<Signature> ownChain = new ArrayList<>(chain);
        if (ownChain.isEmpty() && sig.option("chain") != null) {
            ownChain.addAll(signatures(sig.option("chain")));
        }
        CeleryMessage.Builder m = CeleryMessage.builder(sig.task(), id)
                .rootId(rootId != null ? rootId : text(sig.option("root_id")) != null ? text(sig.option("root_id")) : id)
                .parentId(parentId != null ? parentId : text(sig.option("parent_id")))
                .group(gid, index)
                .args(args)
                .kwargs(sig.kwargs())
                .callbacks(signatures(sig.option("link")))
                .errbacks(signatures(sig.option("link_error")))
                .chain(ownChain)
                .chord(chord)
                .eta(eta(sig))
                .expires(expires(sig))
                .timeLimits(number(sig.option("time_limit")), number(sig.option("soft_time_limit")))
                .ignoreResult(sig.option("ignore_result") != null && sig.option("ignore_result").asBoolean())
                .origin(origin)
                .replyTo(text(sig.option("reply_to")));
        if (sig.option("compression") != null) {
            m.compression(Compression.named(sig.option("compression").asText()));
        }
        publish(sig.queue() != null ? sig.queue() : DEFAULT_QUEUE, m.build());
    }

    private Instant eta(Signature sig) {
        JsonNode countdown = sig.option("countdown");
        if (countdown != null && countdown.isNumber()) {
            return clock.instant().plusMillis((long) (countdown.asDouble() * 1000));
        }
        return CeleryMessage.instant("eta", text(sig.option("eta")));
    }

    private Instant expires(Signature sig) {
        JsonNode expires = sig.option("expires");
        if (expires != null && expires.isNumber()) {
            return clock.instant().plusMillis((long) (expires.asDouble() * 1000));
        }
        return CeleryMessage.instant("expires", text(expires));
    }

    private static String groupId(Signature sig) {
        return sig.taskId() != null ? sig.taskId() : UUID.randomUUID().toString();
    }

    private static List<Signature> tasks(Signature sig, String field) {
        return signatures(sig.kwargs().get(field));
    }

    /** A list of signature dicts, or one dict (Celery accepts {@code link=sig} and {@code link=[sigs]}). */
    static List<Signature> signatures(JsonNode n) {
        List<Signature> list = new ArrayList<>();
        if (n == null || n.isNull()) {
            return list;
        }
        if (n.isObject()) {
            list.add(Signature.fromJson(n));
            return list;
        }
        if (!n.isArray()) {
            throw new MalformedMessageException("expected a signature or a list of them: " + PythonJson.preview(n));
        }
        for (JsonNode s : n) {
            list.add(Signature.fromJson(s));
        }
        return list;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Double number(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : null;
    }
}
