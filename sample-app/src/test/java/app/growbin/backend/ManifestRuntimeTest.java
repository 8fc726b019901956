package app.growbin.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import app.growbin.backend.ai.OpenAiClient;
import app.growbin.contract.EnvVars;
import app.growbin.contract.Metrics;
import app.growbin.contract.Observability;
import app.growbin.runtime.testing.JvmProcess;
import app.growbin.runtime.testing.MetricsText;
import app.growbin.runtime.testing.OtlpReceiver;
import app.growbin.runtime.testing.OtlpReceiver.ReceivedSpan;
import app.growbin.runtime.testing.TestDatabase;
import app.growbin.backend.ai.Classification;
import app.growbin.backend.ai.Guidance;
import app.growbin.backend.ai.WasteAnswer;
import app.growbin.runtime.Env;
import app.growbin.runtime.celery.TaskClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Manifest ⇄ runtime: every Deployment of {@code k8s-out/dev} is started as its own JVM, the way the
 * kubelet would start its container, and must then do what the manifests promise.
 *
 * <ul>
 *   <li>command and args from the manifest; only {@code java} becomes this JVM's java and the
 *       {@code -cp} value (the image's {@code /app/...}) becomes the test's class path; the JVM
 *       flags are kept;</li>
 *   <li>environment: the ConfigMap of {@code envFrom} (read from {@code infrastructure/configmap.yaml}),
 *       then the literal {@code env} values; each {@code secretKeyRef} is replaced by a local value
 *       (broker and Redis URLs, a test OpenAI key, a test signing key). Overridden: {@code OPENAI_BASE_URL}
 *       (a fake chat-completions server on loopback), {@code OTEL_EXPORTER_OTLP_ENDPOINT} (an OTLP/HTTP
 *       receiver in the test; {@code OTEL_BSP_SCHEDULE_DELAY} 200 ms so spans arrive quickly) and
 *       {@code LOG_FORMAT=json} (what the generated manifests select);</li>
 *   <li>ports: the declared containerPort when it is free on this machine, otherwise a free one
 *       (written into the port's variable, {@code HTTP_PORT} / {@code METRICS_PORT}); every
 *       Deployment declares the same 8080 / 9090, so in parallel only the first of each keeps it.</li>
 * </ul>
 *
 * Then: startup, liveness and readiness probe paths answer 200 on the named port; each worker
 * consumes the queue its manifest names (a task published there comes back with its result, counted
 * in that process's own metrics); a user registered and logged in through the auth process, with
 * that token {@code POST /api/v1/waste} on the waste process runs the chain
 * through the four worker processes; vision and llm called the fake OpenAI server with the key and
 * the model names of the ConfigMap; and every metric that {@code monitoring/prometheusrule.yaml},
 * the SLO rules of {@code monitoring/prometheusrule-slo.yaml} and the queries of the Grafana dashboard
 * ({@code monitoring/grafana-dashboard.yaml}) name is exported by the process the rule or panel is about (the {@code rabbitmq_queue_messages_ready}
 * series of the worker queues and of {@code q.dlq} come from the workers' own {@code /metrics}; the
 * RabbitMQ Prometheus plugin exports the same name with the same {@code queue} label, and the rules
 * aggregate with {@code max by (queue)}, so either source satisfies them). Every {@code /metrics}
 * parses strictly in both formats Prometheus negotiates (OpenMetrics and text 0.0.4). The spans of
 * the waste request form one trace across the five processes ({@code POST /api/v1/waste} → publish
 * and run of each step, each the child of the one before), and every line the processes log is a
 * JSON object with the contract's fields, the task lines naming that trace.
 */
class ManifestRuntimeTest {

    static final Path ENV_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .resolve("../k8s-out/dev").normalize();
    static final Duration STARTUP = Duration.ofSeconds(60);
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String BROKER_URL = System.getenv().getOrDefault("CELERY_BROKER_URL", Env.DEFAULT_BROKER_URL);
    static final String RESULT_BACKEND = System.getenv().getOrDefault("CELERY_RESULT_BACKEND", Env.DEFAULT_RESULT_BACKEND);
    /** The variable that carries each named port (what the runtime listens on). */
    static final Map<String, String> PORT_VARIABLES = Map.of("http", EnvVars.HTTP_PORT, "metrics", EnvVars.METRICS_PORT);
    /** The runtime's default for each port variable, when a manifest does not set it. */
    static final Map<String, String> PORT_DEFAULTS = Map.of(EnvVars.METRICS_PORT, "9090");

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One Deployment, ready to start. */
    record Launch(String name, String mode, String file, JsonNode container, List<String> command,
            Map<String, String> env, Map<String, Integer> ports) {
        int port(JsonNode portRef) {
            Integer p = portRef.isInt() ? Integer.valueOf(portRef.asInt()) : ports.get(portRef.asText());
            if (p == null) {
                throw new AssertionError(file + ": probe port " + portRef + " names no container port " + ports.keySet());
            }
            return p;
        }
    }

    /** The Deployments the steps below call by name: the waste entry point and the four workers of its chain. */
    static final Set<String> DRIVEN = Set.of("rest/waste", "worker/preprocess", "worker/vision", "worker/rag", "worker/llm");

    /**
     * What k8s-out/dev must hold, from the sources rather than from a list in this test (adding a service
     * must not turn the build red): each annotated class's declaration record, which the processor leaves in
     * the class output ({@code META-INF/growbin/declarations/}, with the annotation's {@code enabled}), then
     * {@code api.rest.<name>.enabled} / {@code api.async.<name>.enabled} of values.yaml and values-dev.yaml.
     */
    static Set<String> declaredForDev() throws IOException {
        Path basedir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path records = basedir.resolve("target/classes/META-INF/growbin/declarations");
        assertTrue(Files.isDirectory(records), records + " holds no declaration records: is the processor on the compile path?");
        ObjectNode values = JSON.createObjectNode();
        for (String file : List.of("values.yaml", "values-dev.yaml")) {
            Path f = basedir.resolve("src/main/k8s").resolve(file);
            if (Files.isRegularFile(f)) {
                JsonNode layer = read(f);
                for (String kind : List.of("rest", "async")) {
                    layer.path("api").path(kind).fields().forEachRemaining(e -> {
                        if (e.getValue().has("enabled")) {
                            values.put(kind + "/" + e.getKey(), e.getValue().path("enabled").asBoolean());
                        }
                    });
                }
            }
        }
        Set<String> declared = new TreeSet<>();
        try (Stream<Path> s = Files.list(records)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                JsonNode record = JSON.readTree(f.toFile());
                String kind = switch (record.path("kind").asText()) {
                    case "REST" -> "rest";
                    case "ASYNC" -> "async";
                    default -> throw new AssertionError(f + ": unknown kind " + record.path("kind"));
                };
                String name = record.path("name").asText();
                boolean enabled = values.path(kind + "/" + name).asBoolean(record.path("enabled").asBoolean(true));
                if (enabled) {
                    declared.add((kind.equals("rest") ? "rest/" : "worker/") + name);
                }
            }
        }
        return declared;
    }

    static List<Path> deploymentFiles() throws IOException {
        try (Stream<Path> s = Files.walk(ENV_DIR)) {
            // the environment's patches are inline in kustomization.yaml: every other file holds whole objects
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted()
                    .filter(p -> read(p).path("kind").asText().equals("Deployment")).toList();
        }
    }

    static JsonNode read(Path p) {
        try {
            return YAML.readTree(p.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    static Map<String, Map<String, String>> configMaps() {
        JsonNode cm = read(ENV_DIR.resolve("infrastructure/configmap.yaml"));
        Map<String, String> data = new TreeMap<>();
        cm.path("data").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        return Map.of(cm.path("metadata").path("name").asText(), data);
    }

    static Launch launch(Path file, Map<String, Map<String, String>> configMaps, Map<String, String> secrets,
            Map<String, String> overrides, Set<Integer> takenPorts) throws IOException {
        String where = ENV_DIR.relativize(file).toString();
        JsonNode containers = read(file).path("spec").path("template").path("spec").path("containers");
        assertEquals(1, containers.size(), where + ": one container");
        JsonNode c = containers.get(0);

        List<String> command = new ArrayList<>();
        c.path("command").forEach(n -> command.add(n.asText()));
        assertEquals("java", command.get(0), where + ": command starts with java");
        int cp = command.indexOf("-cp");
        assertTrue(cp > 0 && cp + 1 < command.size() && command.lastIndexOf("-cp") == cp, where + ": one -cp " + command);
        command.set(0, JvmProcess.javaBin());
        command.set(cp + 1, JvmProcess.testClassPath());
        List<String> args = new ArrayList<>();
        c.path("args").forEach(n -> args.add(n.asText()));
        assertEquals(2, args.size(), where + ": args <mode> <name>: " + args);
        command.addAll(args);

        Map<String, String> env = new TreeMap<>();
        for (JsonNode from : c.path("envFrom")) {
            String name = from.path("configMapRef").path("name").asText(null);
            assertTrue(name != null && configMaps.containsKey(name), where + ": envFrom names an unknown ConfigMap " + from);
            env.putAll(configMaps.get(name));
        }
        for (JsonNode e : c.path("env")) {
            String name = e.path("name").asText();
            if (e.has("value")) {
                env.put(name, e.path("value").asText());
            } else {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                String key = ref.path("name").asText() + "/" + ref.path("key").asText();
                String value = secrets.get(key);
                if (value == null) {
                    fail(where + ": env " + name + " comes from secret " + key + ", which this test does not know;"
                            + " add a local value for it");
                }
                env.put(name, value);
            }
        }
        env.putAll(overrides);

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (JsonNode p : c.path("ports")) {
            String portName = p.path("name").asText();
            int declared = p.path("containerPort").asInt();
            String variable = PORT_VARIABLES.get(portName);
            assertTrue(variable != null, where + ": port " + portName + " is not one the runtime serves " + PORT_VARIABLES.keySet());
            assertEquals(String.valueOf(declared), env.getOrDefault(variable, PORT_DEFAULTS.get(variable)),
                    where + ": " + variable + " (what the runtime listens on) equals containerPort " + portName);
            int local = JvmProcess.portFor(declared, takenPorts);
            env.put(variable, String.valueOf(local));
            ports.put(portName, local);
        }
        return new Launch(args.get(1), args.get(0), where, c, command, env, ports);
    }

    @Test
    void everyDeploymentStartsAndDoesWhatItsManifestSays() throws Exception {
        List<Path> files = deploymentFiles();
        assertFalse(files.isEmpty(), "no Deployment in " + ENV_DIR);
        Map<String, Map<String, String>> configMaps = configMaps();
        Map<String, String> config = configMaps.values().iterator().next();
        String openAiKey = "sk-test-" + UUID.randomUUID();
        TestDatabase database = TestDatabase.create();
        Map<String, String> secrets = Map.of(
                "celery-secrets/broker-url", BROKER_URL,
                "celery-secrets/result-backend", RESULT_BACKEND,
                "openai-secrets/api-key", openAiKey,
                "auth-secrets/signing-keys", "k1=test-signing-key-" + UUID.randomUUID(),
                "auth-database/url", database.url(), "auth-database/username", database.user(), "auth-database/password", "",
                "users-database/url", database.url(), "users-database/username", database.user(), "users-database/password", "");
        Map<String, Launch> launches = new LinkedHashMap<>();
        Map<String, JvmProcess> processes = new LinkedHashMap<>();
        Set<String> queues = new HashSet<>();
        try (TestDatabase db = database; FakeOpenAi openAi = new FakeOpenAi(openAiKey); OtlpReceiver otlp = OtlpReceiver.start();
                TaskClient client = TaskClient.fromEnv(new Env(Map.of(EnvVars.CELERY_BROKER_URL, BROKER_URL,
                        EnvVars.CELERY_RESULT_BACKEND, RESULT_BACKEND)))) {
            Set<Integer> taken = new HashSet<>();
            for (Path f : files) {
                Launch l = launch(f, configMaps, secrets, Map.of(EnvVars.OPENAI_BASE_URL, openAi.baseUrl(),
                        EnvVars.OTEL_EXPORTER_OTLP_ENDPOINT, otlp.endpoint(), "OTEL_BSP_SCHEDULE_DELAY", "200",
                        EnvVars.LOG_FORMAT, "json"), taken);
                launches.put(l.mode() + "/" + l.name(), l);
            }
            launches.values().forEach(l -> System.out.printf("[manifest-runtime] %s %s: ports %s%n", l.mode(), l.name(), l.ports()));
            assertEquals(declaredForDev(), new TreeSet<>(launches.keySet()),
                    "the Deployments of k8s-out/dev are the services the application declares and dev enables");
            assertTrue(launches.keySet().containsAll(DRIVEN), "the Deployments this test drives " + DRIVEN
                    + " are in k8s-out/dev: " + launches.keySet());
            long t0 = System.nanoTime();
            try {
                for (Launch l : launches.values()) {
                    if (l.env().containsKey(EnvVars.QUEUE_NAME)) {
                        queues.add(l.env().get(EnvVars.QUEUE_NAME));
                    }
                    processes.put(l.name(), JvmProcess.start(l.name(), l.command(), l.env()));
                }

                // 1. probes: startup first (as the kubelet does), then liveness and readiness
                for (Launch l : launches.values()) {
                    JvmProcess p = processes.get(l.name());
                    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                        JsonNode get = l.container().path(probe).path("httpGet");
                        assertFalse(get.isMissingNode(), l.file() + ": " + probe + " with httpGet");
                        p.awaitStatus(l.port(get.path("port")), get.path("path").asText(), 200,
                                probe.equals("startupProbe") ? STARTUP : WAIT);
                    }
                }
                long ready = System.nanoTime();
                System.out.printf("[manifest-runtime] %d processes started and ready in %d ms%n", processes.size(),
                        (ready - t0) / 1_000_000);

                // 2. each worker consumes the queue its manifest names
                workersConsumeTheirQueues(client, launches, processes, config);

                // 3. the REST entry point runs the whole chain through the worker processes, as one trace
                String token = registerAndLogIn(http, launches.get("rest/auth"));
                String wasteId = wastePipelineRunsThroughTheProcesses(launches.get("rest/waste"), config, token);
                String traceId = theChainIsOneTrace(otlp, wasteId);
                logLinesAreJson(launches, processes, traceId);

                // 4. vision and llm used the key from the Secret and the models from the ConfigMap
                assertTrue(openAi.models().contains(config.get(OpenAiClient.VISION_MODEL_VARIABLE)), "vision model: " + openAi.models());
                assertTrue(openAi.models().contains(config.get(OpenAiClient.LLM_MODEL_VARIABLE)), "llm model: " + openAi.models());
                assertTrue(openAi.calls.stream().allMatch(call -> call.authorization().equals("Bearer " + openAiKey)));

                // 5. every metric the alerts, the SLO rules and the dashboard name is exported by the process they are about
                metricsCoverThePrometheusRule(launches, processes);
                metricsCoverTheDashboard(launches, processes);
                System.out.printf("[manifest-runtime] all checks done in %d ms (%d after ready)%n",
                        (System.nanoTime() - t0) / 1_000_000, (System.nanoTime() - ready) / 1_000_000);
            } catch (AssertionError e) {
                StringBuilder tails = new StringBuilder();
                processes.values().forEach(p -> tails.append(p.tail()));
                throw new AssertionError(e.getMessage() + "\n" + tails, e);
            } finally {
                processes.values().forEach(JvmProcess::close);
                deleteUnusedQueues(client, queues);
            }
        }
    }

    private void workersConsumeTheirQueues(TaskClient client, Map<String, Launch> launches,
            Map<String, JvmProcess> processes, Map<String, String> config) throws Exception {
        // the generated clients send to the queues of the annotations; the manifests must say the same
        Map<String, String> generated = Map.of("preprocess", PreprocessTasks.QUEUE, "vision", VisionTasks.QUEUE,
                "rag", RagTasks.QUEUE, "llm", LlmTasks.QUEUE);
        for (Launch l : launches.values()) {
            if (l.mode().equals("worker")) {
                assertEquals(generated.get(l.name()), l.env().get(EnvVars.QUEUE_NAME), l.file() + ": QUEUE_NAME");
                assertEquals(1, consumers(client, l.env().get(EnvVars.QUEUE_NAME)),
                        "exactly one consumer (the " + l.name() + " process) on " + l.env().get(EnvVars.QUEUE_NAME)
                                + "; is another backend running against this broker?");
            }
        }
        String pre = client.send(PreprocessTasks.NORMALIZE_TASK, queue(launches, "preprocess"),
                List.of("  Glass   JAR "), String.class).get(WAIT);
        assertEquals("glass jar", pre);
        Classification c = client.send(VisionTasks.CLASSIFY_TASK, queue(launches, "vision"), List.of(pre),
                Classification.class).get(WAIT);
        assertEquals("glass", c.material());
        assertEquals("openai:" + config.get(OpenAiClient.VISION_MODEL_VARIABLE), c.source());
        Guidance g = client.send(RagTasks.RETRIEVE_TASK, queue(launches, "rag"), List.of(c), Guidance.class).get(WAIT);
        assertEquals("glass", g.classification().material());
        assertFalse(g.rules().isEmpty());
        WasteAnswer a = client.send(LlmTasks.ANSWER_TASK, queue(launches, "llm"), List.of(g), WasteAnswer.class).get(WAIT);
        assertEquals(FakeOpenAi.LLM_MESSAGE, a.message());
        assertEquals("openai:" + config.get(OpenAiClient.LLM_MODEL_VARIABLE), a.source());
        // ... and it was that process which ran it: its own counter says so
        Map<String, String> tasks = Map.of("preprocess", PreprocessTasks.NORMALIZE_TASK, "vision", VisionTasks.CLASSIFY_TASK,
                "rag", RagTasks.RETRIEVE_TASK, "llm", LlmTasks.ANSWER_TASK);
        for (Map.Entry<String, String> t : tasks.entrySet()) {
            Launch l = launches.get("worker/" + t.getKey());
            Map<String, String> series = Map.of("service", t.getKey(), "queue", queue(launches, t.getKey()), "task", t.getValue(),
                    "state", "succeeded");
            String metrics = processes.get(t.getKey()).awaitStatus(l.ports().get("metrics"), "/metrics", 200, WAIT).body();
            assertEquals(1.0, MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, metrics).value("growbin_worker_tasks_total", series),
                    t.getKey() + " /metrics has growbin_worker_tasks_total" + series + " 1\n" + metrics);
        }
    }

    private static String queue(Map<String, Launch> launches, String worker) {
        return launches.get("worker/" + worker).env().get(EnvVars.QUEUE_NAME);
    }

    /**
     * A user registers and logs in through the auth process; its access token is what the waste
     * process verifies (both read the same signing key from the Secret {@code auth-secrets}).
     */
    static String registerAndLogIn(HttpClient http, Launch auth) throws Exception {
        String base = "http://127.0.0.1:" + auth.ports().get("http") + "/api/v1/auth";
        String username = "manifest-" + UUID.randomUUID().toString().substring(0, 8);
        String credentials = "{\"username\": \"" + username + "\", \"password\": \"a manifest test password\"}";
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(base + "/register"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"" + username + "\", \"email\": \"" + username + "@example.com\", \"password\": \"a manifest test password\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, registered.statusCode(), registered.body());
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, login.statusCode(), login.body());
        return JSON.readTree(login.body()).get("accessToken").asText();
    }

    /**
     * POST /api/v1/waste with the user's token (the waste process verifies it with the key of its
     * Secret), then GET until the chain is done; returns the request's id (the first step's task id).
     * The one POST keeps the trace check simple: its SERVER span is the root of the chain's trace.
     */
    private String wastePipelineRunsThroughTheProcesses(Launch waste, Map<String, String> config, String token) throws Exception {
        String base = "http://127.0.0.1:" + waste.ports().get("http") + "/api/v1/waste";
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"description\": \"Empty glass jar\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = JSON.readTree(accepted.body()).get("taskId").asText();
        JsonNode status = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/" + id))
                    .header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String state = status.path("state").asText();
            if (state.equals("SUCCESS") || state.equals("FAILURE")) {
                break;
            }
            Thread.sleep(20);
        }
        assertEquals("SUCCESS", status.path("state").asText(), String.valueOf(status));
        assertEquals("glass", status.at("/result/material").asText(), status.toString());
        assertEquals("openai:" + config.get(OpenAiClient.LLM_MODEL_VARIABLE), status.at("/result/source").asText());
        return id;
    }

    /** The chain's steps in order: task name and the process that runs it. */
    static final List<List<String>> CHAIN = List.of(List.of(PreprocessTasks.NORMALIZE_TASK, "preprocess"),
            List.of(VisionTasks.CLASSIFY_TASK, "vision"), List.of(RagTasks.RETRIEVE_TASK, "rag"), List.of(LlmTasks.ANSWER_TASK, "llm"));

    /**
     * The spans the five processes exported for the waste request: the REST span is the root, the
     * parent of the first step's publish, whose run is the parent of the next step's publish, and so
     * on; one trace id throughout. Returns it.
     */
    private String theChainIsOneTrace(OtlpReceiver otlp, String wasteId) throws InterruptedException {
        // each process exports on its own schedule: wait for all nine spans of the request's trace
        int expectedSpans = 1 + 2 * CHAIN.size();
        List<ReceivedSpan> received = otlp.await("the spans of the waste chain", spans -> spans.stream()
                .filter(r -> r.name().equals("POST /api/v1/waste"))
                .anyMatch(r -> spans.stream().filter(s -> s.traceId().equals(r.traceId())).count() >= expectedSpans), WAIT);
        ReceivedSpan request = received.stream().filter(s -> s.name().equals("POST /api/v1/waste") && s.kind().equals("SERVER"))
                .findFirst().orElseThrow();
        List<ReceivedSpan> trace = received.stream().filter(s -> s.traceId().equals(request.traceId())).toList();
        assertEquals("", request.parentSpanId(), "the REST span is the root: " + request.toJson());
        assertEquals("waste", request.service());
        assertEquals(202L, request.attribute("http.response.status_code"));
        List<String> expected = new ArrayList<>();
        String publisher = "waste";
        for (List<String> step : CHAIN) {
            expected.add("apply_async/" + step.get(0) + " PRODUCER " + publisher);
            expected.add("run/" + step.get(0) + " CONSUMER " + step.get(1));
            publisher = step.get(1);
        }
        List<ReceivedSpan> chain = new ArrayList<>();
        ReceivedSpan at = request;
        while (true) {
            String parent = at.spanId();
            List<ReceivedSpan> children = trace.stream().filter(s -> s.parentSpanId().equals(parent)).toList();
            if (children.isEmpty()) {
                break;
            }
            assertEquals(1, children.size(), "one child of " + at.name() + "\n" + OtlpReceiver.toJson(trace));
            at = children.get(0);
            chain.add(at);
        }
        assertEquals(expected, chain.stream().map(s -> s.name() + " " + s.kind() + " " + s.service()).toList(),
                OtlpReceiver.toJson(trace));
        assertEquals(1 + expected.size(), trace.size(), "nothing else in the trace:\n" + OtlpReceiver.toJson(trace));
        assertEquals(wasteId, chain.get(0).attribute("messaging.message.id"), "the first publish is the request's task");
        assertEquals(List.of(), otlp.errors());
        System.out.printf("[manifest-runtime] trace %s: %d spans across %d processes, each step the child of the one before:%n%s%n",
                request.traceId(), trace.size(), trace.stream().map(ReceivedSpan::service).distinct().count(),
                OtlpReceiver.toJson(trace));
        return request.traceId();
    }

    /**
     * With {@code LOG_FORMAT=json}, every line a process wrote is one JSON object with timestamp,
     * level, service (the Deployment's), logger and message; the lines of the waste request's task
     * runs carry its trace id, their span, task id and queue.
     */
    private void logLinesAreJson(Map<String, Launch> launches, Map<String, JvmProcess> processes, String traceId)
            throws Exception {
        List<String> ofTheRequest = new ArrayList<>();
        for (Launch l : launches.values()) {
            String output = processes.get(l.name()).output();
            assertFalse(output.isBlank(), l.name() + " logged nothing");
            for (String line : output.split("\n")) {
                JsonNode json;
                try {
                    json = JSON.readTree(line);
                } catch (IOException e) {
                    throw new AssertionError(l.name() + " wrote a line that is not JSON: " + line, e);
                }
                for (String field : List.of("timestamp", "level", "service", "logger", "message")) {
                    assertTrue(json.hasNonNull(field), l.name() + ": no " + field + " in " + line);
                }
                assertEquals(l.name(), json.get("service").asText(), line);
                if (traceId.equals(json.path("trace_id").asText())) {
                    assertTrue(json.hasNonNull("task_id") && json.hasNonNull("queue"), line);
                    ofTheRequest.add(line);
                }
            }
        }
        assertTrue(ofTheRequest.stream().filter(l -> l.contains("\"span_id\"")).count() >= CHAIN.size(),
                "each step's run logged with the trace id and its span: " + ofTheRequest);
        ofTheRequest.sort(java.util.Comparator.comparing(l -> l.substring(0, 40)));
        System.out.printf("[manifest-runtime] log lines of trace %s:%n%s%n", traceId, String.join("\n", ofTheRequest));
    }

    static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");

    /** Each process's {@code /metrics}, by Deployment name. */
    private Map<String, String> scrapes(Map<String, Launch> launches, Map<String, JvmProcess> processes) throws IOException, InterruptedException {
        Map<String, String> scrapes = new TreeMap<>();
        for (Launch l : launches.values()) {
            int port = l.ports().containsKey("metrics") ? l.ports().get("metrics") : l.ports().get("http");
            String text = processes.get(l.name()).awaitStatus(port, "/metrics", 200, WAIT).body();
            scrapes.put(l.name(), text);
            // what Prometheus parses: the text format, and OpenMetrics, which it asks for first
            MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, text);
            HttpResponse<String> om = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, om.statusCode());
            MetricsText.parse(om.headers().firstValue("Content-Type").orElse(""), om.body());
            MetricsText parsed = MetricsText.parse(MetricsText.Format.PROMETHEUS_0_0_4, text);
            System.out.printf("[manifest-runtime] %s: RSS %.0f MiB, heap used %.0f MiB, non-heap %.0f MiB, %d threads%n", l.name(),
                    parsed.value("process_resident_memory_bytes", Map.of()) / (1 << 20),
                    parsed.value("jvm_memory_used_bytes", Map.of("area", "heap")) / (1 << 20),
                    parsed.value("jvm_memory_used_bytes", Map.of("area", "nonheap")) / (1 << 20),
                    (long) parsed.value("jvm_threads_current", Map.of()));
        }
        return scrapes;
    }

    private static String workersScrape(Map<String, Launch> launches, Map<String, String> scrapes) {
        return String.join("\n", launches.values().stream().filter(l -> l.mode().equals("worker")).map(l -> scrapes.get(l.name())).toList());
    }

    /** The rule files of the environment: the alerts, and the SLO rules when a service declares an objective. */
    static List<Path> ruleFiles() throws IOException {
        try (Stream<Path> s = Files.list(ENV_DIR.resolve("monitoring"))) {
            return s.filter(p -> p.getFileName().toString().matches("prometheusrule.*\\.yaml")).sorted().toList();
        }
    }

    private void metricsCoverThePrometheusRule(Map<String, Launch> launches, Map<String, JvmProcess> processes)
            throws InterruptedException, IOException {
        Map<String, String> scrapes = scrapes(launches, processes);
        String workersScrape = workersScrape(launches, scrapes);
        List<JsonNode> rules = ruleFiles().stream().map(ManifestRuntimeTest::read).toList();
        assertEquals(2, rules.size(), "the alerts and the SLO rules (WasteApi declares @Slo): " + ruleFiles());
        // series the rules record themselves: read by other rules, exported by no process
        Set<String> recorded = new HashSet<>();
        rules.forEach(r -> r.path("spec").path("groups").forEach(g -> g.path("rules").forEach(rule -> {
            if (rule.has("record")) {
                recorded.add(rule.path("record").asText());
            }
        })));
        int checked = 0;
        Set<String> names = new java.util.TreeSet<>();
        for (JsonNode group : rules.stream().flatMap(r -> java.util.stream.StreamSupport.stream(r.path("spec").path("groups").spliterator(), false)).toList()) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                String service = rule.path("labels").path("service").asText();
                // the alert is about one process; the dead-letter queue is reported by every worker
                String scrape = scrapes.containsKey(service) ? scrapes.get(service) : workersScrape;
                Matcher m = SELECTOR.matcher(rule.path("expr").asText());
                boolean any = false;
                while (m.find()) {
                    any = true;
                    String metric = m.group(1);
                    if (recorded.contains(metric)) {
                        continue;
                    }
                    names.add(metric);
                    assertTrue(metric.startsWith("http_request") || metric.startsWith("rabbitmq_"),
                            alert + " names " + metric + ", which no Growbin process exports");
                    String series = findSeries(scrape, metric, m.group(2));
                    assertTrue(series != null, alert + ": no series " + metric + "{" + m.group(2) + "} in the /metrics of "
                            + (scrapes.containsKey(service) ? service : "any worker") + "\n" + scrape);
                    assertFalse(series.endsWith(" NaN"), alert + ": " + series + " has no value");
                    checked++;
                }
                assertTrue(any, alert + ": no metric selector in " + rule.path("expr").asText());
            }
        }
        assertTrue(names.containsAll(Set.of("http_requests_total", "http_request_duration_seconds_bucket",
                "rabbitmq_queue_messages_ready")), "metrics the rules name: " + names);
        System.out.printf("[manifest-runtime] %d metric selectors of %d rule files (%s) found in the processes' /metrics%n",
                checked, rules.size(), names);
    }

    /**
     * Every query of the dashboard selects series the process it is about exports: the REST service's
     * or the worker's own {@code /metrics} (by the query's {@code service} matcher), the dead-letter
     * queue's every worker's. A matcher on the task counter's {@code state} names a state of the
     * contract ({@code Observability.TASK_STATES}); the runtime writes a state's series once a task
     * ends in it, and no task of this run fails or is retried, so those series are matched without it.
     */
    private void metricsCoverTheDashboard(Map<String, Launch> launches, Map<String, JvmProcess> processes)
            throws InterruptedException, IOException {
        Map<String, String> scrapes = scrapes(launches, processes);
        String workersScrape = workersScrape(launches, scrapes);
        JsonNode map = read(ENV_DIR.resolve("monitoring/grafana-dashboard.yaml"));
        assertEquals("1", map.path("metadata").path("labels").path("grafana_dashboard").asText(), "the Grafana sidecar's label");
        JsonNode dashboard = JSON.readTree(map.path("data").elements().next().asText());
        int checked = 0;
        Set<String> panels = new java.util.TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String query = target.path("expr").asText();
                Matcher m = SELECTOR.matcher(query);
                assertTrue(m.find(), panel.path("title").asText() + ": no metric selector in " + query);
                do {
                    String matchers = m.group(2);
                    Matcher service = Pattern.compile(Metrics.SERVICE + "=\"([^\"]+)\"").matcher(matchers);
                    String scrape = service.find() ? scrapes.get(service.group(1)) : workersScrape;
                    assertTrue(scrape != null, panel.path("title").asText() + ": no process for " + m.group());
                    Matcher state = Pattern.compile(",?" + Metrics.STATE + "=\"([^\"]+)\"").matcher(matchers);
                    if (state.find()) {
                        assertTrue(Observability.TASK_STATES.contains(state.group(1)), panel.path("title").asText() + ": state "
                                + state.group(1) + " is none of the runtime's " + Observability.TASK_STATES);
                        matchers = state.replaceAll("");
                    }
                    String series = findSeries(scrape, m.group(1), matchers);
                    assertTrue(series != null, panel.path("title").asText() + ": no series " + m.group(1) + "{" + matchers + "} in\n" + scrape);
                    assertFalse(series.endsWith(" NaN"), panel.path("title").asText() + ": " + series + " has no value");
                    checked++;
                } while (m.find());
                panels.add(panel.path("title").asText());
            }
        }
        assertTrue(panels.containsAll(Set.of("waste: 5xx ratio", "vision: queue depth", "Ready messages in the dead-letter queue")), "panels: " + panels);
        System.out.printf("[manifest-runtime] %d metric selectors of %d dashboard panels found in the processes' /metrics%n", checked, panels.size());
    }

    /** A series line of {@code metric} whose labels satisfy the equality matchers (regex ones: the label exists). */
    static String findSeries(String scrape, String metric, String matchers) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            boolean ok = true;
            Matcher mm = MATCHER.matcher(matchers);
            while (mm.find() && ok) {
                String label = mm.group(1);
                String op = mm.group(2);
                String value = mm.group(3);
                switch (op) {
                    case "=" -> ok = line.contains(label + "=\"" + value + "\"");
                    case "!=" -> ok = !line.contains(label + "=\"" + value + "\"");
                    default -> ok = line.contains(label + "=\"");
                }
            }
            if (ok) {
                return line;
            }
        }
        return null;
    }

    private static int consumers(TaskClient client, String queue) throws Exception {
        try (Channel ch = client.broker().connection().createChannel()) {
            return ch.queueDeclarePassive(queue).getConsumerCount();
        }
    }

    /** The worker processes declared their queues; remove those (and their retry queues) if empty and unused. */
    private static void deleteUnusedQueues(TaskClient client, Set<String> queues) {
        List<String> all = new ArrayList<>();
        for (String q : queues) {
            all.add(q);
            for (long d = 1000; d <= 4000; d *= 2) {
                all.add(q + ".retry." + d);
            }
        }
        all.add("q.dlq");
        for (String q : all) {
            try (Channel ch = client.broker().connection().createChannel()) {
                ch.queueDelete(q, true, true);
            } catch (Exception e) {
                // in use or not empty (another backend on this broker): leave it
            }
        }
    }
}
