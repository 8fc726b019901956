package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.metrics.MetricsRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real Celery on both sides, with Debian's {@code python3-celery} (5.2) and {@code python3-redis}
 * ({@code scripts/install-tools.sh} installs them), always through {@code /usr/bin/python3}: the
 * python on PATH may be another one without those packages.
 *
 * <ul>
 *   <li>Python {@code send_task} → Java {@link CeleryWorker} → Python {@code AsyncResult.get()};</li>
 *   <li>Java {@link TaskClient} → Python Celery worker ({@code celery worker -P solo}) → result read in Java;</li>
 *   <li>a failing task's exception type reaches the caller on both sides.</li>
 * </ul>
 *
 * Without the packages the tests are skipped, except in CI ({@code CI=true}), where they fail.
 */
class CeleryInteropTest {

    static final String PYTHON = "/usr/bin/python3";
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String queue = "test.interop." + UUID.randomUUID().toString().substring(0, 8);
    private final String dlq = queue + ".dlq";
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<String> extraQueues = new ArrayList<>();
    private TaskClient client;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        boolean ok = run(List.of(PYTHON, "-c", "import celery, redis"), Duration.ofSeconds(30)) == 0;
        String why = PYTHON + " cannot import celery and redis (Debian: apt-get install python3-celery python3-redis;"
                + " scripts/install-tools.sh does it)";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(ok, why);
        } else {
            Assumptions.assumeTrue(ok, why);
        }
        client = TaskClient.fromEnv(new Env(Map.of()));
        dir = Files.createTempDirectory("growbin-interop");
        try (InputStream in = getClass().getResourceAsStream("/python/growbin_interop.py")) {
            Files.copy(in, dir.resolve("growbin_interop.py"));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (client != null) {
            try (Channel ch = client.broker().connection().createChannel()) {
                List<String> queues = new ArrayList<>(List.of(queue, dlq, queue + ".retry.20"));
                queues.addAll(extraQueues);
                for (String q : queues) {
                    ch.queueDelete(q);
                }
                ch.exchangeDelete(queue); // Celery declares a direct exchange named like the queue
            }
            client.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private ProcessBuilder python(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(PYTHON));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", dir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("PYTHONPATH", dir.toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put(EnvVars.CELERY_BROKER_URL, Env.DEFAULT_BROKER_URL);
        env.put(EnvVars.CELERY_RESULT_BACKEND, Env.DEFAULT_RESULT_BACKEND);
        return pb;
    }

    static int run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return -1;
        }
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -2;
        }
        return p.exitValue();
    }

    @Test
    void pythonSendTaskRunsOnTheJavaWorkerAndAsyncResultGetsTheResult() throws Exception {
        TaskDispatcher dispatcher = (task, args) -> switch (task) {
            case "t.add" -> args.get(0, "a", int.class) + args.get(1, "b", int.class);
            case "t.suffix" -> args.get(0, "s", String.class) + args.get(1, "suffix", String.class);
            case "t.fail" -> throw new IllegalArgumentException("java says no");
            default -> throw new TaskDispatcher.NotRegistered(task);
        };
        Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "interop-worker");
        closeables.add(broker);
        CeleryWorker worker = new CeleryWorker(new CeleryWorker.Settings("interop", queue, Pool.THREADS, 2, 1, 20, 30, dlq),
                dispatcher, broker, client.results(), new MetricsRegistry());
        closeables.add(0, worker);
        extraQueues.addAll(worker.declaredQueues());
        worker.start();

        Path out = dir.resolve("client.log");
        Process p = python(List.of("growbin_interop.py", "client", queue)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        processes.add(p);
        assertTrue(p.waitFor(WAIT.toSeconds() * 2, TimeUnit.SECONDS), "the Python client did not finish");
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        String line = log.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT line from the Python client:\n" + log));
        JsonNode r = JSON.readTree(line.substring("RESULT ".length()));
        assertEquals(5, r.path("add").asInt(), log);
        assertEquals("abc!", r.path("kwargs").asText(), log);
        // Celery rebuilds the exception class from exc_type (its module java.lang is not Python's)
        assertEquals("IllegalArgumentException", r.at("/fail/type").asText(), log);
        assertEquals("FAILURE", r.at("/fail/state").asText(), log);
        assertTrue(r.at("/fail/message").asText().contains("java says no"), log);
        System.out.printf("[interop] Python Celery %s -> Java worker -> AsyncResult.get(): %s%n", r.path("celery").asText(), r);
    }

    private CeleryWorker javaWorker(String onQueue) throws IOException {
        TaskDispatcher dispatcher = (task, args) -> switch (task) {
            case "t.add" -> args.get(0, "a", int.class) + args.get(1, "b", int.class);
            case "t.sum" -> args.get(0, "values", new app.growbin.runtime.TypeRef<List<Integer>>() {}).stream()
                    .mapToInt(Integer::intValue).sum();
            case "t.echo" -> args.get(0, "value", String.class);
            case "t.len" -> args.get(0, "value", String.class).length();
            case "t.sleep" -> {
                Thread.sleep(args.get(0, "ms", long.class));
                yield "slept";
            }
            case "t.fail" -> throw new IllegalArgumentException("java says no");
            default -> throw new TaskDispatcher.NotRegistered(task);
        };
        Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "interop-worker");
        closeables.add(broker);
        CeleryWorker worker = new CeleryWorker(new CeleryWorker.Settings("interop", onQueue, Pool.THREADS, 4, 1, 20, 30, dlq),
                dispatcher, broker, client.results(), new MetricsRegistry());
        closeables.add(0, worker);
        extraQueues.addAll(worker.declaredQueues());
        worker.start();
        return worker;
    }

    /**
     * Celery's canvas from Python against the Java worker: chain, group, chord (the Redis chord
     * counter) and a failing chord, link and link_error, and every failure caught in Python by the
     * class Celery itself raises: TypeError, NotRegistered, TimeLimitExceeded (time_limit=1 on an 8 s
     * task), SoftTimeLimitExceeded, TaskRevokedError (app.control.revoke, and expires); gzip and bzip2
     * bodies; 1 MB arguments, results and values between chain steps.
     */
    @Test
    void pythonCanvasTimeLimitsRevokeAndCompressionOnTheJavaWorker() throws Exception {
        javaWorker(queue);
        Path out = dir.resolve("canvas.log");
        Process p = python(List.of("growbin_interop.py", "canvas", queue)).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        processes.add(p);
        assertTrue(p.waitFor(WAIT.toSeconds() * 8, TimeUnit.SECONDS), "the Python client did not finish");
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        String line = log.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError("no RESULT line from the Python client:\n" + log));
        JsonNode r = JSON.readTree(line.substring("RESULT ".length()));
        System.out.printf("[interop] Python canvas -> Java worker: %s%n", r);
        assertEquals(13, r.path("chain").asInt(), log);
        assertEquals("[2,4]", r.path("group").toString(), log);
        assertEquals(12, r.path("chord").asInt(), log);
        assertEquals("celery.exceptions.ChordError", r.at("/chord_failure/caught").asText(), log);
        assertEquals(13, r.path("link").asInt(), log);
        assertTrue(r.at("/link_error/errback_got_the_failed_id").asBoolean(), log);
        assertEquals("builtins.TypeError", r.at("/type_error/caught").asText(), log);
        assertEquals("celery.exceptions.NotRegistered", r.at("/not_registered/caught").asText(), log);
        assertEquals("billiard.exceptions.TimeLimitExceeded", r.at("/time_limit/caught").asText(), log);
        assertEquals("billiard.exceptions.SoftTimeLimitExceeded", r.at("/soft_time_limit/caught").asText(), log);
        assertEquals("celery.exceptions.TaskRevokedError", r.at("/revoked/caught").asText(), log);
        assertEquals("revoked", r.at("/revoked/message").asText(), log);
        assertEquals("celery.exceptions.TaskRevokedError", r.at("/expired/caught").asText(), log);
        assertEquals("expired", r.at("/expired/message").asText(), log);
        assertEquals("gz", r.path("gzip").asText(), log);
        assertEquals("bz", r.path("bzip2").asText(), log);
        assertEquals(1 << 20, r.path("one_mb_argument").asInt(), log);
        assertEquals(1 << 20, r.path("one_mb_between_steps").asInt(), log);
        assertEquals(1 << 20, r.path("one_mb_result").asInt(), log);
    }

    @Test
    void javaClientCallsAPythonCeleryWorker() throws Exception {
        Path out = dir.resolve("worker.log");
        Process worker = python(List.of("-m", "celery", "-A", "growbin_interop", "worker", "-Q", queue, "-P", "solo",
                "-c", "1", "-n", "interop-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost",
                "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "INFO"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(worker);
        long t0 = System.nanoTime();
        awaitConsumer(worker, out);
        long ready = System.nanoTime();
        try {
            assertEquals(5, client.send("py.add", queue, List.of(2, 3), Integer.class).get(WAIT));
            JsonNode described = client.send("py.describe", queue, List.of(Map.of("label", "jar")), JsonNode.class).get(WAIT);
            assertEquals("{\"label\":\"JAR\",\"python\":true}", described.toString());
            TaskHandle<Object> failing = client.send("py.fail", queue, List.of("bad input"), Object.class);
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> failing.get(WAIT));
            assertEquals("ValueError", e.excType());
            assertEquals("builtins", e.excModule());
            assertTrue(e.getMessage().contains("python says no: bad input"), e.getMessage());
            assertEquals(TaskState.FAILURE, failing.state());
            // compressed bodies, and 1 MB both ways
            for (String codec : List.of("gzip", "bzip2")) {
                ObjectNode options = JsonNodeFactory.instance.objectNode().put("queue", queue).put("compression", codec);
                assertEquals(7, client.apply(new Signature("py.add", TaskClient.toJsonArgs(List.of(3, 4)), null, options,
                        null, false), Integer.class).get(WAIT), codec);
            }
            assertEquals(1 << 20, client.send("py.len", queue, List.of("j".repeat(1 << 20)), Integer.class).get(WAIT));
            assertEquals(1 << 20, client.send("py.big", queue, List.of(1 << 20), String.class).get(WAIT).length());
            List<String> ids = client.chain(List.of(Signature.of("py.big", queue, 1 << 20), Signature.of("py.len", queue)));
            assertEquals(1 << 20, client.handle(ids.get(1), Integer.class).get(WAIT));
            // a Java worker's next chain step reaches the Python worker: 1 MB between them
            String javaQueue = queue + ".java";
            javaWorker(javaQueue);
            extraQueues.add(javaQueue);
            List<String> mixed = client.chain(List.of(Signature.of("t.echo", javaQueue, "m".repeat(1 << 20)),
                    Signature.of("py.len", queue)));
            assertEquals(1 << 20, client.handle(mixed.get(1), Integer.class).get(WAIT));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- Python worker ---\n" + Files.readString(out), e);
        }
        System.out.printf("[interop] Python Celery worker consuming after %d ms; 3 calls from Java in %d ms%n",
                (ready - t0) / 1_000_000, (System.nanoTime() - ready) / 1_000_000);
    }

    /** The Python worker consumes once the queue has its consumer and it says ready (bounded; its death ends the wait). */
    private void awaitConsumer(Process worker, Path log) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && worker.isAlive()) {
            try (Channel ch = client.broker().connection().createChannel()) {
                // Celery logs "<node> ready." once its event loop runs; a message sent between
                // basic.consume and that moment can sit ~10 s in the solo pool's first loop turn
                if (ch.queueDeclarePassive(queue).getConsumerCount() > 0
                        && Files.readString(log, StandardCharsets.UTF_8).contains(" ready.")) {
                    return;
                }
            } catch (IOException e) {
                // not declared yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the Python Celery worker did not consume " + queue + " within " + WAIT
                + (worker.isAlive() ? "" : " (it exited " + worker.exitValue() + ")") + ":\n" + Files.readString(log));
    }
}
