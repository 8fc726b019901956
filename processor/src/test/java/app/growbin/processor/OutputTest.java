package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a successful compile writes, keeps and removes, and how values override the annotations. */
class OutputTest {

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste", replicas = 3)
            public final class WasteApi {}
            """);

    static final JavaFileObject USERS = source("UsersApi", """
            @RestService(path = "/api/v1/users", replicas = 2)
            public final class UsersApi {}
            """);

    static final JavaFileObject USERS_DISABLED = source("UsersApi", """
            @RestService(path = "/api/v1/users", replicas = 2, enabled = false)
            public final class UsersApi {}
            """);

    static final JavaFileObject VISION = source("VisionWorker", """
            @AsyncWorker(queue = "q.vision", pool = Pool.GEVENT, concurrency = 20, replicas = 2)
            public final class VisionWorker {
                @Task("vision.classify") public String classify(String imageRef) { return imageRef; }
            }
            """);

    @TempDir
    Path root;

    // --- the processor owns <output>/<env>/ ------------------------------------------------------

    @Test
    void filesOfARemovedServiceAreDeletedAndOtherFilesKept() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(WASTE, USERS)).succeeded();
        assertThat(project.exists("dev/api/rest/users-deployment.yaml")).isTrue();
        assertThat(project.exists("dev/api/rest/users-service.yaml")).isTrue();
        Files.writeString(project.output.resolve("CODEOWNERS"), "* @platform\n");
        Files.createDirectories(project.output.resolve("notes"));
        Files.writeString(project.output.resolve("notes/ops.md"), "# on call\n");

        Compilation compilation = project.compile(WASTE);

        assertThat(compilation).succeeded();
        assertThat(project.outputFiles().keySet()).containsNoneOf(
                "dev/api/rest/users-deployment.yaml", "dev/api/rest/users-service.yaml", "dev/api/rest/users-pdb.yaml");
        assertThat(project.read("dev/kustomization.yaml")).doesNotContain("users");
        assertThat(project.read("dev/ingress/api-ingress.yaml")).doesNotContain("/api/v1/users");
        assertThat(project.read("CODEOWNERS")).isEqualTo("* @platform\n");
        assertThat(project.read("notes/ops.md")).isEqualTo("# on call\n");
        assertThat(compilation).hadNoteContaining("removed (api/rest/users-deployment.yaml");
    }

    @Test
    void filesOfAServiceDisabledInTheAnnotationAreDeleted() {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(WASTE, USERS)).succeeded();

        assertThat(project.compile(WASTE, USERS_DISABLED)).succeeded();

        assertThat(project.exists("dev/api/rest/users-deployment.yaml")).isFalse();
        assertThat(project.exists("dev/api/rest/users-service.yaml")).isFalse();
        assertThat(project.read("dev/ingress/api-ingress.yaml")).doesNotContain("/api/v1/users");
        assertThat(project.exists("dev/api/rest/waste-deployment.yaml")).isTrue();
    }

    @Test
    void staleEnvironmentFolderIsRemoved() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-staging.yaml", "");
        assertThat(project.compile(WASTE)).succeeded();
        assertThat(project.exists("staging/kustomization.yaml")).isTrue();
        // A folder with a kustomization.yaml that Growbin did not write is not Growbin's to remove.
        Files.createDirectories(project.output.resolve("legacy"));
        Files.writeString(project.output.resolve("legacy/kustomization.yaml"), "resources: []\n");

        project.deleteValues("values-staging.yaml");
        Compilation compilation = project.compile(WASTE);

        assertThat(compilation).succeeded();
        assertThat(project.exists("staging")).isFalse();
        assertThat(project.exists("dev/kustomization.yaml")).isTrue();
        assertThat(project.exists("legacy/kustomization.yaml")).isTrue();
        assertThat(compilation).hadNoteContaining("growbin: removed " + project.output.resolve("staging")
                + "/: no values-staging.yaml defines that environment any more");
    }

    @Test
    void twoCompilesGiveByteIdenticalOutput() {
        GrowbinProject first = GrowbinProject.minimal(root.resolve("first"));
        GrowbinProject second = GrowbinProject.minimal(root.resolve("second"));
        assertThat(first.compile(WASTE, USERS, VISION)).succeeded();
        assertThat(second.compile(VISION, USERS, WASTE)).succeeded();

        assertThat(second.outputFiles()).isEqualTo(first.outputFiles());

        Compilation again = first.compile(WASTE, USERS, VISION);
        assertThat(again).hadNoteContaining(", 0 written, ");
        assertThat(first.outputFiles()).isEqualTo(second.outputFiles());
    }

    // --- precedence: annotation → values.yaml → values-<env>.yaml → -Agrowbin.image.tag ----------

    @Test
    void valuesOverrideAnnotationsAndTheBuildOptionOverridesTheImageTag() {
        JavaFileObject orders = source("OrdersApi", """
                @RestService(path = "/api/v1/orders", replicas = 2)
                public final class OrdersApi {}
                """);
        JavaFileObject carts = source("CartsApi", """
                @RestService(path = "/api/v1/carts", replicas = 2)
                public final class CartsApi {}
                """);
        GrowbinProject project = new GrowbinProject(root)
                .values("values.yaml", GrowbinProject.MINIMAL_VALUES + """
                        api:
                          rest:
                            users:
                              replicas: 3
                            carts:
                              replicas: 3
                        """)
                .values("values-dev.yaml", """
                        global:
                          image:
                            tag: "1.1.0"
                        api:
                          rest:
                            carts:
                              replicas: 4
                        """);

        assertThat(project.compile(orders, USERS, carts)).succeeded();

        assertThat(replicas(project, "orders")).isEqualTo(2);   // annotation
        assertThat(replicas(project, "users")).isEqualTo(3);    // values.yaml
        assertThat(replicas(project, "carts")).isEqualTo(4);    // values-dev.yaml
        assertThat(image(project, "orders")).isEqualTo("acme/shop:1.1.0");

        assertThat(project.compile(List.of("-Agrowbin.image.tag=abc123"), orders, USERS, carts)).succeeded();
        assertThat(image(project, "orders")).isEqualTo("acme/shop:abc123");
        assertThat(replicas(project, "carts")).isEqualTo(4);
    }

    @Test
    void anAutoscalerOwnsTheReplicaCount() {
        JavaFileObject scaled = source("WasteApi", """
                @RestService(path = "/api/v1/waste", replicas = 3)
                @Autoscaling(minReplicas = 3, maxReplicas = 10, targetCpuUtilization = 70)
                public final class WasteApi {}
                """);
        GrowbinProject project = GrowbinProject.minimal(root);

        assertThat(project.compile(scaled, USERS)).succeeded();

        JsonNode deployment = project.yaml("dev/api/rest/waste-deployment.yaml");
        assertThat(deployment.path("spec").has("replicas")).isFalse();
        JsonNode hpa = project.yaml("dev/api/rest/waste-hpa.yaml");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(3);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(10);
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("shop-api-rest-waste");
        // Without @Autoscaling: a fixed count and no HPA.
        assertThat(replicas(project, "users")).isEqualTo(2);
        assertThat(project.exists("dev/api/rest/users-hpa.yaml")).isFalse();
    }

    // --- disabled services -----------------------------------------------------------------------

    @Test
    void serviceDisabledInTheAnnotationEmitsNothing() {
        GrowbinProject project = GrowbinProject.minimal(root);

        Compilation compilation = project.compile(WASTE, USERS_DISABLED);

        assertThat(compilation).succeeded();
        // the Helm chart keeps the service's templates, switched off (api.rest.users.enabled: false), as a hand-written chart would
        assertThat(project.outputFiles().keySet().stream().filter(path -> path.contains("users") && !path.startsWith("helm/")).toList()).isEmpty();
        assertThat(project.read("dev/ingress/api-ingress.yaml")).doesNotContain("/api/v1/users");
        assertThat(project.read("dev/ingress/api-ingress.yaml")).contains("/api/v1/waste");
        assertThat(compilation).hadNoteContaining("disabled: rest/users");
    }

    @Test
    void serviceDisabledInOneOverlayIsMissingOnlyThere() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-prod.yaml", """
                api:
                  rest:
                    users:
                      enabled: false
                """);

        assertThat(project.compile(WASTE, USERS)).succeeded();

        assertThat(project.exists("dev/api/rest/users-deployment.yaml")).isTrue();
        assertThat(project.read("dev/ingress/api-ingress.yaml")).contains("/api/v1/users");
        assertThat(project.outputFiles().keySet().stream().filter(path -> path.startsWith("prod/") && path.contains("users")).toList()).isEmpty();
        assertThat(project.read("prod/ingress/api-ingress.yaml")).doesNotContain("/api/v1/users");
        assertThat(project.read("prod/kustomization.yaml")).doesNotContain("users");
    }

    // --- Service type follows the ingress --------------------------------------------------------

    @Test
    void albInInstanceModeNeedsNodePortServices() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: alb
                  annotations:
                    alb.ingress.kubernetes.io/target-type: instance
                """);
        assertThat(project.compile(WASTE)).succeeded();
        assertThat(project.yaml("dev/api/rest/waste-service.yaml").at("/spec/type").asText()).isEqualTo("NodePort");
    }

    @Test
    void albInIpModeUsesClusterIpServices() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: alb
                  annotations:
                    alb.ingress.kubernetes.io/target-type: ip
                """);
        assertThat(project.compile(WASTE)).succeeded();
        assertThat(project.yaml("dev/api/rest/waste-service.yaml").at("/spec/type").asText()).isEqualTo("ClusterIP");
    }

    @Test
    void otherIngressesUseClusterIpServices() {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(WASTE)).succeeded();
        assertThat(project.yaml("dev/api/rest/waste-service.yaml").at("/spec/type").asText()).isEqualTo("ClusterIP");
    }

    // --- the NOTE --------------------------------------------------------------------------------

    @Test
    void oneNotePerEnvironment() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-prod.yaml", "");

        Compilation compilation = project.compile(WASTE, USERS, VISION);

        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation).hadNoteContaining("growbin: " + project.output.resolve("dev")
                + "/: 2 REST services (users, waste), 1 workers (vision)");
        assertThat(compilation).hadNoteContaining("growbin: " + project.output.resolve("prod") + "/:");
        List<String> notes = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> note : compilation.notes()) {
            if (note.getMessage(null).startsWith("growbin: ")) {
                notes.add(note.getMessage(null));
            }
        }
        assertThat(notes).hasSize(2);
    }

    private static int replicas(GrowbinProject project, String restService) {
        JsonNode replicas = project.yaml("dev/api/rest/" + restService + "-deployment.yaml").at("/spec/replicas");
        assertThat(replicas.isMissingNode()).isFalse();
        return replicas.asInt();
    }

    private static String image(GrowbinProject project, String restService) {
        return project.yaml("dev/api/rest/" + restService + "-deployment.yaml").at("/spec/template/spec/containers/0/image").asText();
    }
}
