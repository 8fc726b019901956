package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.telemetry.Tracing;
import app.growbin.runtime.testing.OtlpReceiver;
import app.growbin.runtime.testing.OtlpReceiver.ReceivedSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
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
 * The W3C trace context between Python Celery 5.2 (Debian's python3-celery) and the Java runtime,
 * in the headers where opentelemetry-instrumentation-celery puts and reads them. That library is
 * not installable here (not in Debian, PyPI unreachable), so {@code growbin_tracecontext.py} does
 * what its source does, with Celery's own signal and request: {@code inject(headers)} in a
 * {@code before_task_publish} receiver (the protocol v2 headers dict Celery then publishes), and
 * {@code getattr(task.request, "traceparent")} in the worker.
 *
 * <ul>
 *   <li>Python → Java: the raw message Celery publishes carries {@code traceparent}/{@code tracestate}
 *       as top-level AMQP headers after Celery's own (the order Java writes them in too); the Java
 *       worker's {@code run/t.add} span is the child of the injected span, in its trace;</li>
 *   <li>Java → Python: the Python task's request has {@code traceparent} = the Java
 *       {@code apply_async} span's context.</li>
 * </ul>
 * Skipped without the packages, except in CI.
 */
class TraceContextInteropTest {

    static final String PYTHON = CeleryInteropTest.PYTHON;
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String queue = "test.tracectx." + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private OtlpReceiver receiver;
    private Tracing tracing;
    private TaskClient client;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        boolean ok = CeleryInteropTest.run(List.of(PYTHON, "-c", "import celery, redis"), Duration.ofSeconds(30)) == 0;
        String why = PYTHON + " cannot import celery and redis (Debian: apt-get install python3-celery python3-redis)";
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(ok, why);
        } else {
            Assumptions.assumeTrue(ok, why);
        }
        receiver = OtlpReceiver.start();
        tracing = Tracing.fromEnv(new Env(Map.of(EnvVars.OTEL_EXPORTER_OTLP_ENDPOINT, receiver.endpoint(),
                "OTEL_BSP_SCHEDULE_DELAY", "100")), "java-side");
        client = TaskClient.fromEnv(new Env(Map.of()), tracing);
        queues.addAll(List.of(queue, queue + ".dlq"));
        dir = Files.createTempDirectory("growbin-tracectx");
        try (InputStream in = getClass().getResourceAsStream("/python/growbin_tracecontext.py")) {
            Files.copy(in, dir.resolve("growbin_tracecontext.py"));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (client != null) {
            try (Channel ch = client.broker().connection().createChannel()) {
                for (String q : queues) {
                    ch.queueDelete(q);
                }
                ch.exchangeDelete(queue);
            }
            client.close();
            tracing.close();
            receiver.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private ProcessBuilder python(List<String> args, Map<String, String> extraEnv) {
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
        env.putAll(extraEnv);
        return pb;
    }

    @Test
    void aPythonProducersTraceContinuesOnTheJavaWorker() throws Exception {
        String trace = "0af7651916cd43dd8448eb211c80319c";
        String pySpan = "b7ad6b7169203331";
        Path out = dir.resolve("send.log");
        Process p = python(List.of("growbin_tracecontext.py", "send", queue),
                Map.of("TRACEPARENT", "00-" + trace + "-" + pySpan + "-01", "TRACESTATE", "congo=t61rcWkgMzE"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(p);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the Python producer did not finish");
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), log);
        String id = line(log, "SENT ");

        // the headers table as Celery publishes it: Celery's own, then the instrumentation's
        JsonNode headers = JSON.readTree(line(log, "HEADERS "));
        List<String> pyOrder = new ArrayList<>();
        headers.forEach(h -> pyOrder.add(h.get(0).asText()));
        assertEquals(List.of("traceparent", "tracestate"), pyOrder.subList(pyOrder.size() - 2, pyOrder.size()), log);
        CeleryMessage javaEquivalent = CeleryMessage.builder("t.add", id).traceHeaders(Map.of("traceparent", "x")).build();
        List<String> javaOrder = new ArrayList<>(javaEquivalent.headers().keySet());
        assertEquals(pyOrder.subList(0, pyOrder.size() - 1), javaOrder, "Java writes Celery's headers, then traceparent, in Python's order");
        System.out.printf("[tracecontext] Celery 5.2 headers with the instrumentation's injection: %s%n", pyOrder);

        // the raw message: top-level AMQP headers, strings
        GetResponse raw;
        try (Channel ch = client.broker().connection().createChannel()) {
            raw = awaitMessage(ch);
            Map<String, Object> h = raw.getProps().getHeaders();
            assertEquals("00-" + trace + "-" + pySpan + "-01", CeleryMessage.str(h.get("traceparent")));
            assertEquals("congo=t61rcWkgMzE", CeleryMessage.str(h.get("tracestate")));
            CeleryMessage decoded = CeleryMessage.decode(raw.getProps(), raw.getBody(), Broker.DEFAULT_MAX_MESSAGE_BYTES);
            assertEquals(Map.of("traceparent", "00-" + trace + "-" + pySpan + "-01", "tracestate", "congo=t61rcWkgMzE"),
                    decoded.traceHeaders());
            // give it back to the queue, then let the Java worker take it
            ch.basicPublish("", queue, raw.getProps(), raw.getBody());
        }
        javaWorker();
        assertEquals(42, client.handle(id, Integer.class).get(WAIT));
        List<ReceivedSpan> spans = receiver.await("the Java run span", s -> s.stream().anyMatch(x -> x.name().equals("run/t.add")), WAIT);
        ReceivedSpan run = spans.stream().filter(x -> x.name().equals("run/t.add")).findFirst().orElseThrow();
        assertEquals(trace, run.traceId(), OtlpReceiver.toJson(spans));
        assertEquals(pySpan, run.parentSpanId(), "the Java run is the child of the Python producer's span");
        assertEquals(id, run.attribute("messaging.message.id"));
        System.out.printf("[tracecontext] Python producer span %s -> Java %s %s (trace %s)%n", pySpan, run.name(), run.spanId(), run.traceId());
    }

    @Test
    void aJavaProducersTraceReachesThePythonTaskRequest() throws Exception {
        Path out = dir.resolve("worker.log");
        Process worker = python(List.of("-m", "celery", "-A", "growbin_tracecontext", "worker", "-Q", queue, "-P", "solo",
                "-c", "1", "-n", "tracectx-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost",
                "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel", "INFO"), Map.of())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        processes.add(worker);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(out).contains("ready.")) {
            assertTrue(worker.isAlive() && System.nanoTime() < deadline, "the Python worker did not start:\n" + Files.readString(out));
            Thread.sleep(100);
        }
        JsonNode seen = client.send("py.tracecontext", queue, List.of(), JsonNode.class).get(WAIT);
        List<ReceivedSpan> spans = receiver.await("the Java publish span",
                s -> s.stream().anyMatch(x -> x.name().equals("apply_async/py.tracecontext")), WAIT);
        ReceivedSpan publish = spans.stream().filter(x -> x.name().equals("apply_async/py.tracecontext")).findFirst().orElseThrow();
        assertEquals("PRODUCER", publish.kind());
        String traceparent = seen.path("traceparent").asText();
        assertTrue(traceparent.matches("00-" + publish.traceId() + "-" + publish.spanId() + "-0[13]"),
                "the Python request's traceparent is the Java publish span, sampled: " + seen);
        assertTrue(seen.path("tracestate").isNull(), "no tracestate header when it is empty: " + seen);
        System.out.printf("[tracecontext] Java apply_async span -> Python task.request.traceparent = %s%n", seen.path("traceparent").asText());
    }

    private CeleryWorker javaWorker() throws Exception {
        TaskDispatcher dispatcher = (task, args) -> switch (task) {
            case "t.add" -> args.get(0, "a", int.class) + args.get(1, "b", int.class);
            default -> throw new TaskDispatcher.NotRegistered(task);
        };
        Broker broker = new Broker(Env.DEFAULT_BROKER_URL, "tracectx-worker");
        closeables.add(broker);
        CeleryWorker worker = new CeleryWorker(new CeleryWorker.Settings("tracectx", queue, Pool.THREADS, 2, 1, 20, 30,
                queue + ".dlq"), dispatcher, broker, client.results(), new MetricsRegistry(), tracing);
        closeables.add(0, worker);
        queues.addAll(worker.declaredQueues());
        worker.start();
        return worker;
    }

    private GetResponse awaitMessage(Channel ch) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            GetResponse r = ch.basicGet(queue, true);
            if (r != null) {
                return r;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no message in " + queue);
    }

    private static String line(String log, String prefix) {
        return log.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix.trim() + " line:\n" + log));
    }
}
