package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production-grade rules and outputs: autoscaling modes (HPA or KEDA), image tags in
 * production, task time limits, security overrides, network policy, Argo CD Applications, the
 * generated overview, and the rules that keep the generated Java sources compilable.
 */
class ProductionManifestsTest {

    @TempDir
    Path root;

    private static final String WORKER_BODY = """
            {
                @Task("vision.classify")
                public String classify(String imageRef) { return imageRef; }
            }
            """;

    // --- autoscaling modes ---------------------------------------------------------------------

    @Test
    void queueLengthWorkerGetsAScaledObjectInsteadOfAnHpa() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject vision = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision", replicas = 2)
                @Autoscaling(minReplicas = 2, maxReplicas = 20, queueLength = 50)
                public final class VisionWorker
                """ + WORKER_BODY);
        assertThat(project.compile(vision)).succeeded();

        assertThat(project.exists("dev/api/async/vision-hpa.yaml")).isFalse();
        JsonNode scaled = project.yaml("dev/api/async/vision-scaledobject.yaml");
        assertThat(scaled.at("/apiVersion").asText()).isEqualTo("keda.sh/v1alpha1");
        assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo("shop-api-async-vision");
        assertThat(scaled.at("/spec/minReplicaCount").asInt()).isEqualTo(2);
        assertThat(scaled.at("/spec/maxReplicaCount").asInt()).isEqualTo(20);
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertThat(trigger.at("/type").asText()).isEqualTo("rabbitmq");
        assertThat(trigger.at("/metadata/queueName").asText()).isEqualTo("q.vision");
        assertThat(trigger.at("/metadata/mode").asText()).isEqualTo("QueueLength");
        assertThat(trigger.at("/metadata/value").asText()).isEqualTo("50");
        assertThat(trigger.at("/authenticationRef/name").asText()).isEqualTo("shop-rabbitmq");

        JsonNode authentication = project.yaml("dev/infrastructure/keda-triggerauthentication.yaml");
        assertThat(authentication.at("/metadata/name").asText()).isEqualTo("shop-rabbitmq");
        assertThat(authentication.at("/spec/secretTargetRef/0/parameter").asText()).isEqualTo("host");
        assertThat(authentication.at("/spec/secretTargetRef/0/name").asText()).isEqualTo("celery-secrets");
        assertThat(authentication.at("/spec/secretTargetRef/0/key").asText()).isEqualTo("broker-url");

        assertThat(project.yaml("dev/api/async/vision-deployment.yaml").at("/spec/replicas").isMissingNode()).isTrue();
        assertThat(project.read("dev/kustomization.yaml")).contains("api/async/vision-scaledobject.yaml");
    }

    @Test
    void bothAutoscalingModesOnOneWorker() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject vision = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision")
                @Autoscaling(maxReplicas = 20, targetCpuUtilization = 60,
                        queueLength = 50)
                public final class VisionWorker
                """ + WORKER_BODY);
        Compilation compilation = project.compile(vision);
        assertThat(compilation).hadErrorContaining("[growbin:autoscaling-mode] both queueLength and targetCpuUtilization are set")
                .inFile(vision).onLineContaining("queueLength = 50");
        project.assertNothingWritten();
    }

    @Test
    void bothAutoscalingModesThroughAnOverlay() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  async:
                    vision:
                      autoscaling:
                        targetCpuUtilization: 60
                """);
        JavaFileObject vision = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision")
                @Autoscaling(maxReplicas = 20, queueLength = 50)
                public final class VisionWorker
                """ + WORKER_BODY);
        assertThat(project.compile(vision)).hadErrorContaining("[growbin:autoscaling-mode] both queueLength and targetCpuUtilization are set");
        project.assertNothingWritten();
    }

    @Test
    void queueLengthOnARestService() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                @Autoscaling(maxReplicas = 10,
                        queueLength = 100)
                public final class WasteApi {}
                """);
        assertThat(project.compile(waste)).hadErrorContaining("[growbin:autoscaling-mode] queueLength autoscaling scales a worker on its RabbitMQ queue")
                .inFile(waste).onLineContaining("queueLength = 100");
        project.assertNothingWritten();
    }

    // --- image tag in production ---------------------------------------------------------------

    @Test
    void latestTagInProductionValues() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-prod.yaml", """
                global:
                  environment: production
                  image:
                    tag: latest
                """);
        Compilation compilation = project.compile(source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class WasteApi {}
                """));
        assertThat(compilation).hadErrorContaining(
                "[growbin:floating-image-tag] values-prod.yaml:4: environment 'prod' is production but its image tag is 'latest'");
        assertThat(compilation).hadErrorCount(1);
        project.assertNothingWritten();
    }

    @Test
    void latestTagFromTheBuildPropertyInProduction() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-prod.yaml", "global:\n  environment: production\n");
        Compilation compilation = project.compile(List.of("-Agrowbin.image.tag=latest"), source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class WasteApi {}
                """));
        assertThat(compilation).hadErrorContaining("[growbin:floating-image-tag] -Agrowbin.image.tag: environment 'prod' is production but its image tag is 'latest'");
        project.assertNothingWritten();
    }

    @Test
    void latestTagOutsideProductionIsAllowed() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", "global:\n  image:\n    tag: latest\n");
        assertThat(project.compile(source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class WasteApi {}
                """))).succeeded();
        assertThat(project.read("dev/api/rest/waste-deployment.yaml")).contains("image: acme/shop:latest");
    }

    // --- workers: time limit and grace period ---------------------------------------------------

    @Test
    void workerGracePeriodCoversItsTaskTimeLimit() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  async:
                    vision:
                      timeLimitSeconds: 600
                """);
        assertThat(project.compile(source("VisionWorker", """
                @AsyncWorker(queue = "q.vision", timeLimitSeconds = 120)
                public final class VisionWorker
                """ + WORKER_BODY))).succeeded();
        JsonNode pod = project.yaml("dev/api/async/vision-deployment.yaml").at("/spec/template/spec");
        assertThat(pod.at("/terminationGracePeriodSeconds").asInt()).isEqualTo(630);
        assertThat(project.read("dev/api/async/vision-deployment.yaml"))
                .contains("- name: TASK_TIME_LIMIT_SECONDS\n              value: \"600\"");
    }

    @Test
    void timeLimitBelowOneSecond() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject vision = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision",
                        timeLimitSeconds = 0)
                public final class VisionWorker
                """ + WORKER_BODY);
        assertThat(project.compile(vision)).hadErrorContaining("[growbin:time-limit-range] timeLimitSeconds is 0")
                .inFile(vision).onLineContaining("timeLimitSeconds = 0");
        project.assertNothingWritten();
    }

    // --- security -------------------------------------------------------------------------------

    @Test
    void lockedDownPodByDefault() {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class WasteApi {}
                """))).succeeded();
        JsonNode pod = project.yaml("dev/api/rest/waste-deployment.yaml").at("/spec/template/spec");
        assertThat(pod.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isAtLeast(10000);
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
        assertThat(container.at("/lifecycle/preStop/sleep/seconds").asInt()).isGreaterThan(0);
    }

    @Test
    void securityOverridesFromValues() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  rest:
                    waste:
                      securityContext:
                        runAsUser: 20000
                        runAsGroup: 20000
                      serviceAccount:
                        name: waste-reader
                        automountToken: true
                """);
        assertThat(project.compile(source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class WasteApi {}
                """))).succeeded();
        JsonNode pod = project.yaml("dev/api/rest/waste-deployment.yaml").at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(20000);
        assertThat(pod.at("/securityContext/fsGroup").asInt()).isEqualTo(20000);
        assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("waste-reader");
        assertThat(pod.at("/automountServiceAccountToken").asBoolean()).isTrue();
    }

    @Test
    void lowUidInValues() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  rest:
                    waste:
                      securityContext:
                        runAsUser: 1000
                """);
        assertThat(project.compile(source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class WasteApi {}
                """))).hadErrorContaining("[growbin:security-context] values-dev.yaml:5: securityContext UID/GID 1000 is below 10000");
        project.assertNothingWritten();
    }

    // --- network policy ---------------------------------------------------------------------------

    @Test
    void networkPolicyIsOptIn() {
        GrowbinProject project = GrowbinProject.minimal(root);
        List<JavaFileObject> sources = List.of(
                source("WasteApi", "@RestService(path = \"/api/v1/waste\")\npublic final class WasteApi {}\n"),
                source("VisionWorker", "@AsyncWorker(queue = \"q.vision\")\npublic final class VisionWorker\n" + WORKER_BODY));
        assertThat(project.compile(sources.toArray(JavaFileObject[]::new))).succeeded();
        assertThat(project.exists("dev/infrastructure/networkpolicy.yaml")).isFalse();

        project.values("values-dev.yaml", """
                networkPolicy:
                  enabled: true
                  ingressNamespace: ingress-nginx
                  monitoringNamespace: observability
                """);
        assertThat(project.compile(sources.toArray(JavaFileObject[]::new))).succeeded();
        String policies = project.read("dev/infrastructure/networkpolicy.yaml");
        assertThat(policies).contains("name: shop-api-rest\n");
        assertThat(policies).contains("name: shop-api-async\n");
        assertThat(policies).contains("kubernetes.io/metadata.name: ingress-nginx");
        assertThat(policies).contains("kubernetes.io/metadata.name: observability");
        assertThat(policies).contains("port: metrics");
        assertThat(policies).contains("- Ingress");
    }

    // --- GitOps and overview ------------------------------------------------------------------------

    @Test
    void argoApplicationPerEnvironmentAndOverview() {
        GrowbinProject project = GrowbinProject.minimal(root)
                .values("values.yaml", GrowbinProject.MINIMAL_VALUES + """
                        gitops:
                          repoUrl: https://git.example.com/shop-gitops.git
                          targetRevision: main
                          path: apps/shop
                        """)
                .values("values-prod.yaml", "gitops:\n  namespace: shop-prod\n");
        assertThat(project.compile(
                source("WasteApi", "@RestService(path = \"/api/v1/waste\")\npublic final class WasteApi {}\n"),
                source("VisionWorker", "@AsyncWorker(queue = \"q.vision\", pool = Pool.GEVENT, concurrency = 20)\npublic final class VisionWorker\n"
                        + WORKER_BODY))).succeeded();

        JsonNode prod = project.yaml("argocd/shop-prod.yaml");
        assertThat(prod.at("/kind").asText()).isEqualTo("Application");
        assertThat(prod.at("/spec/source/repoURL").asText()).isEqualTo("https://git.example.com/shop-gitops.git");
        assertThat(prod.at("/spec/source/path").asText()).isEqualTo("apps/shop/prod");
        assertThat(prod.at("/spec/destination/namespace").asText()).isEqualTo("shop-prod");
        assertThat(prod.at("/spec/syncPolicy/automated/prune").asBoolean()).isTrue();
        assertThat(prod.at("/spec/syncPolicy/automated/selfHeal").asBoolean()).isTrue();
        assertThat(project.exists("argocd/shop-dev.yaml")).isTrue();

        String overview = project.read("README.md");
        assertThat(overview).contains("```mermaid\nflowchart LR\n");
        assertThat(overview).contains("ingress -- \"/api/v1/waste\" --> rest_waste");
        assertThat(overview).contains("queue_vision --> worker_vision");
        assertThat(overview).contains("| vision | worker | `q.vision` | 1 |");

        project.deleteValues("values-prod.yaml");
        assertThat(project.compile(
                source("WasteApi", "@RestService(path = \"/api/v1/waste\")\npublic final class WasteApi {}\n"))).succeeded();
        assertThat(project.exists("argocd/shop-prod.yaml")).isFalse();
        assertThat(project.exists("prod")).isFalse();
    }

    @Test
    void environmentNamedLikeAnOutputFolder() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-helm.yaml", "");
        assertThat(project.compile(source("WasteApi", "@RestService(path = \"/api/v1/waste\")\npublic final class WasteApi {}\n")))
                .hadErrorContaining("[growbin:configuration] values-helm.yaml:1: the environment name 'helm' (from values-helm.yaml) must be a DNS-1123 label");
        project.assertNothingWritten();
    }

    // --- generated Java needs creatable classes (runtime on the classpath) ---------------------------

    @Test
    void restClassMustImplementRestApiWhenTheRuntimeIsPresent() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject waste = source("WasteApi", """
                @RestService(path = "/api/v1/waste")
                public final class WasteApi {}
                """);
        Compilation compilation = withRuntime(project, waste);
        assertThat(compilation).hadErrorContaining("[growbin:not-rest-api] test.WasteApi must implement app.growbin.runtime.RestApi")
                .inFile(waste).onLineContaining("@RestService");
        project.assertNothingWritten();
    }

    @Test
    void workerNeedsAPublicNoArgumentConstructorWhenTheRuntimeIsPresent() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject vision = source("VisionWorker", """
                @AsyncWorker(queue = "q.vision")
                public final class VisionWorker {
                    private VisionWorker() {}

                    @Task("vision.classify")
                    public String classify(String imageRef) { return imageRef; }
                }
                """);
        assertThat(withRuntime(project, vision)).hadErrorContaining("[growbin:not-instantiable] test.VisionWorker needs to be a public")
                .inFile(vision).onLineContaining("@AsyncWorker");
        project.assertNothingWritten();
    }

    @Test
    void runtimePresentGeneratesTheCatalogAndClients() {
        GrowbinProject project = GrowbinProject.minimal(root);
        Compilation compilation = withRuntime(project,
                source("WasteApi", """
                        @RestService(path = "/api/v1/waste")
                        public final class WasteApi implements app.growbin.runtime.RestApi {
                            @Override
                            public void routes(app.growbin.runtime.Routes routes, app.growbin.runtime.ServiceContext context) {}
                        }
                        """),
                source("VisionWorker", "@AsyncWorker(queue = \"q.vision\")\npublic final class VisionWorker\n" + WORKER_BODY));
        assertThat(compilation).succeeded();
        assertThat(compilation).generatedSourceFile("test.GrowbinCatalog");
        assertThat(compilation).generatedSourceFile("test.VisionTasks");
        assertThat(project.exists("dev/api/rest/waste-deployment.yaml")).isTrue();
    }

    private static Compilation withRuntime(GrowbinProject project, JavaFileObject... sources) {
        Compilation compilation = Compiler.javac().withProcessors(new GrowbinProcessor())
                .withOptions("-Agrowbin.config=" + project.config, "-Agrowbin.output=" + project.output)
                .compile(sources);
        GrowbinProject.assertNeverCrashed(compilation);
        return compilation;
    }
}
