package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An environment's own files, {@code <config>/<env>/patches/} and {@code <config>/<env>/resources/}:
 * carried into {@code <output>/<env>/} and listed in its kustomization.yaml, a JSON 6902 patch with the
 * target its file name gives; a patch that matches no object of the environment fails the compile,
 * naming the file and the target. The chart holds the generated objects only; the check after every
 * compile ({@link GrowbinProject#assertChartRendersEveryEnvironment}) compares it with them.
 */
class EnvironmentFilesTest {

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste")
            public final class WasteApi {}
            """);
    static final JavaFileObject VISION = source("VisionWorker", """
            @AsyncWorker(queue = "q.vision")
            public final class VisionWorker {
                @Task("vision.classify") public String classify(String ref) { return ref; }
            }
            """);

    static final String TOLERATIONS = """
            # Vision runs on spot nodes in dev.
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shop-api-async-vision
            spec:
              template:
                spec:
                  tolerations:
                    - key: spot
                      operator: Exists
                      effect: NoSchedule
            """;
    static final String PRIORITY = """
            - op: add
              path: /spec/template/spec/priorityClassName
              value: shop-low
            """;
    static final String QUOTA = """
            apiVersion: v1
            kind: ResourceQuota
            metadata:
              name: shop-quota
            spec:
              hard:
                requests.cpu: "8"
            ---
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata:
              name: shop-low
            value: 100
            """;

    @TempDir
    Path root;

    @Test
    void patchesAndResourcesAreCarriedAndListed() {
        GrowbinProject project = GrowbinProject.minimal(root)
                .configFile("dev/patches/vision-tolerations.yaml", TOLERATIONS)
                .configFile("dev/patches/Deployment.shop-api-rest-waste.yaml", PRIORITY)
                .configFile("dev/resources/quota.yaml", QUOTA);
        assertThat(project.compile(WASTE, VISION)).succeeded();

        assertThat(project.read("dev/patches/vision-tolerations.yaml")).isEqualTo("# Carried by Growbin from dev/patches/vision-tolerations.yaml"
                + " of the values folder.\n# Do not edit: change that file and run `mvn compile`.\n" + TOLERATIONS);
        assertThat(project.read("dev/resources/quota.yaml")).endsWith(QUOTA);
        JsonNode kustomization = project.yaml("dev/kustomization.yaml");
        assertThat(kustomization.at("/resources").toString()).contains("\"resources/quota.yaml\"");
        assertThat(kustomization.at("/resources").toString()).doesNotContain("patches/");
        assertThat(kustomization.at("/patches").toString()).isEqualTo("[{\"path\":\"patches/Deployment.shop-api-rest-waste.yaml\","
                + "\"target\":{\"group\":\"apps\",\"kind\":\"Deployment\",\"name\":\"shop-api-rest-waste\",\"version\":\"v1\"}},"
                + "{\"path\":\"patches/vision-tolerations.yaml\"}]");
        // The generated objects stay as generated: kustomize applies the patches.
        assertThat(project.read("dev/api/async/vision-deployment.yaml")).doesNotContain("tolerations");
        // Only the environment that has them carries them; the chart has neither.
        assertThat(project.read("dev/kustomization.yaml")).contains("patches:");
        assertThat(project.outputFiles().keySet().stream().filter(f -> f.startsWith("helm/") && (f.contains("patches") || f.contains("quota")))
                .toList()).isEmpty();
    }

    @Test
    void aJsonPatchMayTargetACarriedResource() {
        GrowbinProject project = GrowbinProject.minimal(root)
                .configFile("dev/resources/quota.yaml", QUOTA)
                .configFile("dev/patches/ResourceQuota.shop-quota.yaml", """
                        - op: replace
                          path: /spec/hard/requests.cpu
                          value: "4"
                        """);
        assertThat(project.compile(WASTE)).succeeded();
        assertThat(project.yaml("dev/kustomization.yaml").at("/patches/0/target").toString())
                .isEqualTo("{\"kind\":\"ResourceQuota\",\"name\":\"shop-quota\",\"version\":\"v1\"}");
    }

    @Test
    void aPatchOfNoObjectFailsNamingTheFileAndTheTarget() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/vision-tolerations.yaml", TOLERATIONS);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:patch-target] vision-tolerations.yaml:2: the patch dev/patches/vision-tolerations.yaml "
                + "targets Deployment/shop-api-async-vision (apps/v1), which is no object of environment 'dev'; its Deployment objects are "
                + "Deployment/shop-api-rest-waste (apps/v1)");
        project.assertNothingWritten();
    }

    @Test
    void aJsonPatchOfAMisspelledObject() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/Deployment.shop-api-rest-wast.yaml", PRIORITY);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:patch-target] Deployment.shop-api-rest-wast.yaml:1: the patch "
                + "dev/patches/Deployment.shop-api-rest-wast.yaml targets Deployment/shop-api-rest-wast, which is no object of environment 'dev'");
        project.assertNothingWritten();
    }

    @Test
    void aPatchOfAKindTheFolderDoesNotHave() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/StatefulSet.db.yaml", PRIORITY);
        assertThat(project.compile(WASTE)).hadErrorContaining("which is no object of environment 'dev'; the folder has no StatefulSet; its kinds are ConfigMap, Deployment");
    }

    @Test
    void aJsonPatchNeedsItsTargetInItsFileName() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/priority.yaml", PRIORITY);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:carried-file] priority.yaml:1: dev/patches/priority.yaml is a JSON 6902 patch "
                + "(a list of operations), whose target its file name gives: name it <Kind>.<object name>.yaml");
        project.assertNothingWritten();
    }

    @Test
    void badJsonPatchOperationsArePointedAt() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/Deployment.shop-api-rest-waste.yaml", """
                - op: add
                  path: /spec/template/spec/priorityClassName
                - op: upsert
                  path: /spec/replicas
                - op: move
                  path: /metadata/labels/x
                - op: remove
                  path: spec/replicas
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:carried-file] Deployment.shop-api-rest-waste.yaml:1: dev/patches/Deployment.shop-api-rest-waste.yaml: "
                + "the add operation needs a value");
        assertThat(compilation).hadErrorContaining("Deployment.shop-api-rest-waste.yaml:3: dev/patches/Deployment.shop-api-rest-waste.yaml: op must be one of "
                + "add, copy, move, remove, replace, test, not 'upsert'");
        assertThat(compilation).hadErrorContaining("Deployment.shop-api-rest-waste.yaml:5: dev/patches/Deployment.shop-api-rest-waste.yaml: the move "
                + "operation needs from");
        assertThat(compilation).hadErrorContaining("Deployment.shop-api-rest-waste.yaml:7: dev/patches/Deployment.shop-api-rest-waste.yaml: the remove "
                + "operation needs a path, a JSON pointer");
        project.assertNothingWritten();
    }

    @Test
    void aStrategicMergePatchWithoutItsTarget() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/tolerations.yaml", """
                spec:
                  template:
                    spec:
                      tolerations: []
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:carried-file] tolerations.yaml:1: dev/patches/tolerations.yaml is a strategic-merge "
                + "patch without its target: give it the apiVersion, kind and metadata.name of the object it changes");
    }

    @Test
    void onePatchPerFile() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/two.yaml", TOLERATIONS + "---\n" + TOLERATIONS);
        assertThat(project.compile(WASTE)).hadErrorContaining("dev/patches/two.yaml holds 2 documents; a patch file holds one patch");
    }

    @Test
    void resourcesAreObjectsDeclaredOnce() {
        GrowbinProject project = GrowbinProject.minimal(root)
                .configFile("dev/resources/quota.yaml", QUOTA)
                .configFile("dev/resources/more.yaml", """
                        apiVersion: v1
                        kind: ResourceQuota
                        metadata:
                          name: shop-quota
                        ---
                        kind: LimitRange
                        metadata:
                          name: shop-limits
                        """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:carried-file] quota.yaml:1: dev/resources/quota.yaml declares ResourceQuota/shop-quota again (also in dev/resources/more.yaml)");
        assertThat(compilation).hadErrorContaining("[growbin:carried-file] more.yaml:6: dev/resources/more.yaml: every document of resources/ is one Kubernetes object "
                + "with apiVersion, kind and metadata.name");
        project.assertNothingWritten();
    }

    @Test
    void aResourceMayNotRedeclareAGeneratedObject() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/resources/config.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: shop-config
                data:
                  X: "1"
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:carried-file] config.yaml:1: dev/resources/config.yaml declares ConfigMap/shop-config, "
                + "which Growbin generates already; change the generated one with a file in patches/ instead");
        project.assertNothingWritten();
    }

    @Test
    void aFolderOfNoEnvironmentAndStrayFiles() {
        GrowbinProject project = GrowbinProject.minimal(root)
                .configFile("staging/patches/x.yaml", TOLERATIONS)
                .configFile("dev/overlays/x.yaml", TOLERATIONS)
                .configFile("dev/resources/notes.txt", "hello");
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:carried-file] -Agrowbin.config: the folder staging/ of the configuration folder belongs to no "
                + "environment: there is no values-staging.yaml");
        assertThat(compilation).hadErrorContaining("[growbin:carried-file] -Agrowbin.config: dev/overlays is not read: an environment's folder holds only patches/");
        assertThat(compilation).hadErrorContaining("[growbin:carried-file] notes.txt:1: dev/resources/notes.txt is not a .yaml or .yml file");
        project.assertNothingWritten();
    }

    @Test
    void malformedPatchYaml() {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/bad.yaml", "kind: [Deployment\n");
        assertThat(project.compile(WASTE)).hadErrorContaining("[growbin:values-syntax] bad.yaml:");
        project.assertNothingWritten();
    }

    @Test
    void aRemovedPatchLeavesTheFolder() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root).configFile("dev/patches/Deployment.shop-api-rest-waste.yaml", PRIORITY);
        assertThat(project.compile(WASTE)).succeeded();
        assertThat(project.exists("dev/patches/Deployment.shop-api-rest-waste.yaml")).isTrue();
        Files.delete(project.config.resolve("dev/patches/Deployment.shop-api-rest-waste.yaml"));
        assertThat(project.compile(WASTE)).succeeded();
        assertThat(project.exists("dev/patches")).isFalse();
        assertThat(project.read("dev/kustomization.yaml")).doesNotContain("patches");
    }
}
