package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.runtime.Env;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.testing.JvmProcess;
import app.growbin.runtime.testing.PrivateRedis;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * Revocations every replica honours with a memory lookup per message: learned from the pidbox broadcast and
 * from the sorted set in Redis (loaded before consuming starts, then synced), against the real RabbitMQ and
 * Redis (and a private Redis for the outage).
 */
class RevokedTasksTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final String queue = "test.revoked." + UUID.randomUUID().toString().substring(0, 8);
    private final String dlq = queue + ".dlq";
    private final List<CeleryWorker> workers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private TaskClient client;

    private final TaskDispatcher dispatcher = (task, args) -> {
        int a = args.get(0, "a", int.class);
        runs.computeIfAbsent(task + ":" + a, k -> new AtomicInteger()).incrementAndGet();
        return a + args.get(1, "b", int.class);
    };

    @BeforeEach
    void setUp() {
        client = TaskClient.fromEnv(new Env(Map.of()));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (CeleryWorker w : workers) {
            w.close();
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        try (Channel ch = client.broker().connection().createChannel()) {
            List<String> queues = new ArrayList<>(List.of(queue, dlq));
            for (CeleryWorker w : workers) {
                queues.addAll(w.declaredQueues());
            }
            for (String q : queues) {
                ch.queueDelete(q);
            }
        }
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            for (String id : ids) {
                j.del(ResultBackend.key(id));
                j.zrem(ResultBackend.REVOKED_KEY, id);
            }
        }
        client.close();
    }

    private CeleryWorker worker(ResultBackend results) throws IOException {
        Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "test-revoked");
        closeables.add(broker);
        CeleryWorker w = new CeleryWorker(new CeleryWorker.Settings("revoked", queue, Pool.THREADS, 2, 0, 20, 30, dlq),
                dispatcher, broker, results, new MetricsRegistry());
        workers.add(w);
        w.start();
        return w;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private String id() {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        return id;
    }

    private void publishAdd(String id, int a) throws IOException {
        client.publish(queue, CeleryMessage.builder("t.add", id).rootId(id)
                .args(TaskClient.toJsonArgs(List.of(a, 1))).build());
    }

    private void assertRevokedAndNotRun(String id, int a) {
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.handle(id, Integer.class).get(WAIT));
        assertEquals("TaskRevokedError", e.excType());
        assertEquals(TaskState.REVOKED, client.handle(id, Integer.class).state());
        assertTrue(runs.get("t.add:" + a) == null, "a revoked task does not run");
    }

    /** Another replica recorded the revocation before this worker existed; the message waits in the queue. */
    @Test
    void aTaskRevokedBeforeTheWorkerStartedIsDiscarded() throws Exception {
        String revokedId = id();
        String keptId = id();
        client.results().markRevoked(List.of(revokedId), System.currentTimeMillis(), RevokedTasks.KEEP_MS);
        try (Channel ch = client.broker().connection().createChannel()) {
            ch.queueDeclare(queue, true, false, false, client.broker().queueType().queueArguments());
        }
        publishAdd(revokedId, 1);
        publishAdd(keptId, 2);
        worker(client.results());
        assertRevokedAndNotRun(revokedId, 1);
        assertEquals(3, client.handle(keptId, Integer.class).get(WAIT));
    }

    /** Another replica received the broadcast and recorded it; this one missed it (no broadcast reaches it). */
    @Test
    void aTaskRevokedInRedisByAnotherReplicaIsDiscardedOnceSynced() throws Exception {
        CeleryWorker w = worker(client.results());
        String id = id();
        assertFalse(w.knowsRevoked(id));
        client.results().markRevoked(List.of(id), System.currentTimeMillis(), RevokedTasks.KEEP_MS);
        await("the revocation synced from Redis", () -> w.knowsRevoked(id));
        publishAdd(id, 3);
        assertRevokedAndNotRun(id, 3);
    }

    /** Entries older than 3 hours are trimmed when a revocation is recorded, and not learned by a new worker. */
    @Test
    void revocationsOlderThanThreeHoursAreTrimmedAndIgnored() throws Exception {
        String old = id();
        String fresh = id();
        long now = System.currentTimeMillis();
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            j.zadd(ResultBackend.REVOKED_KEY, now - RevokedTasks.KEEP_MS - 60_000, old);
            CeleryWorker w = worker(client.results());
            assertFalse(w.knowsRevoked(old), "a revocation older than 3 hours is not loaded");
            client.results().markRevoked(List.of(fresh), now, RevokedTasks.KEEP_MS);
            assertTrue(j.zscore(ResultBackend.REVOKED_KEY, old) == null, "trimmed when the next revocation is recorded");
            await("the fresh revocation synced", () -> w.knowsRevoked(fresh));
            assertFalse(w.knowsRevoked(old));
        }
    }

    /**
     * Redis is down when the worker syncs: it keeps running tasks that need no result, writes one warning for
     * the outage however many syncs fail, and learns the revocations recorded meanwhile once Redis is back.
     */
    @Test
    void redisDownAtSyncKeepsTheWorkerWorkingWithOneWarning() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger revokedLog = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(RevokedTasks.class);
        revokedLog.addAppender(logs);
        closeables.add(() -> revokedLog.detachAppender(logs));
        int port = JvmProcess.freePort();
        Path dir = Files.createTempDirectory("growbin-redis");
        Process redis = PrivateRedis.start(port, dir, WAIT);
        try {
            ResultBackend privateResults = new ResultBackend("redis://127.0.0.1:" + port + "/0", 600);
            closeables.add(privateResults);
            CeleryWorker w = worker(privateResults);
            await("ready", w::ready);
            redis.destroy();
            assertTrue(redis.waitFor(10, TimeUnit.SECONDS));
            await("three failed syncs", () -> w.revokedSyncFailures() >= 3);
            for (int i = 0; i < 20; i++) {
                String id = id();
                client.publish(queue, CeleryMessage.builder("t.add", id).rootId(id).ignoreResult(true)
                        .args(TaskClient.toJsonArgs(List.of(100 + i, 1))).build());
            }
            await("20 tasks run while Redis is down", () -> runs.size() == 20);
            await("every ack sent", () -> w.unacknowledged() == 0);
            long warnings = logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN).count();
            assertEquals(1, warnings, "one warning for the outage, after " + w.revokedSyncFailures() + " failed syncs");

            redis = PrivateRedis.start(port, dir, WAIT);
            await("ready again", w::ready);
            String id = id();
            privateResults.markRevoked(List.of(id), System.currentTimeMillis(), RevokedTasks.KEEP_MS);
            await("the revocation synced once Redis is back", () -> w.knowsRevoked(id));
        } finally {
            redis.destroyForcibly();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
