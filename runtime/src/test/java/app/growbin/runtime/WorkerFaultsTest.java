package app.growbin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.testing.JvmProcess;
import app.growbin.runtime.testing.MetricsText;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.celery.TaskFailedException;
import app.growbin.runtime.celery.TaskHandle;
import app.growbin.runtime.celery.TaskState;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Faults, with workers in their own JVMs (started by the {@link Launcher} as a container would be)
 * against the real RabbitMQ and Redis: a worker killed with SIGKILL mid-task loses nothing, a poison
 * message ends in the dead-letter queue after its retries, and a RabbitMQ restart is survived.
 * Each test has its own queue, dead-letter queue and Redis keys, and removes them.
 */
class WorkerFaultsTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final String queue = "test.fault." + UUID.randomUUID().toString().substring(0, 8);
    private final String dlq = queue + ".dlq";
    private final String attemptsKey = "growbin-test:attempts:" + UUID.randomUUID();
    private final List<JvmProcess> processes = new ArrayList<>();
    private final TaskClient client = TaskClient.fromEnv(new Env(Map.of()));

    @AfterEach
    void tearDown() throws Exception {
        processes.forEach(JvmProcess::close);
        try (Channel ch = client.broker().connection().createChannel()) {
            List<String> queues = new ArrayList<>(List.of(queue, dlq, queue + ".retry.50", queue + ".retry.100"));
            for (long ms : new long[] {1_000, 10_000, 60_000, 600_000, 3_600_000}) {
                queues.add(queue + ".eta." + ms); // the eta delay queues every worker declares
            }
            for (String q : queues) {
                ch.queueDelete(q);
            }
        }
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            j.del(attemptsKey);
        }
        client.close();
    }

    static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> m = new java.util.HashMap<>(labels);
        m.put(name, value);
        return m;
    }

    /** {@code worker faulty} in a new JVM on this test's queue; returns once its /ready answers 200. */
    private Worker startWorker() throws Exception {
        return startWorker(1);
    }

    private Worker startWorker(int concurrency) throws Exception {
        int port = JvmProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put(EnvVars.QUEUE_NAME, queue);
        env.put(EnvVars.DEAD_LETTER_QUEUE, dlq);
        env.put(EnvVars.METRICS_PORT, String.valueOf(port));
        env.put(EnvVars.WORKER_CONCURRENCY, String.valueOf(concurrency));
        env.put(EnvVars.TASK_MAX_RETRIES, "2");
        env.put(EnvVars.TASK_RETRY_BACKOFF_MS, "50");
        env.put(EnvVars.SHUTDOWN_GRACE_SECONDS, "1");
        JvmProcess p = JvmProcess.start("worker-faulty-" + processes.size(), List.of(JvmProcess.javaBin(),
                "-XX:+ExitOnOutOfMemoryError", "-cp", JvmProcess.testClassPath(), Launcher.class.getName(), "worker", "faulty"),
                env);
        processes.add(p);
        p.awaitStatus(port, "/ready", 200, WAIT);
        return new Worker(p, port);
    }

    record Worker(JvmProcess process, int port) {}

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private static MetricsText scrape(Worker w) {
        try {
            return MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, JvmProcess.get(w.port(), "/metrics").body());
        } catch (Exception e) {
            throw new IllegalStateException("scraping the worker's /metrics", e);
        }
    }

    private String attempts() {
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            return j.get(attemptsKey);
        }
    }

    @Test
    void workerKilledWithSigkillMidTaskLosesNothing() throws Exception {
        Worker first = startWorker();
        TaskHandle<String> h = client.send("t.once", queue, List.of(attemptsKey), String.class);
        await("the first worker to start the task", () -> "1".equals(attempts()));
        long killedAt = System.nanoTime();
        first.process().process().destroyForcibly(); // SIGKILL: no shutdown hook, no ack, no nack
        assertTrue(first.process().process().waitFor(10, TimeUnit.SECONDS));
        assertEquals(137, first.process().process().exitValue(), "killed by SIGKILL");
        assertNull(client.results().get(h.id()).orElse(null), "no result while the task was cut off");

        Worker second = startWorker();
        String result = h.get(WAIT);
        assertEquals("attempt 2 in pid " + second.process().pid(), result);
        assertEquals(TaskState.SUCCESS, h.state());
        System.out.printf("[faults] SIGKILL mid-task: redelivered and done by a second worker process %d ms after the kill%n",
                (System.nanoTime() - killedAt) / 1_000_000);
        String metrics = JvmProcess.get(second.port(), "/metrics").body();
        assertEquals(1.0, MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, metrics).value("growbin_worker_tasks_total",
                Map.of("service", "faulty", "queue", queue, "task", "t.once", "state", "succeeded")), metrics);
        assertEquals(0, messages(dlq), "nothing dead-lettered");
    }

    /**
     * Acks go out in batches (multiple=true) and results in pipelined rounds: a worker killed with SIGKILL in
     * the middle of that must still leave every message either back in the queue or with its result stored
     * (an acknowledged message always has its result; none is lost), whatever batch was open at the kill.
     */
    @Test
    void workerKilledWithSigkillMidBatchLeavesNoAckedMessageWithoutItsResultAndLosesNone() throws Exception {
        int n = 3000;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(client.send("t.add", queue, List.of(i, 1), Integer.class).id());
        }
        Worker w = startWorker(4); // THREADS, prefetch 16: acks in batches of 4
        await("the worker to take 600 of the messages", () -> client.broker().messageCount(queue) <= n - 600);
        w.process().process().destroyForcibly(); // SIGKILL: open batches of acks and result writes are cut off
        assertTrue(w.process().process().waitFor(10, TimeUnit.SECONDS));
        try (Channel ch = client.broker().connection().createChannel()) {
            await("the broker to drop the killed worker's consumer", () -> {
                try {
                    return ch.queueDeclarePassive(queue).getConsumerCount() == 0;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        java.util.Set<String> inQueue = new java.util.HashSet<>();
        try (Channel ch = client.broker().connection().createChannel()) {
            for (GetResponse r; (r = ch.basicGet(queue, true)) != null;) {
                inQueue.add(app.growbin.runtime.celery.CeleryMessage.idOf(r.getProps()));
            }
        }
        List<String> acked = new ArrayList<>();
        List<String> lostOrUnstored = new ArrayList<>();
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            for (String id : ids) {
                if (inQueue.contains(id)) {
                    continue;
                }
                acked.add(id);
                String stored = j.get("celery-task-meta-" + id);
                if (stored == null || !stored.contains("\"SUCCESS\"")) {
                    lostOrUnstored.add(id);
                }
            }
            for (String id : ids) {
                j.del("celery-task-meta-" + id);
            }
        }
        System.out.printf("[faults] SIGKILL mid-batch: %d of %d acknowledged, %d back in the queue%n", acked.size(), n,
                inQueue.size());
        assertTrue(acked.size() >= 600 - 16, "the worker acknowledged what it had done before the kill: " + acked.size());
        assertFalse(inQueue.isEmpty(), "the kill came before the queue was drained");
        assertEquals(List.of(), lostOrUnstored, "acknowledged (gone from the queue) without a stored SUCCESS");
    }

    @Test
    void poisonMessageLandsInTheDeadLetterQueueAfterItsRetries() throws Exception {
        Worker w = startWorker();
        TaskHandle<Object> h = client.send("t.fail", queue, List.of("always"), Object.class);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("IllegalArgumentException", e.excType());
        GetResponse dead = awaitMessage(dlq);
        Map<String, Object> headers = dead.getProps().getHeaders();
        assertEquals(h.id(), String.valueOf(headers.get("id")));
        assertEquals(2, ((Number) headers.get("retries")).intValue(), "dead-lettered after TASK_MAX_RETRIES=2 retries");
        assertEquals(queue, String.valueOf(headers.get("x-growbin-queue")));
        assertTrue(String.valueOf(headers.get("x-growbin-error")).contains("poison: always"));
        Map<String, String> series = Map.of("service", "faulty", "queue", queue, "task", "t.fail");
        // dead_lettered is counted when the broker confirms the copy in the dead-letter queue, which
        // may come just after the copy is visible there
        await("dead_lettered counted", () -> scrape(w).value("growbin_worker_tasks_total", with(series, "state", "dead_lettered")) == 1.0);
        String metrics = JvmProcess.get(w.port(), "/metrics").body();
        MetricsText parsed = MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, metrics);
        assertEquals(2.0, parsed.value("growbin_worker_tasks_total", with(series, "state", "retried")), metrics);
        assertEquals(1.0, parsed.value("growbin_worker_tasks_total", with(series, "state", "dead_lettered")), metrics);
        assertEquals(0, messages(queue), "nothing left in the work queue");
    }

    /**
     * {@code rabbitmqctl stop_app} / {@code start_app} restarts the broker application without
     * stopping the Erlang node (durable queues and their messages survive). The worker process must
     * turn not-ready while the broker is away, reconnect by itself, and consume again. Runs in CI
     * ({@code CI=true}) or with {@code GROWBIN_TEST_RABBITMQ_RESTART=1}: it disturbs every other user
     * of the local broker for a few seconds. A finally always runs {@code start_app}.
     */
    @Test
    void workerSurvivesARabbitMqRestart() throws Exception {
        Assumptions.assumeTrue("true".equals(System.getenv("CI")) || "1".equals(System.getenv("GROWBIN_TEST_RABBITMQ_RESTART")),
                "restarts the shared local RabbitMQ: runs with CI=true or GROWBIN_TEST_RABBITMQ_RESTART=1");
        Assumptions.assumeTrue(rabbitmqctl(20, "status") == 0, "rabbitmqctl cannot reach the local node");
        Worker w = startWorker();
        assertEquals(3, client.send("t.add", queue, List.of(1, 2), Integer.class).get(WAIT));
        long stopped;
        long back;
        try {
            assertEquals(0, rabbitmqctl(60, "stop_app"), "rabbitmqctl stop_app");
            stopped = System.nanoTime();
            w.process().awaitStatus(w.port(), "/ready", 503, WAIT);
        } finally {
            int rc = rabbitmqctl(120, "start_app");
            assertEquals(0, rc, "rabbitmqctl start_app");
        }
        assertEquals(0, rabbitmqctl(60, "await_startup"), "rabbitmqctl await_startup");
        w.process().awaitStatus(w.port(), "/ready", 200, WAIT);
        back = System.nanoTime();
        assertTrue(w.process().process().isAlive());
        // the client recovers too; the worker consumes again
        assertEquals(7, client.send("t.add", queue, List.of(3, 4), Integer.class).get(WAIT));
        System.out.printf("[faults] RabbitMQ restart: worker ready again %d ms after stop_app%n", (back - stopped) / 1_000_000);
    }

    static int rabbitmqctl(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("rabbitmqctl"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return -1; // not installed
        }
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -2;
        }
        return p.exitValue();
    }

    private long messages(String q) throws Exception {
        try (Channel ch = client.broker().connection().createChannel()) {
            return ch.queueDeclarePassive(q).getMessageCount();
        }
    }

    private GetResponse awaitMessage(String q) throws Exception {
        try (Channel ch = client.broker().connection().createChannel()) {
            GetResponse[] got = new GetResponse[1];
            await("a message in " + q, () -> {
                try {
                    got[0] = ch.basicGet(q, true);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return got[0] != null;
            });
            return got[0];
        }
    }
}
