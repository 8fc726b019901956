package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample app's scenario: copy WasteApi to AnalyticsApi ({@code /api/v1/analytics}), compile with
 * the sample's values files, and its Deployment, Service and Ingress path (HTTPRoute rule behind a
 * Gateway) appear in every environment; delete it, and the output is exactly what it was before.
 *
 * <p>The inputs mirror the sample's annotations in small inline sources (the real classes grow as
 * the sample becomes real); the values are a copy of sample-app/src/main/k8s.
 */
class AddAndRemoveServiceTest {

    static final Path SAMPLE_VALUES = Path.of("../sample-app/src/main/k8s");

    static final String WASTE_ANNOTATIONS = """
            @RestService(path = "/api/v1/%s", replicas = 3)
            @Resources(cpu = "200m", memory = "256Mi", cpuLimit = "1000m", memoryLimit = "512Mi")
            @NodeSelector(key = "workload", value = "application")
            @Autoscaling(minReplicas = 3, maxReplicas = 10, targetCpuUtilization = 70)
            """;

    static final List<JavaFileObject> SAMPLE = List.of(
            source("WasteApi", WASTE_ANNOTATIONS.formatted("waste") + "public final class WasteApi {}\n"),
            source("UsersApi", """
                    @RestService(path = "/api/v1/users", replicas = 2)
                    @Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
                    @NodeSelector(key = "workload", value = "application")
                    public final class UsersApi {}
                    """),
            source("AuthApi", """
                    @RestService(path = "/api/v1/auth", replicas = 2)
                    @Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
                    @NodeSelector(key = "workload", value = "application")
                    @SecretEnv(name = "AUTH_SIGNING_KEY", secret = "auth-secrets", key = "signing-key")
                    public final class AuthApi {}
                    """),
            source("RecyclingApi", """
                    @RestService(path = "/api/v1/recycling", replicas = 2, enabled = false)
                    public final class RecyclingApi {}
                    """),
            source("LocationsApi", """
                    @RestService(path = "/api/v1/locations", replicas = 2, enabled = false)
                    public final class LocationsApi {}
                    """),
            worker("PreprocessWorker", "preprocess", "PROCESSES", 8, 3, "500m", "2000m", "preprocess.normalize", ""),
            worker("VisionWorker", "vision", "GEVENT", 20, 5, "250m", "1000m", "vision.classify",
                    "@Autoscaling(minReplicas = 5, maxReplicas = 8, targetCpuUtilization = 70)\n"
                            + "@SecretEnv(name = \"OPENAI_API_KEY\", secret = \"openai-secrets\", key = \"api-key\")\n"),
            worker("RagWorker", "rag", "PROCESSES", 10, 2, "500m", "2000m", "rag.retrieve", ""),
            worker("LlmWorker", "llm", "GEVENT", 20, 3, "250m", "1000m", "llm.answer",
                    "@SecretEnv(name = \"OPENAI_API_KEY\", secret = \"openai-secrets\", key = \"api-key\")\n"));

    static final JavaFileObject ANALYTICS = source("AnalyticsApi", WASTE_ANNOTATIONS.formatted("analytics") + "public final class AnalyticsApi {}\n");

    @TempDir
    Path root;

    private GrowbinProject project;
    private List<String> environments;

    @BeforeEach
    void copySampleValues() throws IOException {
        project = new GrowbinProject(root);
        environments = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLE_VALUES)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("values.*\\.yaml")).sorted().toList()) {
                project.values(file.getFileName().toString(), Files.readString(file));
                String name = file.getFileName().toString();
                if (name.startsWith("values-")) {
                    environments.add(name.substring("values-".length(), name.length() - ".yaml".length()));
                }
            }
        }
        assertThat(environments).containsAtLeast("dev", "prod");
    }

    @Test
    void addingAnAnalyticsApiAddsItsManifestsAndRemovingItRemovesThem() {
        assertThat(project.compile(SAMPLE.toArray(JavaFileObject[]::new))).succeeded();
        SortedMap<String, String> before = project.outputFiles();
        assertThat(before.keySet().stream().filter(path -> path.contains("analytics")).toList()).isEmpty();

        List<JavaFileObject> withAnalytics = new ArrayList<>(SAMPLE);
        withAnalytics.add(ANALYTICS);
        assertThat(project.compile(withAnalytics.toArray(JavaFileObject[]::new))).succeeded();

        for (String environment : environments) {
            assertThat(project.yaml(environment + "/api/rest/analytics-deployment.yaml").at("/metadata/name").asText())
                    .isEqualTo("growbin-backend-api-rest-analytics");
            assertThat(project.yaml(environment + "/api/rest/analytics-service.yaml").at("/spec/ports/0/name").asText()).isEqualTo("http");
            // The Ingress, or the HTTPRoute where the environment routes through the Gateway API.
            String ingress = project.exists(environment + "/ingress/api-ingress.yaml")
                    ? project.read(environment + "/ingress/api-ingress.yaml")
                    : project.read(environment + "/ingress/api-httproute.yaml");
            assertThat(ingress).containsMatch("(path|value): /api/v1/analytics");
            assertThat(ingress).contains("name: growbin-backend-api-rest-analytics");
            assertThat(project.read(environment + "/kustomization.yaml")).contains("api/rest/analytics-deployment.yaml");
            // The other services do not change.
            String waste = environment + "/api/rest/waste-deployment.yaml";
            assertThat(project.read(waste)).isEqualTo(before.get(waste));
        }

        assertThat(project.compile(SAMPLE.toArray(JavaFileObject[]::new))).succeeded();
        assertThat(project.outputFiles()).isEqualTo(before);
    }

    private static JavaFileObject worker(String className, String name, String pool, int concurrency, int replicas,
                                         String cpu, String cpuLimit, String task, String extra) {
        return source(className, """
                @AsyncWorker(queue = "q.%s", pool = Pool.%s, concurrency = %d, replicas = %d)
                @Resources(cpu = "%s", memory = "512Mi", cpuLimit = "%s", memoryLimit = "1Gi")
                @NodeSelector(key = "workload", value = "ai-worker")
                %spublic final class %s {
                    @Task("%s") public String run(String input) { return input; }
                }
                """.formatted(name, pool, concurrency, replicas, cpu, cpuLimit, extra, className, task));
    }
}
