package app.growbin.runtime.celery;

import app.growbin.runtime.testing.PrivateRedis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.contract.Metrics;
import app.growbin.runtime.Env;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.testing.JvmProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import redis.clients.jedis.Jedis;

/**
 * The bounds of issue "workers that never loop, never drop": against the real RabbitMQ and Redis
 * (and a private Redis for the outage), each failure that used to be redelivered without end is
 * dead-lettered once with a FAILURE result, or waits with a bounded backoff; every
 * {@code dead_lettered} count is a message really in the dead-letter queue. The numbers each test
 * measures (runs of the task per message, messages in the dead-letter queue) are printed as
 * {@code [bounds] ...} lines.
 */
class WorkerBoundsTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    private final String queue = "test.bounds." + UUID.randomUUID().toString().substring(0, 8);
    private final String dlq = queue + ".dlq";
    private final List<CeleryWorker> workers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final List<String> extraQueues = new ArrayList<>();
    private final List<String> redisKeys = new ArrayList<>();
    private MetricsRegistry registry;
    private TaskClient client;

    private final TaskDispatcher dispatcher = (task, args) -> {
        switch (task) {
            case "t.add": {
                int a = args.get(0, "a", int.class);
                int b = args.get(1, "b", int.class);
                runs.computeIfAbsent(task + ":" + a, k -> new AtomicInteger()).incrementAndGet();
                return a + b;
            }
            case "t.boom": {
                int a = args.get(0, "a", int.class);
                runs.computeIfAbsent(task + ":" + a, k -> new AtomicInteger()).incrementAndGet();
                throw new IllegalStateException("boom " + a);
            }
            case "t.echo":
                return args.get(0, "value", String.class);
            case "t.length":
                return args.get(0, "value", String.class).length();
            case "t.sleep":
                Thread.sleep(args.get(0, "ms", long.class));
                return "slept";
            case "t.tidy":
                try {
                    Thread.sleep(args.get(0, "ms", long.class));
                    return "slept";
                } catch (InterruptedException e) {
                    return CeleryExceptions.SoftTimeLimitExceeded.exceeded() ? "cleaned up after the soft limit" : "interrupted";
                }
            default:
                throw new TaskDispatcher.NotRegistered(task);
        }
    };

    @BeforeEach
    void setUp() {
        client = TaskClient.fromEnv(new Env(Map.of()));
        registry = new MetricsRegistry();
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
            List<String> queues = new ArrayList<>(extraQueues);
            queues.addAll(List.of(queue, dlq));
            for (CeleryWorker w : workers) {
                queues.addAll(w.declaredQueues());
            }
            for (String q : queues) {
                ch.queueDelete(q);
            }
        }
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            for (String k : redisKeys) {
                j.del(k);
            }
        }
        client.close();
    }

    private CeleryWorker worker(CeleryWorker.Settings settings, ResultBackend results) throws IOException {
        Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "test-bounds");
        closeables.add(broker);
        CeleryWorker w = new CeleryWorker(settings, dispatcher, broker, results, registry);
        workers.add(w);
        w.start();
        return w;
    }

    private CeleryWorker worker(int concurrency) throws IOException {
        return worker(settings(concurrency), client.results());
    }

    private CeleryWorker.Settings settings(int concurrency) {
        return new CeleryWorker.Settings("bounds", queue, Pool.THREADS, concurrency, 2, 20, 30, dlq);
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

    private long messages(String q) {
        return client.broker().messageCount(q);
    }

    /**
     * The counter reaches {@code expected}: dead_lettered rises when the broker confirms the copy in the
     * dead-letter queue, which may come just after the copy is visible there.
     */
    private void awaitCount(String task, String state, double expected) throws InterruptedException {
        await(task + " " + state + " counted " + expected, () -> counter(task, state) == expected);
        assertEquals(expected, counter(task, state), task + " " + state + " must not rise further");
    }

    private double counter(String task, String state) {
        return registry.counter(Metrics.WORKER_TASKS).labelValues("bounds", queue, task, state).get();
    }

    private List<GetResponse> drain(String q) throws Exception {
        List<GetResponse> got = new ArrayList<>();
        try (Channel ch = client.broker().connection().createChannel()) {
            for (GetResponse r; (r = ch.basicGet(q, true)) != null;) {
                got.add(r);
            }
        }
        return got;
    }

    private String id() {
        String id = UUID.randomUUID().toString();
        redisKeys.add(ResultBackend.key(id));
        return id;
    }

    private CeleryMessage.Builder call(String task, String id, Object... args) {
        return CeleryMessage.builder(task, id).rootId(id).args(TaskClient.toJsonArgs(List.of(args)));
    }

    @Test
    void resultKeysThatAreNotCeleryResultsAreDeadLetteredOnceWithAFailure() throws Exception {
        String listKey = id();
        String garbageKey = id();
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            j.rpush(ResultBackend.key(listKey), "a", "b");
            j.set(ResultBackend.key(garbageKey), "not json at all");
        }
        worker(2);
        client.publish(queue, call("t.add", listKey, 1, 1).build());
        client.publish(queue, call("t.add", garbageKey, 2, 2).build());
        await("both in the dead-letter queue", () -> messages(dlq) == 2);
        for (String id : List.of(listKey, garbageKey)) {
            await("FAILURE for " + id, () -> client.results().get(id).map(r -> r.status() == TaskState.FAILURE).orElse(false));
        }
        assertEquals(1, runs.get("t.add:1").get(), "ran once, never redelivered");
        assertEquals(1, runs.get("t.add:2").get(), "ran once, never redelivered");
        awaitCount("t.add", "dead_lettered", 2.0);
        assertEquals(2, drain(dlq).size(), "dead_lettered matches the dead-letter queue");
        System.out.printf("[bounds] result key of the wrong type / not JSON: runs per message 1, redeliveries 0,"
                + " dead-lettered 2 of 2, lost 0%n");
    }

    @Test
    void aChainStepToAQueueNameNoBrokerTakesIsDeadLetteredOnce() throws Exception {
        worker(2);
        String id = id();
        Signature next = Signature.of("t.echo", "q".repeat(300));
        redisKeys.add(ResultBackend.key(next.taskId()));
        client.publish(queue, call("t.add", id, 3, 3).chain(List.of(next)).build());
        await("the dead-letter queue", () -> messages(dlq) == 1);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.handle(id, Integer.class).get(WAIT));
        assertEquals("DecodeError", e.excType());
        TaskFailedException step = assertThrows(TaskFailedException.class,
                () -> client.handle(next.taskId(), String.class).get(WAIT));
        assertEquals("DecodeError", step.excType(), "the chain's later step is FAILURE too, nobody waits forever");
        assertEquals(1, runs.get("t.add:3").get());
        awaitCount("t.add", "dead_lettered", 1.0);
        assertEquals(1, drain(dlq).size());
        System.out.printf("[bounds] chain step to a 300-character queue: runs 1, redeliveries 0, dead-lettered 1, lost 0%n");
    }

    @Test
    void oneMegabyteValuesPassBetweenJavaChainSteps() throws Exception {
        worker(2);
        String big = "v".repeat(1 << 20);
        List<String> ids = client.chain(List.of(Signature.of("t.echo", queue, big), Signature.of("t.length", queue)));
        redisKeys.addAll(ids.stream().map(ResultBackend::key).toList());
        assertEquals(1 << 20, client.handle(ids.get(1), Integer.class).get(WAIT));
        assertEquals(big, client.handle(ids.get(0), String.class).get(WAIT));
        assertEquals(0, messages(dlq));
    }

    @Test
    void headersNearTheFrameLimitAreDeadLetteredAndCounted() throws Exception {
        worker(1);
        Map<String, Object> headers = new LinkedHashMap<>(call("t.nope", "x").build().headers());
        String id = id();
        headers.put("id", id);
        byte[] body = "[[], {}, {}]".getBytes(StandardCharsets.UTF_8);
        // pad the headers to 60 bytes below the 128 KiB frame: the copy with the x-growbin-* headers no longer fits
        headers.put("x-padding", "");
        AMQP.BasicProperties bare = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").headers(headers).deliveryMode(2).build();
        long frame = bare.toFrame(1, body.length).size();
        headers.put("x-padding", "p".repeat((int) (131_072 - 60 - frame)));
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .contentEncoding("utf-8").headers(headers).deliveryMode(2).build();
        try (Channel ch = client.broker().connection().createChannel()) {
            ch.queueDeclare(queue, true, false, false, null);
            ch.basicPublish("", queue, props, body);
        }
        await("the dead-letter queue", () -> messages(dlq) == 1);
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.handle(id, Object.class).get(WAIT));
        assertEquals("NotRegistered", e.excType());
        List<GetResponse> dead = drain(dlq);
        assertEquals(1, dead.size());
        assertEquals(Boolean.TRUE, dead.get(0).getProps().getHeaders().get("x-growbin-trimmed-headers"));
        awaitCount("t.nope", "dead_lettered", 1.0);
        System.out.printf("[bounds] headers near the frame limit: dead-lettered 1 (headers trimmed), metric 1, redeliveries 0%n");
    }

    @Test
    void extraArgumentsAreATypeErrorNotRetried() throws Exception {
        worker(1);
        String extraPositional = id();
        String unknownKeyword = id();
        String twice = id();
        client.publish(queue, call("t.echo", extraPositional, "a", "b").build());
        ObjectNode kw = JsonNodeFactory.instance.objectNode().put("colour", "red");
        client.publish(queue, call("t.echo", unknownKeyword, "a").kwargs(kw).build());
        client.publish(queue, call("t.echo", twice, "a").kwargs(JsonNodeFactory.instance.objectNode().put("value", "b")).build());
        for (String id : List.of(extraPositional, unknownKeyword, twice)) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.handle(id, String.class).get(WAIT));
            assertEquals("TypeError", e.excType());
            assertEquals("builtins", e.excModule());
        }
        await("three in the dead-letter queue", () -> messages(dlq) == 3);
        assertEquals(0.0, counter("t.echo", "retried"), "a TypeError is not retried");
        awaitCount("t.echo", "dead_lettered", 3.0);
    }

    @Test
    void gzipAndBzip2MessagesRunAndAreSentCompressed() throws Exception {
        worker(2);
        for (String codec : List.of("gzip", "bzip2", "zlib")) {
            ObjectNode options = JsonNodeFactory.instance.objectNode().put("queue", queue).put("compression", codec);
            Signature sig = new Signature("t.echo", TaskClient.toJsonArgs(List.of("zipped " + codec)), null, options, null, false);
            TaskHandle<String> h = client.apply(sig, String.class);
            redisKeys.add(ResultBackend.key(h.id()));
            assertEquals("zipped " + codec, h.get(WAIT));
        }
        String id = id();
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                .headers(Map.of("task", "t.echo", "id", id, "compression", "application/x-lzma")).build();
        client.broker().publish("", queue, props, new byte[] {1, 2, 3});
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.handle(id, String.class).get(WAIT));
        assertEquals("ContentDisallowed", e.excType());
        assertEquals("kombu.exceptions", e.excModule());
    }

    @Test
    void farFutureEtaMessagesAreParkedAndDoNotTakeTheSlotsOfDueOnes() throws Exception {
        CeleryWorker w = worker(2);
        Instant year2999 = Instant.parse("2999-01-01T00:00:00Z");
        for (int i = 0; i < 1000; i++) {
            client.publish(queue, call("t.echo", "eta-" + i, "later").eta(year2999).build());
        }
        String parked = w.etaQueue(CeleryWorker.ETA_PARK_MS[CeleryWorker.ETA_PARK_MS.length - 1]);
        await("1000 parked eta messages", () -> messages(parked) == 1000);
        long sent = System.nanoTime();
        TaskHandle<Integer> now = client.send("t.add", queue, List.of(4, 4), Integer.class);
        redisKeys.add(ResultBackend.key(now.id()));
        assertEquals(8, now.get(WAIT));
        assertEquals(0, w.held());
        System.out.printf("[bounds] 1000 eta messages in 2999 parked in %s: a due task ran after %d ms%n", parked,
                (System.nanoTime() - sent) / 1_000_000);
        // countdowns come back from their delay queue (or the short hold) and run on time
        String soon = id();
        long t0 = System.nanoTime();
        client.publish(queue, call("t.echo", soon, "soon").eta(Instant.now().plusMillis(3_000)).build());
        String sooner = id();
        client.publish(queue, call("t.echo", sooner, "sooner").eta(Instant.now().plusMillis(500)).build());
        assertEquals("sooner", client.handle(sooner, String.class).get(WAIT));
        assertEquals("soon", client.handle(soon, String.class).get(WAIT));
        assertTrue(System.nanoTime() - t0 >= 2_900_000_000L, "ran before its eta");
    }

    /**
     * A PROCESSES pool (2 fixed threads, prefetch 8) decodes and admits each delivery on the pool thread that runs
     * it: held eta messages fill the whole prefetch, slow tasks take both threads, undecodable, expired and far
     * eta messages arrive among them, and everything still settles (nothing waits for a pool thread that only
     * a pool thread could free).
     */
    @Test
    void aProcessesPoolWithHeldEtaSlowAndUndecodableMessagesNeverStalls() throws Exception {
        CeleryWorker w = worker(new CeleryWorker.Settings("bounds", queue, Pool.PROCESSES, 2, 2, 20, 30, dlq),
                client.results());
        List<String> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = id();
            client.publish(queue, call("t.echo", id, "held-" + i).eta(Instant.now().plusMillis(1_500)).build());
            held.add(id);
        }
        List<String> slow = new ArrayList<>();
        List<String> adds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = id();
            if (i % 10 == 0) {
                client.publish(queue, call("t.sleep", id, 300).build());
                slow.add(id);
            } else if (i % 10 == 5) {
                client.broker().publish("", queue, new AMQP.BasicProperties.Builder().contentType("application/json")
                        .headers(Map.of("task", "t.add", "id", id)).build(), "{not json".getBytes(StandardCharsets.UTF_8));
            } else if (i % 10 == 7) {
                client.publish(queue, call("t.add", id, 1000 + i, 1).eta(Instant.parse("2999-01-01T00:00:00Z")).build());
            } else if (i % 10 == 9) {
                client.publish(queue, call("t.add", id, 2000 + i, 1).expires(Instant.now().minusSeconds(60)).build());
            } else {
                client.publish(queue, call("t.add", id, i, 1).build());
                adds.add(id);
            }
        }
        for (int i = 0; i < held.size(); i++) {
            assertEquals("held-" + i, client.handle(held.get(i), String.class).get(WAIT));
        }
        for (String id : slow) {
            assertEquals("slept", client.handle(id, String.class).get(WAIT));
        }
        for (String id : adds) {
            assertTrue(client.handle(id, Integer.class).get(WAIT) > 0);
        }
        await("4 undecodable messages dead-lettered", () -> messages(dlq) == 4);
        String parked = w.etaQueue(CeleryWorker.ETA_PARK_MS[CeleryWorker.ETA_PARK_MS.length - 1]);
        await("4 far eta messages parked", () -> messages(parked) == 4);
        awaitCount("t.add", "revoked", 4); // the expired ones
        await("every ack sent", () -> w.unacknowledged() == 0 && w.inFlight() == 0);
        assertEquals(0, messages(queue));
    }

    @Test
    void hardTimeLimitIsTimelimitZeroAndSoftIsTimelimitOne() throws Exception {
        worker(settings(2), client.results());
        String hard = id();
        long t0 = System.nanoTime();
        client.publish(queue, call("t.sleep", hard, 8_000).timeLimits(1.0, null).retries(2).build());
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.handle(hard, String.class).get(WAIT));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("TimeLimitExceeded", e.excType());
        assertEquals("billiard.exceptions", e.excModule());
        assertTrue(tookMs < 7_000, "time_limit=1 stopped the task after " + tookMs + " ms, not after its 8 s");

        String soft = id();
        client.publish(queue, call("t.sleep", soft, 8_000).timeLimits(30.0, 0.3).retries(2).build());
        TaskFailedException s = assertThrows(TaskFailedException.class, () -> client.handle(soft, String.class).get(WAIT));
        assertEquals("SoftTimeLimitExceeded", s.excType());

        String tidy = id();
        client.publish(queue, call("t.tidy", tidy, 8_000).timeLimits(30.0, 0.3).build());
        assertEquals("cleaned up after the soft limit", client.handle(tidy, String.class).get(WAIT),
                "a task that handles the soft limit succeeds");
    }

    @Test
    void revokeBroadcastOnThePidboxDiscardsTheTask() throws Exception {
        String id = id();
        ObjectNode command = JsonNodeFactory.instance.objectNode().put("method", "revoke");
        command.putObject("arguments").put("task_id", id).put("terminate", false).put("signal", "SIGTERM");
        command.putNull("destination");
        worker(1);
        try (Channel ch = client.broker().connection().createChannel()) {
            ch.basicPublish(RevokedTasks.PIDBOX_EXCHANGE, "", new AMQP.BasicProperties.Builder()
                    .contentType("application/json").build(), PythonJson.write(command).getBytes(StandardCharsets.UTF_8));
        }
        try (Jedis j = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
            try {
                await("the revocation recorded for the other replicas",
                        () -> j.zscore(ResultBackend.REVOKED_KEY, id) != null);
            } finally {
                closeables.add(() -> {
                    try (Jedis k = new Jedis(URI.create(Env.DEFAULT_RESULT_BACKEND))) {
                        k.zrem(ResultBackend.REVOKED_KEY, id);
                    }
                });
            }
        }
        client.publish(queue, call("t.add", id, 9, 9).build());
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.handle(id, Integer.class).get(WAIT));
        assertEquals("TaskRevokedError", e.excType());
        assertEquals("celery.exceptions", e.excModule());
        assertEquals(TaskState.REVOKED, client.handle(id, Integer.class).state());
        assertTrue(runs.get("t.add:9") == null, "a revoked task does not run");
        assertEquals(0, messages(dlq));
    }

    @Test
    void anOversizePublishLeavesTheClientHealthyForTheNextHundred() throws Exception {
        worker(4);
        Map<String, Object> headers = new LinkedHashMap<>(call("t.echo", "x").build().headers());
        headers.put("x-padding", "p".repeat(200_000));
        AMQP.BasicProperties tooLarge = new AMQP.BasicProperties.Builder().headers(headers).build();
        assertThrows(MessageTooLargeException.class, () -> client.broker().publish("", queue, tooLarge, new byte[0]));
        try (Broker small = new Broker(Env.DEFAULT_BROKER_URL, "test-small", QueueType.CLASSIC, 1000);
                TaskClient smallClient = new TaskClient(small, client.results())) {
            assertThrows(MessageTooLargeException.class,
                    () -> smallClient.send("t.echo", queue, List.of("x".repeat(2000)), String.class));
        }
        String unknownQueue = "test.bounds.none." + UUID.randomUUID();
        assertThrows(UnroutableMessageException.class,
                () -> client.broker().publish("", unknownQueue, call("t.echo", "u").build().properties(), new byte[2]));
        List<TaskHandle<Integer>> handles = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            handles.add(client.send("t.add", queue, List.of(100 + i, 1), Integer.class));
        }
        for (int i = 0; i < 100; i++) {
            redisKeys.add(ResultBackend.key(handles.get(i).id()));
            assertEquals(101 + i, handles.get(i).get(WAIT));
        }
    }

    @Test
    void aTaskSentBeforeAnyWorkerDeclaredItsQueueWaitsForIt() throws Exception {
        TaskHandle<Integer> early = client.send("t.add", queue, List.of(20, 1), Integer.class);
        redisKeys.add(ResultBackend.key(early.id()));
        assertEquals(1, messages(queue), "declared by the client and kept");
        worker(1);
        assertEquals(21, early.get(WAIT));
    }

    /**
     * A private Redis ({@code redis-server} on a free port) is stopped while tasks arrive: the worker
     * turns not-ready, holds the message and retries with a bounded delay (no redelivery storm, a
     * handful of log lines), and finishes the task once Redis is back.
     */
    @Test
    void aRedisOutageBacksOffWithoutSpinningAndTurnsTheWorkerNotReady() throws Exception {
        int port = JvmProcess.freePort();
        Path dir = Files.createTempDirectory("growbin-redis");
        Process redis = PrivateRedis.start(port, dir, WAIT);
        try {
            ResultBackend privateResults = new ResultBackend("redis://127.0.0.1:" + port + "/0", 600);
            closeables.add(privateResults);
            CeleryWorker w = worker(settings(1).withTransientBackoff(200, 1_000, 1_000), privateResults);
            await("ready", w::ready);
            redis.destroy();
            assertTrue(redis.waitFor(10, TimeUnit.SECONDS));
            await("not ready while Redis is down", () -> !w.ready());
            String id = UUID.randomUUID().toString();
            client.publish(queue, call("t.add", id, 30, 1).build());
            long downFor = System.nanoTime();
            Thread.sleep(5_000);
            assertFalse(w.ready());
            int runsDuringOutage = runs.getOrDefault("t.add:30", new AtomicInteger()).get();
            redis = PrivateRedis.start(port, dir, WAIT);
            await("ready again", w::ready);
            TaskHandle<Integer> h = new TaskHandle<>(id, privateResults, PythonJson.MAPPER.constructType(Integer.class));
            assertEquals(31, h.get(WAIT));
            assertTrue(runsDuringOutage <= 1, "the task ran " + runsDuringOutage + " times during the outage");
            assertEquals(0, messages(dlq));
            System.out.printf("[bounds] Redis down %d ms: task runs during the outage %d, redeliveries 0, result stored"
                    + " after recovery, lost 0%n", (System.nanoTime() - downFor) / 1_000_000, runsDuringOutage);
        } finally {
            redis.destroyForcibly();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }


    static JsonNode json(String s) {
        return PythonJson.read(s);
    }

    // ---------------------------------------------------------------- batched acks (issue 15)

    /** A worker whose broker connection the test can cut, as a crash would. */
    private record Cuttable(CeleryWorker worker, Broker broker) {}

    private Cuttable cuttableWorker(int concurrency) throws IOException {
        Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "test-bounds-cut");
        closeables.add(broker);
        CeleryWorker w = new CeleryWorker(settings(concurrency), dispatcher, broker, client.results(), registry);
        workers.add(w);
        w.start();
        return new Cuttable(w, broker);
    }

    /**
     * Cuts the worker's connection (a crash: nothing more is acked) and returns how many messages the broker
     * put back in the queue: those it still counted as unacknowledged.
     */
    private long cutAndCountRedelivered(Cuttable c) throws Exception {
        c.broker().abort();
        try (Channel ch = client.broker().connection().createChannel()) {
            await("the broker to drop the cut consumer", () -> {
                try {
                    return ch.queueDeclarePassive(queue).getConsumerCount() == 0;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        return messages(queue);
    }

    @Test
    void aFailingTaskInABatchIsRetriedThenDeadLetteredAndTheRestOfTheBatchIsAcked() throws Exception {
        Cuttable c = cuttableWorker(4); // THREADS: prefetch 16, acks in batches of 4
        List<String> adds = new ArrayList<>();
        List<String> booms = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String id = id();
            boolean boom = i % 10 == 3;
            CeleryMessage m = call(boom ? "t.boom" : "t.add", id, i, 1).build();
            client.broker().publish("", queue, m.properties(), m.body());
            (boom ? booms : adds).add(id);
        }
        for (String id : adds) {
            assertTrue(client.handle(id, Integer.class).get(WAIT) > 0);
        }
        for (String id : booms) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> client.handle(id, Integer.class).get(WAIT));
            assertTrue(e.getMessage().contains("boom"), e.getMessage());
        }
        awaitCount("t.boom", "dead_lettered", booms.size());
        for (int i = 3; i < 60; i += 10) {
            assertEquals(3, runs.get("t.boom:" + i).get(), "t.boom(" + i + "): the run and its 2 retries, no more");
        }
        List<String> deadLettered = new ArrayList<>();
        for (GetResponse r : drain(dlq)) {
            deadLettered.add(CeleryMessage.idOf(r.getProps()));
        }
        assertEquals(new java.util.TreeSet<>(booms), new java.util.TreeSet<>(deadLettered),
                "exactly the failing tasks are in the dead-letter queue, once each");
        for (int i = 0; i < 60; i++) {
            if (i % 10 != 3) {
                assertEquals(1, runs.get("t.add:" + i).get(), "t.add(" + i + ") ran once");
            }
        }
        await("every ack sent", () -> c.worker().unacknowledged() == 0);
        assertEquals(0, cutAndCountRedelivered(c), "every message, failed or not, was acknowledged to the broker");
        for (long ms : new long[] {20, 40}) {
            assertEquals(0, messages(c.worker().retryQueue(ms)), "no retry left waiting");
        }
        System.out.printf("[bounds] batched acks: %d succeeded, %d retried twice then dead-lettered, 0 redelivered%n",
                adds.size(), booms.size());
    }

    @Test
    void acksAreSentWhenTheQueueGoesIdleWithoutWaitingForAFullBatch() throws Exception {
        Cuttable c = cuttableWorker(8); // prefetch 32, batches of 8: 3 messages never fill one
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TaskHandle<Integer> h = client.send("t.add", queue, List.of(100 + i, 1), Integer.class);
            redisKeys.add(ResultBackend.key(h.id()));
            ids.add(h.id());
        }
        for (String id : ids) {
            client.handle(id, Integer.class).get(WAIT);
        }
        await("the acks of an idle queue to be sent", () -> c.worker().unacknowledged() == 0);
        assertEquals(0, cutAndCountRedelivered(c), "the broker had all three acks before the connection was cut");
    }
}
