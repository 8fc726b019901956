package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.contract.Metrics;
import app.growbin.runtime.Env;
import app.growbin.runtime.Pools;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.testing.MetricsText;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real RabbitMQ and Redis on 127.0.0.1 (shared/SERVICES.md): each test has its own
 * queue and dead-letter queue and deletes them afterwards.
 */
class CeleryWorkerIntegrationTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    private final String queue = "test.worker." + UUID.randomUUID().toString().substring(0, 8);
    private final String dlq = queue + ".dlq";
    private final List<CeleryWorker> workers = new ArrayList<>();
    private final List<Broker> brokers = new ArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger blockedRuns = new AtomicInteger();
    private MetricsRegistry registry;
    private TaskClient client;
    private ResultBackend results;

    private final TaskDispatcher dispatcher = (task, args) -> {
        switch (task) {
            case "t.add":
                return args.get(0, "a", int.class) + args.get(1, "b", int.class);
            case "t.upper":
                return args.get(0, "s", String.class).toUpperCase();
            case "t.suffix":
                return args.get(0, "s", String.class) + args.get(1, "suffix", String.class);
            case "t.fail":
                throw new IllegalArgumentException("deliberate failure");
            case "t.flaky": {
                String key = args.get(0, "key", String.class);
                int n = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                if (n <= args.get(1, "failures", int.class)) {
                    throw new IllegalStateException("attempt " + n + " fails");
                }
                return "ok after " + n;
            }
            case "t.sleep":
                Thread.sleep(args.get(0, "ms", long.class));
                return "slept";
            case "t.block":
                blockedRuns.incrementAndGet();
                release.await(60, TimeUnit.SECONDS);
                return "released";
            default:
                throw new TaskDispatcher.NotRegistered(task);
        }
    };

    @BeforeEach
    void setUp() {
        Env env = new Env(Map.of());
        client = TaskClient.fromEnv(env);
        results = client.results();
        registry = new MetricsRegistry();
    }

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        for (CeleryWorker w : workers) {
            w.close();
        }
        for (Broker b : brokers) {
            b.close();
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
        client.close();
    }

    private CeleryWorker worker(Pool pool, int concurrency, int maxRetries, double timeLimit, TaskDispatcher d)
            throws IOException {
        return worker(new CeleryWorker.Settings("test", queue, pool, concurrency, maxRetries, 20, timeLimit, dlq), d);
    }

    private CeleryWorker worker(CeleryWorker.Settings settings, TaskDispatcher d) throws IOException {
        Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "test-worker");
        brokers.add(broker);
        CeleryWorker w = new CeleryWorker(settings, d, broker, results, registry);
        workers.add(w);
        w.start();
        return w;
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    private GetResponse awaitDeadLetter() throws Exception {
        try (Channel ch = client.broker().connection().createChannel()) {
            GetResponse[] got = new GetResponse[1];
            await("a message in " + dlq, () -> {
                try {
                    got[0] = ch.basicGet(dlq, true);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return got[0] != null;
            });
            return got[0];
        }
    }

    @Test
    void runsTaskAndStoresCeleryResult() throws Exception {
        CeleryWorker w = worker(Pool.THREADS, 4, 3, 30, dispatcher);
        assertTrue(w.ready());
        TaskHandle<Integer> h = client.send("t.add", queue, List.of(2, 3), Integer.class);
        assertEquals(5, h.get(WAIT));
        assertEquals(TaskState.SUCCESS, h.state());
        String raw = results.raw(h.id()).orElseThrow();
        assertTrue(raw.startsWith("{\"status\": \"SUCCESS\", \"result\": 5, \"traceback\": null, \"children\": [], \"date_done\": \""), raw);
        assertTrue(raw.endsWith("\", \"task_id\": \"" + h.id() + "\"}"), raw);
        await("ack", () -> w.inFlight() == 0);
        assertEquals(1.0, registry.counter(Metrics.WORKER_TASKS).labelValues("test", queue, "t.add", "succeeded").get());
        MetricsText metrics = MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, registry.scrape());
        assertEquals(1.0, metrics.value(Metrics.WORKER_TASK_DURATION.bucketSeries(),
                Map.of("service", "test", "queue", queue, "task", "t.add", "le", "+Inf")), registry.scrape());
        assertEquals(0.0, metrics.value(Metrics.WORKER_TASKS_IN_FLIGHT.name(), Map.of("service", "test", "queue", queue)), registry.scrape());
        assertEquals(0.0, metrics.value(Metrics.QUEUE_MESSAGES_READY.name(), Map.of("service", "test", "queue", dlq)), registry.scrape());
    }

    @Test
    void keywordArgumentsAndChains() throws Exception {
        worker(Pool.GEVENT, 10, 3, 30, dispatcher);
        List<String> ids = client.chain(List.of(Signature.of("t.upper", queue, "abc"),
                Signature.of("t.suffix", queue, "!"), Signature.of("t.upper", queue)));
        assertEquals("ABC!", client.handle(ids.get(2), String.class).get(WAIT));
        assertEquals("ABC", client.handle(ids.get(0), String.class).get(WAIT));
    }

    @Test
    void aGeventPoolPrefetchesBeyondItsConcurrencyButRunsOnlyThatManyAtOnce() throws Exception {
        int concurrency = 3;
        int prefetch = Pools.prefetch(Pool.GEVENT, concurrency);
        AtomicInteger runningNow = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        TaskDispatcher gated = (task, args) -> {
            mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
            try {
                go.await(60, TimeUnit.SECONDS);
                return "ran " + args.get(0, "n", int.class);
            } finally {
                runningNow.decrementAndGet();
            }
        };
        CeleryWorker w = worker(Pool.GEVENT, concurrency, 3, 30, gated);
        List<TaskHandle<String>> handles = new ArrayList<>();
        for (int i = 0; i < prefetch; i++) {
            handles.add(client.send("t.gated", queue, List.of(i), String.class));
        }
        await("every message to be prefetched", () -> w.inFlight() == prefetch);
        await("the pool to be full", () -> runningNow.get() == concurrency);
        assertEquals(prefetch, w.unacknowledged(), "nothing finished, nothing acknowledged");
        assertEquals(concurrency, mostAtOnce.get(), prefetch + " prefetched, only " + concurrency + " may run");
        go.countDown();
        for (int i = 0; i < prefetch; i++) {
            assertEquals("ran " + i, handles.get(i).get(WAIT));
        }
        assertEquals(concurrency, mostAtOnce.get());
        await("every ack", () -> w.unacknowledged() == 0 && w.inFlight() == 0);
    }

    @Test
    void thePrefetchMultiplierSetsHowManyMessagesAreTakenPerRunningTask() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        TaskDispatcher gated = (task, args) -> {
            started.incrementAndGet();
            go.await(60, TimeUnit.SECONDS);
            return "ran " + args.get(0, "n", int.class);
        };
        CeleryWorker w = worker(new CeleryWorker.Settings("test", queue, Pool.THREADS, 2, 3, 20, 30, dlq)
                .withPrefetchMultiplier(3), gated);
        List<TaskHandle<String>> handles = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            handles.add(client.send("t.gated", queue, List.of(i), String.class));
        }
        await("3 x 2 messages taken, 2 running, 2 left in the queue",
                () -> w.inFlight() == 6 && started.get() == 2 && client.broker().messageCount(queue) == 2);
        go.countDown();
        for (int i = 0; i < handles.size(); i++) {
            assertEquals("ran " + i, handles.get(i).get(WAIT));
        }
        await("every ack", () -> w.unacknowledged() == 0 && w.inFlight() == 0);
    }

    @Test
    void retriesWithBackoffThenSucceeds() throws Exception {
        worker(Pool.PROCESSES, 2, 3, 30, dispatcher);
        String key = UUID.randomUUID().toString();
        TaskHandle<String> h = client.send("t.flaky", queue, List.of(key, 2), String.class);
        assertEquals("ok after 3", h.get(WAIT));
        assertEquals(2.0, registry.counter(Metrics.WORKER_TASKS).labelValues("test", queue, "t.flaky", "retried").get());
    }

    @Test
    void poisonMessageIsDeadLetteredAfterItsRetries() throws Exception {
        worker(Pool.SOLO, 1, 2, 30, dispatcher);
        TaskHandle<Object> h = client.send("t.fail", queue, List.of(), Object.class);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("IllegalArgumentException", e.excType());
        assertEquals("java.lang", e.excModule());
        GetResponse dead = awaitDeadLetter();
        assertEquals("t.fail", dead.getProps().getHeaders().get("task").toString());
        assertEquals(h.id(), dead.getProps().getHeaders().get("id").toString());
        assertEquals(2, dead.getProps().getHeaders().get("retries"));
        assertEquals(queue, dead.getProps().getHeaders().get("x-growbin-queue").toString());
        assertEquals(2.0, registry.counter(Metrics.WORKER_TASKS).labelValues("test", queue, "t.fail", "retried").get());
    }

    @Test
    void undecodableMessageGoesStraightToTheDeadLetterQueue() throws Exception {
        worker(Pool.THREADS, 1, 3, 30, dispatcher);
        client.broker().publish("", queue, new AMQP.BasicProperties.Builder().contentType("application/json").build(),
                "not celery".getBytes(StandardCharsets.UTF_8));
        GetResponse dead = awaitDeadLetter();
        assertEquals("not celery", new String(dead.getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void hardTimeLimitFailsTheTask() throws Exception {
        worker(Pool.THREADS, 1, 0, 0.2, dispatcher);
        TaskHandle<String> h = client.send("t.sleep", queue, List.of(30_000), String.class);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("TimeLimitExceeded", e.excType());
        awaitDeadLetter();
    }

    @Test
    void unknownTaskFailsWithNotRegistered() throws Exception {
        worker(Pool.THREADS, 1, 0, 30, dispatcher);
        TaskHandle<String> h = client.send("t.nope", queue, List.of(), String.class);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> h.get(WAIT));
        assertEquals("NotRegistered", e.excType());
    }

    @Test
    void taskOfAWorkerThatDiesMidTaskRunsAgainElsewhere() throws Exception {
        CeleryWorker first = worker(Pool.THREADS, 1, 3, 30, dispatcher);
        TaskHandle<String> h = client.send("t.block", queue, List.of(), String.class);
        await("the first worker to take the task", () -> blockedRuns.get() == 1 && first.inFlight() == 1);
        brokers.get(0).abort(); // the connection dies as with SIGKILL: the message was never acknowledged
        TaskDispatcher second = (task, args) -> "done by the second worker";
        worker(Pool.THREADS, 1, 3, 30, second);
        assertEquals("done by the second worker", h.get(WAIT));
    }

    @Test
    void shutdownStopsConsumingAndLetsInFlightTasksFinish() throws Exception {
        CeleryWorker w = worker(Pool.THREADS, 2, 3, 30, dispatcher);
        TaskHandle<String> h = client.send("t.block", queue, List.of(), String.class);
        await("the task to start", () -> blockedRuns.get() == 1);
        Thread stopper = new Thread(() -> w.shutdown(Duration.ofSeconds(20)));
        stopper.start();
        await("readiness to drop", () -> !w.ready());
        release.countDown();
        stopper.join(20_000);
        assertEquals("released", h.get(WAIT));
        assertEquals(0, w.inFlight());
    }

    @Test
    void honoursEtaFromTheMessage() throws Exception {
        worker(Pool.THREADS, 1, 3, 30, dispatcher);
        String id = UUID.randomUUID().toString();
        CeleryMessage m = CeleryMessage.builder("t.add", id).args(TaskClient.toJsonArgs(List.of(1, 1)))
                .eta(java.time.Instant.now().plusMillis(300)).origin("test").replyTo("r").build();
        long sent = System.nanoTime();
        client.publish(queue, m);
        assertEquals(2, client.handle(id, Integer.class).get(WAIT));
        assertTrue(System.nanoTime() - sent >= 250_000_000L, "ran before its eta");
        assertNotNull(results.get(id).orElseThrow().dateDone());
    }
}
