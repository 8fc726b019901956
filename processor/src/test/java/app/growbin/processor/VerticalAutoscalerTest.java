package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code api.<kind>.<name>.verticalPodAutoscaler.enabled}: a VerticalPodAutoscaler in recommendation mode. */
class VerticalAutoscalerTest {

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste")
            @Autoscaling(minReplicas = 2, maxReplicas = 6)
            public final class WasteApi {}
            """);
    static final JavaFileObject VISION = source("VisionWorker", """
            @AsyncWorker(queue = "q.vision")
            public final class VisionWorker {
                @Task("vision.classify") public String classify(String ref) { return ref; }
            }
            """);

    @TempDir
    Path root;

    @Test
    void recommendationModeForTheServicesThatAskForIt() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  rest:
                    waste:
                      verticalPodAutoscaler:
                        enabled: true
                """);
        assertThat(project.compile(WASTE, VISION)).succeeded();
        JsonNode vpa = project.yaml("dev/api/rest/waste-vpa.yaml");
        assertThat(vpa.at("/apiVersion").asText()).isEqualTo("autoscaling.k8s.io/v1");
        assertThat(vpa.at("/kind").asText()).isEqualTo("VerticalPodAutoscaler");
        assertThat(vpa.at("/metadata/name").asText()).isEqualTo("shop-api-rest-waste");
        assertThat(vpa.at("/spec/targetRef/apiVersion").asText()).isEqualTo("apps/v1");
        assertThat(vpa.at("/spec/targetRef/kind").asText()).isEqualTo("Deployment");
        assertThat(vpa.at("/spec/targetRef/name").asText()).isEqualTo("shop-api-rest-waste");
        assertThat(vpa.at("/spec/resourcePolicy/containerPolicies/0/containerName").asText()).isEqualTo("waste");
        assertThat(vpa.at("/spec/resourcePolicy/containerPolicies/0/controlledResources").toString()).isEqualTo("[\"cpu\",\"memory\"]");
        // "Off" is quoted: unquoted, YAML 1.1 readers such as kubectl's would read the boolean false.
        assertThat(project.read("dev/api/rest/waste-vpa.yaml")).contains("updateMode: \"Off\"");
        assertThat(project.read("dev/kustomization.yaml")).contains("api/rest/waste-vpa.yaml");
        assertThat(project.exists("dev/api/async/vision-vpa.yaml")).isFalse();
        // The HPA stays: a recommender in Off mode never changes pods.
        assertThat(project.exists("dev/api/rest/waste-hpa.yaml")).isTrue();
        assertThat(project.exists("helm/shop/templates/api/async/vision-vpa.yaml")).isTrue();
    }

    @Test
    void aDisabledServiceHasNone() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  async:
                    vision:
                      enabled: false
                      verticalPodAutoscaler:
                        enabled: true
                """);
        assertThat(project.compile(WASTE, VISION)).succeeded();
        assertThat(project.exists("dev/api/async/vision-vpa.yaml")).isFalse();
    }

    @Test
    void theSettingIsABoolean() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  rest:
                    waste:
                      verticalPodAutoscaler:
                        enabled: sometimes
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:values-type] values-dev.yaml:5: 'api.rest.waste.verticalPodAutoscaler.enabled' must be true or false");
    }
}
