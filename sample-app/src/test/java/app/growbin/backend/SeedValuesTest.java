package app.growbin.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The bar for the sample app: the generated k8s-out/prod and k8s-out/dev carry the values of the
 * seed's Helm chart (issue 16), value by value. Where the generated manifests say something else on
 * purpose, the difference is one of the named {@link #DEVIATIONS}, each a row of the README's
 * "Deviations from the original chart" table (the last test keeps the two lists equal). A new
 * difference fails here until it is added to both, deliberately.
 */
class SeedValuesTest {

    private static final Path OUTPUT = Path.of("..", "k8s-out");
    private static final Path VALUES = Path.of("src", "main", "k8s");
    private static final Path README = Path.of("..", "README.md");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String APP = "growbin-backend";

    // ---- the seed's values (issue 16), verbatim ------------------------------------------------

    static final String SEED_IMAGE_REPOSITORY = "ghcr.io/your-org/growbin-backend";
    static final String SEED_IMAGE_TAG = "latest";
    static final String SEED_DOMAIN = "growbin.app";
    static final Map<String, String> SEED_MODELS = Map.of("OPENAI_MODEL_VISION", "gpt-5-vision-preview", "OPENAI_MODEL_LLM", "gpt-4o-mini");
    static final int SEED_REST_PORT = 8000;

    record Rest(String name, boolean enabled, int replicas, String cpu, String memory, String cpuLimit, String memoryLimit,
            Map<String, String> nodeSelector, Autoscale autoscaling) {}

    record Worker(String name, int replicas, String queue, String pool, int concurrency, String cpu, String memory, String cpuLimit,
            String memoryLimit, Autoscale autoscaling) {}

    record Autoscale(int min, int max, int cpuPercent) {}

    static final Map<String, String> APPLICATION_NODES = Map.of("workload", "application");
    static final Map<String, String> WORKER_NODES = Map.of("workload", "async-workers");

    static final List<Rest> SEED_REST = List.of(
            new Rest("waste", true, 3, "200m", "256Mi", "1000m", "512Mi", APPLICATION_NODES, new Autoscale(3, 10, 70)),
            new Rest("users", true, 2, "100m", "128Mi", "500m", "256Mi", APPLICATION_NODES, null),
            new Rest("auth", true, 2, "100m", "128Mi", "500m", "256Mi", APPLICATION_NODES, null),
            new Rest("recycling", false, 2, "100m", "128Mi", "500m", "256Mi", Map.of(), null),
            new Rest("locations", false, 2, "100m", "128Mi", "500m", "256Mi", Map.of(), null));

    static final List<Worker> SEED_WORKERS = List.of(
            new Worker("preprocess", 3, "q.preprocess", "processes", 8, "300m", "256Mi", "1000m", "512Mi", null),
            new Worker("vision", 5, "q.vision", "gevent", 20, "100m", "256Mi", "500m", "512Mi", new Autoscale(5, 8, 70)),
            new Worker("rag", 2, "q.rag", "processes", 10, "100m", "128Mi", "300m", "256Mi", null),
            new Worker("llm", 3, "q.llm", "gevent", 20, "100m", "256Mi", "500m", "512Mi", null));

    static final String SEED_INGRESS_CLASS = "alb";
    static final Map<String, String> SEED_INGRESS_ANNOTATIONS = Map.of(
            "alb.ingress.kubernetes.io/scheme", "internet-facing",
            "alb.ingress.kubernetes.io/target-type", "instance",
            "alb.ingress.kubernetes.io/group.name", "growbin-alb");
    static final List<String> SEED_PATHS = List.of("/api/v1/auth", "/api/v1/users", "/api/v1/waste");

    static final String SEED_SCRAPE_INTERVAL = "30s";
    static final String SEED_SCRAPE_TIMEOUT = "10s";
    static final String SEED_ERROR_RATE = "0.05";
    static final String SEED_LATENCY_P95_SECONDS = "2";
    static final String SEED_VISION_QUEUE = "1000";
    static final String SEED_DLQ = "100";

    /** The seed's environment overlays: replicas per service, and prod's environment name. */
    static final Map<String, Map<String, Integer>> SEED_ENVIRONMENT_REPLICAS = Map.of(
            "dev", Map.of("waste", 1, "vision", 2),
            "prod", Map.of("waste", 5, "vision", 8));
    static final String SEED_PROD_ENVIRONMENT = "production";

    // ---- the deliberate differences: the README's "Deviations from the original chart" ---------

    /** name (the README row's first cell) -> what the generated manifests have instead of the seed's value. */
    static final Map<String, String> DEVIATIONS = new TreeMap<>(Map.of(
            "image-tag", "0.1.0",
            "broker-url-secret", "celery-secrets/broker-url",
            "alb-http-redirect", "listen-ports [{\"HTTP\": 80}, {\"HTTPS\": 443}], ssl-redirect 443",
            "dev-host", "dev.growbin.app"));

    // ---- the checks ------------------------------------------------------------------------------

    @Test
    void globalsImageDomainModels() {
        for (String env : List.of("prod", "dev")) {
            for (JsonNode deployment : deployments(env)) {
                String image = container(deployment).path("image").asText();
                assertEquals(SEED_IMAGE_REPOSITORY, image.substring(0, image.lastIndexOf(':')), env + " image of " + name(deployment));
                String tag = image.substring(image.lastIndexOf(':') + 1);
                assertNotEquals(SEED_IMAGE_TAG, tag);
                assertEquals(DEVIATIONS.get("image-tag"), tag, "deviation image-tag");
                // deviation broker-url-secret: the broker URL (with its password) only from the Secret
                JsonNode broker = env(container(deployment)).get("CELERY_BROKER_URL");
                assertEquals(DEVIATIONS.get("broker-url-secret"),
                        broker.at("/valueFrom/secretKeyRef/name").asText() + "/" + broker.at("/valueFrom/secretKeyRef/key").asText());
                assertTrue(broker.path("value").isMissingNode(), "a literal broker URL in " + name(deployment));
            }
            JsonNode config = yaml(env, "infrastructure/configmap.yaml").path("data");
            SEED_MODELS.forEach((key, model) -> assertEquals(model, config.path(key).asText(), env + " " + key));
        }
        JsonNode prodConfig = yaml("prod", "infrastructure/configmap.yaml").path("data");
        assertEquals(SEED_DOMAIN, prodConfig.path("DOMAIN").asText());
        assertEquals(SEED_PROD_ENVIRONMENT, prodConfig.path("ENVIRONMENT").asText());
        // deviation dev-host: dev has a domain of its own, so that it does not claim prod's host in the shared ALB group
        assertEquals(DEVIATIONS.get("dev-host"), yaml("dev", "infrastructure/configmap.yaml").at("/data/DOMAIN").asText());
    }

    @Test
    void restServices() {
        for (String env : List.of("prod", "dev")) {
            for (Rest seed : SEED_REST) {
                Path file = OUTPUT.resolve(env).resolve("api/rest/" + seed.name() + "-deployment.yaml");
                assertEquals(seed.enabled(), Files.exists(file), env + ": " + seed.name() + " enabled");
                if (!seed.enabled()) {
                    continue;
                }
                JsonNode deployment = yaml(env, "api/rest/" + seed.name() + "-deployment.yaml");
                JsonNode c = container(deployment);
                assertEquals(SEED_REST_PORT, port(c, "http"), env + " " + seed.name() + " container port");
                assertEquals(String.valueOf(SEED_REST_PORT), env(c).get("HTTP_PORT").path("value").asText());
                JsonNode service = yaml(env, "api/rest/" + seed.name() + "-service.yaml");
                assertEquals(SEED_REST_PORT, service.at("/spec/ports/0/port").asInt(), env + " " + seed.name() + " Service port");
                assertEquals("http", service.at("/spec/ports/0/name").asText());
                assertResources(env + " " + seed.name(), c, seed.cpu(), seed.memory(), seed.cpuLimit(), seed.memoryLimit());
                assertEquals(seed.nodeSelector(), strings(deployment.at("/spec/template/spec/nodeSelector")), env + " " + seed.name());
                assertReplicas(env, "rest", seed.name(), deployment, seed.replicas(), seed.autoscaling());
            }
        }
        // the disabled ones keep the seed's values in the chart
        JsonNode chart = tree(read(OUTPUT.resolve("helm").resolve(APP).resolve("values.yaml")));
        for (Rest seed : SEED_REST) {
            JsonNode values = chart.at("/api/rest/" + seed.name());
            assertEquals(seed.enabled(), values.path("enabled").asBoolean(), seed.name());
            assertEquals(seed.replicas(), values.path("replicas").asInt(), seed.name());
            assertEquals(List.of(seed.cpu(), seed.memory(), seed.cpuLimit(), seed.memoryLimit()), List.of(
                    values.at("/resources/requests/cpu").asText(), values.at("/resources/requests/memory").asText(),
                    values.at("/resources/limits/cpu").asText(), values.at("/resources/limits/memory").asText()), seed.name());
        }
    }

    @Test
    void workers() {
        for (String env : List.of("prod", "dev")) {
            for (Worker seed : SEED_WORKERS) {
                JsonNode deployment = yaml(env, "api/async/" + seed.name() + "-deployment.yaml");
                JsonNode c = container(deployment);
                Map<String, JsonNode> vars = env(c);
                assertEquals(seed.queue(), vars.get("QUEUE_NAME").path("value").asText(), env + " " + seed.name());
                assertEquals(seed.pool().toUpperCase(), vars.get("WORKER_POOL").path("value").asText(), env + " " + seed.name());
                assertEquals(String.valueOf(seed.concurrency()), vars.get("WORKER_CONCURRENCY").path("value").asText(), env + " " + seed.name());
                assertResources(env + " " + seed.name(), c, seed.cpu(), seed.memory(), seed.cpuLimit(), seed.memoryLimit());
                assertEquals(WORKER_NODES, strings(deployment.at("/spec/template/spec/nodeSelector")), env + " " + seed.name());
                assertReplicas(env, "async", seed.name(), deployment, seed.replicas(), seed.autoscaling());
            }
        }
    }

    @Test
    void ingress() {
        JsonNode ingress = yaml("prod", "ingress/api-ingress.yaml");
        assertEquals(SEED_INGRESS_CLASS, ingress.at("/spec/ingressClassName").asText());
        Map<String, String> annotations = new TreeMap<>(strings(ingress.at("/metadata/annotations")));
        SEED_INGRESS_ANNOTATIONS.forEach((key, value) -> assertEquals(value, annotations.remove(key), key));
        // TLS through certificateArn: the ALB's certificate-arn annotation, a placeholder ARN in values.yaml
        String arn = annotations.remove("alb.ingress.kubernetes.io/certificate-arn");
        assertTrue(arn != null && arn.matches("arn:aws:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]+"), "certificate-arn " + arn);
        assertEquals("api." + SEED_DOMAIN, ingress.at("/spec/tls/0/hosts/0").asText());
        assertTrue(ingress.at("/spec/tls/0/secretName").isMissingNode(), "no TLS Secret: the ALB takes the certificate from ACM");
        // deviation alb-http-redirect: what is left beyond the seed's annotations
        assertEquals(DEVIATIONS.get("alb-http-redirect"), "listen-ports " + annotations.remove("alb.ingress.kubernetes.io/listen-ports")
                + ", ssl-redirect " + annotations.remove("alb.ingress.kubernetes.io/ssl-redirect"));
        assertEquals(Map.of(), annotations, "annotations that are neither the seed's nor a listed deviation");

        List<String> paths = new ArrayList<>();
        for (JsonNode path : ingress.at("/spec/rules/0/http/paths")) {
            paths.add(path.path("path").asText());
            String service = path.at("/backend/service/name").asText();
            JsonNode port = path.at("/backend/service/port");
            String name = service.substring((APP + "-api-rest-").length());
            JsonNode target = yaml("prod", "api/rest/" + name + "-service.yaml");
            int resolved = port.has("number") ? port.path("number").asInt() : servicePort(target, port.path("name").asText());
            assertEquals(SEED_REST_PORT, resolved, "the Ingress path " + path.path("path").asText() + " reaches port 8000");
            assertEquals("/api/v1/" + name, path.path("path").asText());
        }
        assertEquals(SEED_PATHS, paths);
    }

    @Test
    void monitoring() {
        for (String env : List.of("prod", "dev")) {
            JsonNode monitor = yaml(env, "monitoring/servicemonitor.yaml");
            assertEquals(SEED_SCRAPE_INTERVAL, monitor.at("/spec/endpoints/0/interval").asText());
            assertEquals(SEED_SCRAPE_TIMEOUT, monitor.at("/spec/endpoints/0/scrapeTimeout").asText());
            Map<String, String> alerts = new LinkedHashMap<>();
            for (JsonNode group : yaml(env, "monitoring/prometheusrule.yaml").at("/spec/groups")) {
                for (JsonNode rule : group.path("rules")) {
                    alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
                }
            }
            for (String service : List.of("Waste", "Users", "Auth")) {
                assertThreshold(alerts.get(service + "HighErrorRate"), SEED_ERROR_RATE, "http_requests_total");
                assertThreshold(alerts.get(service + "HighLatency"), SEED_LATENCY_P95_SECONDS, "histogram_quantile(0.95,");
            }
            assertThreshold(alerts.get("VisionQueueHigh"), SEED_VISION_QUEUE, "queue=\"q.vision\"");
            assertThreshold(alerts.get("DeadLetterQueueNotEmpty"), SEED_DLQ, "queue=\"q.dlq\"");
        }
    }

    /** The deviations of this test are exactly the rows of the README's table, by name. */
    @Test
    void deviationsAreTheReadmeTable() {
        String readme = read(README);
        int start = readme.indexOf("### Deviations from the original chart");
        assertTrue(start >= 0, "README has no section 'Deviations from the original chart'");
        int end = readme.indexOf("\n#", start + 1);
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|").matcher(readme.substring(start, end < 0 ? readme.length() : end));
        Set<String> names = new TreeSet<>();
        while (row.find()) {
            names.add(row.group(1));
        }
        assertEquals(DEVIATIONS.keySet(), names, "SeedValuesTest.DEVIATIONS against the README's deviations table");
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static void assertReplicas(String env, String kind, String name, JsonNode deployment, int seedReplicas, Autoscale seedAutoscaling) {
        Integer environmentReplicas = SEED_ENVIRONMENT_REPLICAS.get(env).get(name);
        Path hpa = OUTPUT.resolve(env).resolve("api/" + kind + "/" + name + "-hpa.yaml");
        boolean autoscaled = seedAutoscaling != null && !env.equals("dev");
        if (autoscaled) {
            // the seed's bounds; an autoscaler owns the count, so the Deployment has none
            JsonNode h = yaml(env, "api/" + kind + "/" + name + "-hpa.yaml");
            assertEquals(seedAutoscaling.min(), h.at("/spec/minReplicas").asInt(), env + " " + name + " minReplicas");
            assertEquals(seedAutoscaling.max(), h.at("/spec/maxReplicas").asInt(), env + " " + name + " maxReplicas");
            assertEquals(seedAutoscaling.cpuPercent(), h.at("/spec/metrics/0/resource/target/averageUtilization").asInt());
            assertTrue(deployment.at("/spec/replicas").isMissingNode(), env + " " + name + ": the HPA owns the count");
            if (environmentReplicas != null) {
                // prod's replicas: in values-prod.yaml and the chart's values-prod.yaml as in the seed,
                // inside the HPA's bounds; the HPA owns the count (README, "How the seed's values are honoured")
                String section = kind.equals("rest") ? "rest" : "async";
                assertEquals(environmentReplicas.intValue(), tree(read(VALUES.resolve("values-" + env + ".yaml")))
                        .at("/api/" + section + "/" + name + "/replicas").asInt(), "values-" + env + ".yaml " + name);
                assertEquals(environmentReplicas.intValue(), tree(read(OUTPUT.resolve("helm").resolve(APP).resolve("values-" + env + ".yaml")))
                        .at("/api/" + section + "/" + name + "/replicas").asInt(), "chart values-" + env + ".yaml " + name);
                assertTrue(environmentReplicas >= seedAutoscaling.min() && environmentReplicas <= seedAutoscaling.max());
            }
        } else {
            assertFalse(Files.exists(hpa), env + " " + name + ": no autoscaler");
            int expected = environmentReplicas != null ? environmentReplicas : seedReplicas;
            assertEquals(expected, deployment.at("/spec/replicas").asInt(), env + " " + name + " replicas");
        }
    }

    private static void assertResources(String what, JsonNode container, String cpu, String memory, String cpuLimit, String memoryLimit) {
        JsonNode r = container.path("resources");
        assertEquals(List.of(cpu, memory, cpuLimit, memoryLimit), List.of(r.at("/requests/cpu").asText(), r.at("/requests/memory").asText(),
                r.at("/limits/cpu").asText(), r.at("/limits/memory").asText()), what + " requests/limits");
    }

    private static void assertThreshold(String expr, String threshold, String selects) {
        assertTrue(expr != null, "alert missing");
        assertTrue(expr.contains(selects), expr);
        assertTrue(expr.strip().endsWith("> " + threshold), "threshold " + threshold + " in " + expr);
    }

    private static List<JsonNode> deployments(String env) {
        List<JsonNode> out = new ArrayList<>();
        for (String kind : List.of("rest", "async")) {
            try (var files = Files.list(OUTPUT.resolve(env).resolve("api").resolve(kind))) {
                for (Path f : files.filter(p -> p.getFileName().toString().endsWith("-deployment.yaml")).sorted().toList()) {
                    out.add(tree(read(f)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertFalse(out.isEmpty(), "no Deployments in k8s-out/" + env);
        return out;
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.at("/spec/template/spec/containers/0");
    }

    private static String name(JsonNode object) {
        return object.at("/metadata/name").asText();
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> vars = new LinkedHashMap<>();
        container.path("env").forEach(e -> vars.put(e.path("name").asText(), e));
        return vars;
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port " + name);
    }

    private static int servicePort(JsonNode service, String name) {
        for (JsonNode p : service.at("/spec/ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("port").asInt();
            }
        }
        throw new AssertionError("no port " + name + " on " + name(service));
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> out = new TreeMap<>();
        map.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static JsonNode yaml(String env, String relative) {
        return tree(read(OUTPUT.resolve(env).resolve(relative)));
    }

    private static JsonNode tree(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
