package app.growbin.runtime.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.annotations.Pool;
import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Response;
import app.growbin.runtime.Routes;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.celery.Broker;
import app.growbin.runtime.celery.CeleryMessage;
import app.growbin.runtime.celery.CeleryWorker;
import app.growbin.runtime.celery.Signature;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.celery.TaskFailedException;
import app.growbin.runtime.http.RuntimeHttpServer;
import app.growbin.runtime.logging.LogFields;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.testing.OtlpReceiver;
import app.growbin.runtime.testing.OtlpReceiver.ReceivedSpan;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Spans of a REST request and the tasks it sends, exported over OTLP/HTTP to a receiver in the test
 * (the real SDK and exporter, configured from OTEL_* as the launcher does), with the W3C context in
 * the Celery headers between them; errors and retries on the run spans; the trace ids in the log
 * context; and tracing off without an endpoint. In-process, on unique queue names.
 */
class TracingTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    private final String queue = "test.tracing." + UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final List<CeleryWorker> workers = new ArrayList<>();
    private OtlpReceiver receiver;
    private ListAppender<ILoggingEvent> logs;

    private final TaskDispatcher dispatcher = (task, args) -> {
        switch (task) {
            case "t.add":
                LoggerFactory.getLogger("app.growbin.test.Tasks").info("adding");
                return args.get(0, "a", int.class) + args.get(1, "b", int.class);
            case "t.flaky": {
                int n = attempts.computeIfAbsent(args.get(0, "key", String.class), k -> new AtomicInteger()).incrementAndGet();
                if (n <= args.get(1, "failures", int.class)) {
                    throw new IllegalStateException("attempt " + n + " fails");
                }
                return "ok after " + n;
            }
            default:
                throw new TaskDispatcher.NotRegistered(task);
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        receiver = OtlpReceiver.start();
        logs = new ListAppender<>();
        logs.start();
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
        List<String> queues = new ArrayList<>(List.of(queue, queue + ".dlq"));
        workers.forEach(w -> queues.addAll(w.declaredQueues()));
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        try (TaskClient c = TaskClient.fromEnv(new Env(Map.of())); Channel ch = c.broker().connection().createChannel()) {
            for (String q : queues) {
                ch.queueDelete(q);
            }
        }
        receiver.close();
    }

    private Env tracingEnv(String service) {
        return new Env(Map.of(EnvVars.OTEL_EXPORTER_OTLP_ENDPOINT, receiver.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "100",
                EnvVars.OTEL_RESOURCE_ATTRIBUTES, "deployment.environment.name=test"));
    }

    private CeleryWorker worker(Tracing tracing, int maxRetries) throws Exception {
        Broker broker = TaskClient.brokerFromEnv(new Env(Map.of()), "tracing-test");
        closing.add(broker);
        TaskClient results = TaskClient.fromEnv(new Env(Map.of()));
        closing.add(results);
        CeleryWorker w = new CeleryWorker(new CeleryWorker.Settings("worker", queue, Pool.THREADS, 2, maxRetries, 100, 30,
                queue + ".dlq"), dispatcher, broker, results.results(), new MetricsRegistry(), tracing);
        broker.connect(Duration.ofSeconds(10));
        w.start();
        workers.add(w);
        closing.add(w);
        return w;
    }

    @Test
    void aRequestAndTheChainItSendsAreOneTrace() throws Exception {
        Tracing api = Tracing.fromEnv(tracingEnv("api"), "api");
        Tracing work = Tracing.fromEnv(tracingEnv("worker"), "worker");
        closing.add(api);
        closing.add(work);
        assertTrue(api.enabled() && work.enabled());
        worker(work, 3);
        TaskClient client = TaskClient.fromEnv(new Env(Map.of()), api);
        closing.add(client);
        Routes routes = new Routes("/api/v1/t");
        List<String> ids = new ArrayList<>();
        routes.post("", Access.PUBLIC, r -> {
            LoggerFactory.getLogger("app.growbin.test.Api").info("sending the chain");
            ids.addAll(client.chain(List.of(Signature.of("t.add", queue, 2, 3), Signature.of("t.add", queue, 10))));
            return Response.json(202, Map.of("id", ids.get(ids.size() - 1)));
        });
        RuntimeHttpServer server = new RuntimeHttpServer("api", "127.0.0.1", 0, routes, new MetricsRegistry(), () -> true,
                app.growbin.runtime.http.HttpLimits.defaults(), null, api);
        server.start();
        closing.add(server);

        String upstreamTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
        String upstreamSpan = "00f067aa0ba902b7";
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/v1/t")).header("Content-Type", "application/json")
                .header("traceparent", "00-" + upstreamTrace + "-" + upstreamSpan + "-01")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, answer.statusCode(), answer.body());
        assertEquals(15, client.handle(ids.get(1), Integer.class).get(WAIT));

        List<ReceivedSpan> spans = receiver.await("5 spans", s -> s.size() >= 5, WAIT);
        System.out.println("[tracing] one request, a two-step chain:\n" + OtlpReceiver.toJson(spans));
        assertEquals(5, spans.size(), OtlpReceiver.toJson(spans));
        assertTrue(spans.stream().allMatch(s -> s.traceId().equals(upstreamTrace)), "one trace, the caller's");
        ReceivedSpan request = one(spans, "POST /api/v1/t", "SERVER");
        assertEquals(upstreamSpan, request.parentSpanId(), "child of the caller's span");
        assertEquals("api", request.service());
        assertEquals("/api/v1/t", request.attribute("http.route"));
        assertEquals(202L, request.attribute("http.response.status_code"));
        List<ReceivedSpan> publishes = byParentChain(spans, request);
        assertEquals(List.of("apply_async/t.add PRODUCER api", "run/t.add CONSUMER worker", "apply_async/t.add PRODUCER worker",
                "run/t.add CONSUMER worker"), publishes.stream().map(s -> s.name() + " " + s.kind() + " " + s.service()).toList(),
                OtlpReceiver.toJson(spans));
        assertEquals(ids.get(0), publishes.get(0).attribute("messaging.message.id"));
        assertEquals(queue, publishes.get(1).attribute("messaging.destination.name"));
        assertEquals(ids.get(1), publishes.get(3).attribute("messaging.message.id"));
        assertTrue(spans.stream().allMatch(s -> s.status().equals("UNSET")), OtlpReceiver.toJson(spans));

        // the log lines of the handler and of the task name their span (and the task its id and queue)
        ILoggingEvent sending = logged("sending the chain");
        assertEquals(upstreamTrace, sending.getMDCPropertyMap().get(LogFields.TRACE_ID));
        assertEquals(request.spanId(), sending.getMDCPropertyMap().get(LogFields.SPAN_ID));
        ILoggingEvent adding = logged("adding");
        assertEquals(upstreamTrace, adding.getMDCPropertyMap().get(LogFields.TRACE_ID));
        assertEquals(publishes.get(1).spanId(), adding.getMDCPropertyMap().get(LogFields.SPAN_ID));
        assertEquals(ids.get(0), adding.getMDCPropertyMap().get(LogFields.TASK_ID));
        assertEquals(queue, adding.getMDCPropertyMap().get(LogFields.QUEUE));
        assertEquals(List.of(), receiver.errors());
    }

    @Test
    void failuresAndRetriesShowOnTheRunSpans() throws Exception {
        Tracing work = Tracing.fromEnv(tracingEnv("worker"), "worker");
        closing.add(work);
        worker(work, 1);
        TaskClient client = TaskClient.fromEnv(new Env(Map.of()), work);
        closing.add(client);

        // fails once, then succeeds: run (ERROR, retry event) → apply_async (the retry) → run (UNSET)
        String key = UUID.randomUUID().toString();
        assertEquals("ok after 2", client.send("t.flaky", queue, List.of(key, 1), String.class).get(WAIT));
        List<ReceivedSpan> spans = receiver.await("publish, failed run, retry publish, run",
                s -> s.stream().filter(x -> x.name().startsWith("run/")).count() >= 2, WAIT);
        System.out.println("[tracing] a task that fails once and is retried:\n" + OtlpReceiver.toJson(spans));
        ReceivedSpan first = spans.stream().filter(s -> s.name().equals("apply_async/t.flaky") && s.parentSpanId().isEmpty())
                .findFirst().orElseThrow();
        List<ReceivedSpan> chain = byParentChain(spans, first);
        assertEquals(List.of("run/t.flaky", "apply_async/t.flaky", "run/t.flaky"), chain.stream().map(ReceivedSpan::name).toList());
        ReceivedSpan failed = chain.get(0);
        assertEquals("ERROR", failed.status());
        assertTrue(failed.statusMessage().contains("attempt 1 fails"), failed.statusMessage());
        assertTrue(failed.hasEvent("exception") && failed.hasEvent("retry"), failed.toJson().toString());
        assertTrue(String.valueOf(failed.attribute("celery.retry.reason")).contains("attempt 1 fails"));
        assertEquals(queue + ".retry.100", chain.get(1).attribute("messaging.destination.name"));
        assertEquals("UNSET", chain.get(2).status());
        assertEquals(1L, chain.get(2).attribute("celery.retries"));

        // fails for good: the last run records the dead-lettering
        String poison = UUID.randomUUID().toString();
        assertTrue(assertThrowsFailed(() -> client.send("t.flaky", queue, List.of(poison, 99), String.class).get(WAIT)));
        List<ReceivedSpan> all = receiver.await("the dead-lettered run",
                s -> s.stream().anyMatch(x -> x.hasEvent("dead_lettered")), WAIT);
        ReceivedSpan dead = all.stream().filter(x -> x.hasEvent("dead_lettered")).findFirst().orElseThrow();
        assertEquals("ERROR", dead.status());
        assertEquals(1L, dead.attribute("celery.retries"));
    }

    private static boolean assertThrowsFailed(org.junit.jupiter.api.function.Executable e) {
        try {
            e.execute();
            return false;
        } catch (TaskFailedException expected) {
            return true;
        } catch (Throwable other) {
            throw new AssertionError(other);
        }
    }

    @Test
    void offWithoutAnEndpointAndTheContextStillPassesThrough() throws Exception {
        Set<String> threadsBefore = threadNames();
        Tracing off = Tracing.fromEnv(new Env(Map.of(EnvVars.OTEL_TRACES_SAMPLER, "always_on")), "svc");
        assertSame(Tracing.off(), off);
        assertFalse(off.enabled());
        assertFalse(Tracing.enabled(new Env(Map.of(EnvVars.OTEL_EXPORTER_OTLP_ENDPOINT, "http://x:4318", EnvVars.OTEL_SDK_DISABLED, "true"))));
        assertFalse(Tracing.enabled(new Env(Map.of(EnvVars.OTEL_EXPORTER_OTLP_ENDPOINT, "http://x:4318", EnvVars.OTEL_TRACES_EXPORTER, "none"))));
        assertTrue(Tracing.enabled(new Env(Map.of(EnvVars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, "http://x:4318/v1/traces"))));

        TaskClient client = TaskClient.fromEnv(new Env(Map.of()), off);
        closing.add(client);
        // no incoming context: the message carries no trace headers (the bytes Celery 5.2 sends without instrumentation)
        client.send("t.add", queue, List.of(1, 2), Integer.class);
        Map<String, Object> plain = take(client);
        assertTrue(CeleryMessage.TRACE_HEADERS.stream().noneMatch(plain::containsKey), plain.toString());
        // an incoming context (here: the caller's) is passed on unchanged, so a process without tracing does not cut the trace
        SpanContext caller = SpanContext.createFromRemoteParent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope s = Span.wrap(caller).makeCurrent()) {
            client.send("t.add", queue, List.of(1, 2), Integer.class);
        }
        Map<String, Object> carried = take(client);
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", String.valueOf(carried.get("traceparent")));
        assertNull(carried.get("tracestate"), "no tracestate when it is empty, as Python's propagator");
        Set<String> started = threadNames();
        started.removeAll(threadsBefore);
        assertTrue(started.stream().noneMatch(n -> n.contains("BatchSpanProcessor") || n.contains("HttpClient")),
                "no SDK thread with tracing off: " + started);
        assertTrue(receiver.spans().isEmpty());
    }

    private Map<String, Object> take(TaskClient client) throws Exception {
        try (Channel ch = client.broker().connection().createChannel()) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                GetResponse r = ch.basicGet(queue, true);
                if (r != null) {
                    return r.getProps().getHeaders().entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() == null ? "None" : e.getValue()));
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no message in " + queue);
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    private ILoggingEvent logged(String message) {
        Optional<ILoggingEvent> e = logs.list.stream().filter(x -> x.getFormattedMessage().equals(message)).findFirst();
        assertTrue(e.isPresent(), "logged: " + message);
        return e.get();
    }

    static ReceivedSpan one(List<ReceivedSpan> spans, String name, String kind) {
        List<ReceivedSpan> found = spans.stream().filter(s -> s.name().equals(name) && s.kind().equals(kind)).toList();
        assertEquals(1, found.size(), name + " " + kind + " in " + OtlpReceiver.toJson(spans));
        return found.get(0);
    }

    /** The spans below {@code root}, each the only child of the one before. */
    static List<ReceivedSpan> byParentChain(List<ReceivedSpan> spans, ReceivedSpan root) {
        List<ReceivedSpan> chain = new ArrayList<>();
        ReceivedSpan at = root;
        while (true) {
            String parent = at.spanId();
            List<ReceivedSpan> children = spans.stream().filter(s -> s.parentSpanId().equals(parent)).toList();
            if (children.isEmpty()) {
                return chain;
            }
            assertEquals(1, children.size(), "one child of " + at.name() + ": " + OtlpReceiver.toJson(children));
            at = children.get(0);
            chain.add(at);
        }
    }
}
