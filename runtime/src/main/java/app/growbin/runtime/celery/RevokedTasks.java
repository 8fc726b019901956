package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Celery's {@code revoke} remote-control command: {@code app.control.revoke(id)} broadcasts
 * {@code {"method": "revoke", "arguments": {"task_id": id | [ids], "terminate": bool, "signal": ...}}}
 * on the fanout exchange {@code celery.pidbox}; every worker has its own queue
 * {@code <node>.celery.pidbox} bound to it (auto-deleted, messages live 300 s, as kombu's mailbox
 * declares it). A revoked id is kept in memory (Celery's {@code revoked} set: 50,000 ids, 3 hours)
 * and in Redis for the same 3 hours, so a replica started after the broadcast discards it too.
 * {@code terminate=True} interrupts the task if it is running here. Replies ({@code reply=True}) are
 * not sent.
 */
final class RevokedTasks {

    private static final Logger LOG = LoggerFactory.getLogger(RevokedTasks.class);

    static final String PIDBOX_EXCHANGE = "celery.pidbox";
    static final int MAX_IDS = 50_000;
    static final int EXPIRES_SECONDS = 10_800;

    private final ResultBackend results;
    private final String nodeName;
    private final Map<String, Long> revoked = new LinkedHashMap<>(); // guarded by itself; id -> nanoTime
    private Channel channel;

    RevokedTasks(ResultBackend results, String nodeName) {
        this.results = results;
        this.nodeName = nodeName;
    }

    String queueName() {
        return nodeName + ".celery.pidbox";
    }

    /** Declares this node's control queue (classic and transient: a per-process queue) and consumes it. */
    void start(Channel ch, Consumer<List<String>> terminate) throws IOException {
        this.channel = ch;
        ch.exchangeDeclare(PIDBOX_EXCHANGE, BuiltinExchangeType.FANOUT, false, false, null);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("x-message-ttl", 300_000);
        args.put("x-expires", 10_000);
        ch.queueDeclare(queueName(), false, false, true, args);
        ch.queueBind(queueName(), PIDBOX_EXCHANGE, "");
        ch.basicConsume(queueName(), true, new DefaultConsumer(ch) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                try {
                    onCommand(PythonJson.read(body), terminate);
                } catch (RuntimeException e) {
                    LOG.warn("ignoring a control message that is not a Celery command: {}", e.getMessage());
                }
            }
        });
    }

    private void onCommand(JsonNode command, Consumer<List<String>> terminate) {
        if (!"revoke".equals(command.path("method").asText())) {
            return; // ping, stats, ... are not answered
        }
        JsonNode destination = command.get("destination");
        if (destination != null && destination.isArray()) {
            boolean forUs = false;
            for (JsonNode d : destination) {
                forUs |= nodeName.equals(d.asText());
            }
            if (!forUs) {
                return;
            }
        }
        JsonNode arguments = command.path("arguments");
        JsonNode ids = arguments.get("task_id");
        List<String> list = new ArrayList<>();
        if (ids != null && ids.isArray()) {
            ids.forEach(i -> list.add(i.asText()));
        } else if (ids != null && ids.isTextual()) {
            list.add(ids.asText());
        }
        if (list.isEmpty()) {
            return;
        }
        remember(list);
        try {
            results.markRevoked(list, EXPIRES_SECONDS);
        } catch (RuntimeException e) {
            LOG.warn("could not record revoked tasks in Redis ({}); this worker still discards them", e.getMessage());
        }
        LOG.info("tasks flagged as revoked: {}", list);
        if (arguments.path("terminate").asBoolean(false)) {
            terminate.accept(list);
        }
    }

    void remember(List<String> ids) {
        long now = System.nanoTime();
        synchronized (revoked) {
            for (String id : ids) {
                revoked.remove(id);
                revoked.put(id, now);
            }
            while (revoked.size() > MAX_IDS) {
                revoked.remove(revoked.keySet().iterator().next());
            }
        }
    }

    /** Revoked here or by a broadcast another replica recorded in Redis. */
    boolean isRevoked(String taskId) {
        synchronized (revoked) {
            Long at = revoked.get(taskId);
            if (at != null) {
                if (System.nanoTime() - at < EXPIRES_SECONDS * 1_000_000_000L) {
                    return true;
                }
                revoked.remove(taskId);
            }
        }
        return results.isRevoked(taskId);
    }

    void close() {
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                // closing anyway
            }
        }
    }
}
