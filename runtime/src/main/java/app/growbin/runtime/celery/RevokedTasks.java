package app.growbin.runtime.celery;

import app.growbin.runtime.Pools;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Celery's {@code revoke} remote-control command: {@code app.control.revoke(id)} broadcasts
 * {@code {"method": "revoke", "arguments": {"task_id": id | [ids], "terminate": bool, "signal": ...}}}
 * on the fanout exchange {@code celery.pidbox}; every worker has its own queue
 * {@code <node>.celery.pidbox} bound to it (auto-deleted, messages live 300 s, as kombu's mailbox
 * declares it). {@code terminate=True} interrupts the task if it is running here. Replies
 * ({@code reply=True}) are not sent.
 *
 * <p>The revoked ids are kept in memory (Celery's {@code revoked} set: 50,000 ids, 3 hours), so checking a
 * message costs no round trip. Each revocation a worker receives is also recorded in Redis, in one sorted set
 * ({@link ResultBackend#REVOKED_KEY}, scored by the time it was revoked, kept 3 hours), from which every
 * replica learns the revocations it did not receive itself (started later, or its connection was down during
 * the broadcast): all of them before it starts consuming ({@link #load}), then every {@link #SYNC_INTERVAL_MS}
 * and after a connection recovery, those since the newest it has seen (minus {@link #SYNC_OVERLAP_MS}, for
 * replicas whose clocks differ a little). While Redis cannot be read the worker keeps the ids it has and
 * keeps working; one warning says so.
 */
final class RevokedTasks {

    private static final Logger LOG = LoggerFactory.getLogger(RevokedTasks.class);

    static final String PIDBOX_EXCHANGE = "celery.pidbox";
    static final int MAX_IDS = 50_000;
    static final int EXPIRES_SECONDS = 10_800;
    static final long KEEP_MS = EXPIRES_SECONDS * 1_000L;
    static final long SYNC_INTERVAL_MS = 1_000;
    /** Read again at every sync: a revocation another replica recorded with a clock up to this much behind. */
    static final long SYNC_OVERLAP_MS = 10_000;

    private final ResultBackend results;
    private final String nodeName;
    private final Map<String, Long> revoked = new LinkedHashMap<>(); // guarded by itself; id -> revoked at (epoch ms)
    private final ScheduledExecutorService sync;
    private final Object syncLock = new Object();
    private long newestSeenMs; // guarded by syncLock: the newest revocation read from Redis
    private boolean syncFailing; // guarded by syncLock
    private final AtomicLong syncFailures = new AtomicLong();
    private Channel channel;

    RevokedTasks(ResultBackend results, String nodeName, String service) {
        this.results = results;
        this.nodeName = nodeName;
        this.sync = Executors.newSingleThreadScheduledExecutor(Pools.threads("revoked-" + service));
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
        long now = System.currentTimeMillis();
        remember(list, now);
        try {
            results.markRevoked(list, now, KEEP_MS);
        } catch (RuntimeException e) {
            LOG.warn("could not record revoked tasks in Redis ({}); this worker still discards them", e.getMessage());
        }
        LOG.info("tasks flagged as revoked: {}", list);
        if (arguments.path("terminate").asBoolean(false)) {
            terminate.accept(list);
        }
    }

    void remember(List<String> ids, long revokedAtMs) {
        synchronized (revoked) {
            for (String id : ids) {
                revoked.remove(id);
                revoked.put(id, revokedAtMs);
            }
            while (revoked.size() > MAX_IDS) {
                revoked.remove(revoked.keySet().iterator().next());
            }
        }
    }

    /** Revoked here, by a broadcast, or by another replica (once synced): a memory lookup. */
    boolean isRevoked(String taskId) {
        synchronized (revoked) {
            Long at = revoked.get(taskId);
            if (at == null) {
                return false;
            }
            if (System.currentTimeMillis() - at < KEEP_MS) {
                return true;
            }
            revoked.remove(taskId);
            return false;
        }
    }

    /** Reads every revocation of the last 3 hours from Redis (before consuming starts), then syncs every second. */
    void load() {
        synchronized (syncLock) {
            newestSeenMs = System.currentTimeMillis() - KEEP_MS + SYNC_OVERLAP_MS;
        }
        syncNow();
        sync.scheduleWithFixedDelay(this::syncNow, SYNC_INTERVAL_MS, SYNC_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** After a connection recovery: a broadcast may have been missed meanwhile. */
    void syncSoon() {
        try {
            sync.execute(this::syncNow);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // shutting down
        }
    }

    /** Learns the revocations recorded in Redis since the newest seen (minus the overlap). */
    boolean syncNow() {
        synchronized (syncLock) {
            List<ResultBackend.Revocation> got;
            try {
                got = results.revokedSince(newestSeenMs - SYNC_OVERLAP_MS, MAX_IDS);
            } catch (RuntimeException e) {
                syncFailures.incrementAndGet();
                if (!syncFailing) {
                    syncFailing = true;
                    LOG.warn("could not read revoked tasks from Redis ({}); this worker discards those it knows and"
                            + " retries every {} ms (no further line until it succeeds)", e.getMessage(), SYNC_INTERVAL_MS);
                }
                return false;
            }
            if (syncFailing) {
                syncFailing = false;
                LOG.info("revoked tasks read from Redis again");
            }
            long now = System.currentTimeMillis();
            synchronized (revoked) {
                for (ResultBackend.Revocation r : got) {
                    if (!revoked.containsKey(r.taskId()) && now - r.revokedAtMs() < KEEP_MS) {
                        revoked.put(r.taskId(), r.revokedAtMs());
                    }
                }
                while (revoked.size() > MAX_IDS) {
                    revoked.remove(revoked.keySet().iterator().next());
                }
            }
            for (ResultBackend.Revocation r : got) {
                newestSeenMs = Math.max(newestSeenMs, r.revokedAtMs());
            }
            return true;
        }
    }

    /** Syncs that could not read Redis. */
    long syncFailures() {
        return syncFailures.get();
    }

    void close() {
        sync.shutdownNow();
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
