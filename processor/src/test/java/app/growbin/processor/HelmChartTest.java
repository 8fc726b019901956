package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart export, {@code <output>/helm/<app>/}: its layout, the split between values.yaml
 * (the application as the code and values.yaml describe it) and values-&lt;env&gt;.yaml (only what
 * an environment changes), the contract written into the templates, and ownership of the folder.
 * The byte-exact chart of a small application is in GoldenOutputTest (expected/shop/helm/); that
 * {@code helm template} renders the objects of k8s-out/&lt;env&gt;/ is checked after every successful
 * compile of every processor test ({@link GrowbinProject#assertChartRendersEveryEnvironment}).
 */
class HelmChartTest {

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste", replicas = 3)
            @Env(name = "B_FLAG", value = "on")
            @Env(name = "A_FLAG", value = "x")
            @NodeSelector(key = "workload", value = "application")
            @NodeSelector(key = "zone", value = "a")
            public final class WasteApi {}
            """);

    static final JavaFileObject RECYCLING_DISABLED = source("RecyclingApi", """
            @RestService(path = "/api/v1/recycling", enabled = false)
            public final class RecyclingApi {}
            """);

    static final JavaFileObject IMAGE_WORKER = source("ImageWorker", """
            @AsyncWorker(name = "image-resize", queue = "q.images", pool = Pool.PROCESSES, concurrency = 2, replicas = 2)
            @Autoscaling(minReplicas = 1, maxReplicas = 5, queueLength = 50)
            @SecretEnv(name = "OPENAI_API_KEY", secret = "openai-secrets", key = "api-key")
            public final class ImageWorker {
                @Task("images.resize") public String resize(String ref) { return ref; }
            }
            """);

    static final JavaFileObject MAIL_WORKER = source("MailWorker", """
            @AsyncWorker(queue = "q.mail", pool = Pool.THREADS, concurrency = 4)
            public final class MailWorker {
                @Task("mail.send") public void send(String to) { }
            }
            """);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path root;

    private GrowbinProject project() {
        return GrowbinProject.minimal(root)
                .values("values-dev.yaml", """
                        global:
                          environment: development
                        api:
                          rest:
                            waste:
                              replicas: 1
                              nodeSelector:
                                workload: dev
                              env:
                                A_FLAG: y
                          async:
                            image-resize:
                              autoscaling:
                                enabled: false
                        """)
                .values("values-prod.yaml", """
                        global:
                          environment: production
                        api:
                          async:
                            mail:
                              concurrency: 8
                        """);
    }

    @Test
    void chartIsLaidOutAsAHandWrittenChart() {
        GrowbinProject project = project();

        assertThat(project.compile(WASTE, RECYCLING_DISABLED, IMAGE_WORKER, MAIL_WORKER)).succeeded();

        List<String> chart = project.outputFiles().keySet().stream().filter(p -> p.startsWith("helm/")).toList();
        assertThat(chart).containsExactly(
                "helm/shop/Chart.yaml",
                "helm/shop/templates/_helpers.tpl",
                "helm/shop/templates/api/async/image-resize-deployment.yaml",
                "helm/shop/templates/api/async/image-resize-hpa.yaml",
                "helm/shop/templates/api/async/image-resize-pdb.yaml",
                "helm/shop/templates/api/async/image-resize-scaledobject.yaml",
                "helm/shop/templates/api/async/image-resize-vpa.yaml",
                "helm/shop/templates/api/async/mail-deployment.yaml",
                "helm/shop/templates/api/async/mail-hpa.yaml",
                "helm/shop/templates/api/async/mail-pdb.yaml",
                "helm/shop/templates/api/async/mail-vpa.yaml",
                "helm/shop/templates/api/rest/recycling-deployment.yaml",
                "helm/shop/templates/api/rest/recycling-hpa.yaml",
                "helm/shop/templates/api/rest/recycling-pdb.yaml",
                "helm/shop/templates/api/rest/recycling-service.yaml",
                "helm/shop/templates/api/rest/recycling-vpa.yaml",
                "helm/shop/templates/api/rest/waste-deployment.yaml",
                "helm/shop/templates/api/rest/waste-hpa.yaml",
                "helm/shop/templates/api/rest/waste-pdb.yaml",
                "helm/shop/templates/api/rest/waste-service.yaml",
                "helm/shop/templates/api/rest/waste-vpa.yaml",
                "helm/shop/templates/infrastructure/configmap.yaml",
                "helm/shop/templates/infrastructure/externalsecrets.yaml",
                "helm/shop/templates/infrastructure/keda-triggerauthentication.yaml",
                "helm/shop/templates/infrastructure/networkpolicy.yaml",
                "helm/shop/templates/ingress/api-httproute.yaml",
                "helm/shop/templates/ingress/api-ingress.yaml",
                "helm/shop/templates/monitoring/grafana-dashboard.yaml",
                "helm/shop/templates/monitoring/podmonitor.yaml",
                "helm/shop/templates/monitoring/prometheusrule-slo.yaml",
                "helm/shop/templates/monitoring/prometheusrule.yaml",
                "helm/shop/templates/monitoring/servicemonitor.yaml",
                "helm/shop/values-dev.yaml",
                "helm/shop/values-prod.yaml",
                "helm/shop/values.schema.json",
                "helm/shop/values.yaml").inOrder();
        for (String file : chart) {
            String text = project.read(file);
            assertThat(text).contains("Generated by Growbin");
        }
        assertThat(project.read("helm/shop/templates/api/async/mail-deployment.yaml")).startsWith("{{- /*\nGenerated by Growbin from test.MailWorker.");
        assertThat(project.read("helm/shop/Chart.yaml")).contains("apiVersion: v2\nname: shop\n");
        assertThat(project.read("helm/shop/Chart.yaml")).contains("appVersion: \"1.0.0\"");
    }

    @Test
    void valuesHoldTheOperationsAndEachEnvironmentOnlyWhatItChanges() throws IOException {
        GrowbinProject project = project();

        assertThat(project.compile(WASTE, RECYCLING_DISABLED, IMAGE_WORKER, MAIL_WORKER)).succeeded();

        JsonNode values = YAML.readTree(project.read("helm/shop/values.yaml"));
        assertThat(com.google.common.collect.ImmutableList.copyOf(values.fieldNames())).containsExactly("global", "celery", "openai", "ingress", "secrets", "monitoring", "observability", "networkPolicy", "api").inOrder();
        JsonNode waste = values.at("/api/rest/waste");
        assertEquals(3, waste.get("replicas").asInt());
        assertEquals("application", waste.at("/nodeSelector/workload").asText());
        assertThat(waste.has("path")).isFalse(); // the contract is in the templates
        assertThat(waste.has("port")).isFalse();
        assertEquals(false, values.at("/api/rest/recycling/enabled").asBoolean(true));
        assertEquals(50, values.at("/api/async/image-resize/autoscaling/queueLength").asInt());
        assertThat(values.at("/api/async/mail/autoscaling").has("queueLength")).isFalse(); // no KEDA template for mail
        assertThat(values.at("/api/async/image-resize").has("queue")).isFalse();
        assertThat(values.at("/global").has("instance")).isFalse(); // the release name, unless an environment says

        assertEquals("""
                # Generated by Growbin from values-dev.yaml of shop.
                # Do not edit: change the annotations or the values files and run `mvn compile`.
                # What the dev environment changes in values.yaml (null removes a key).

                global:
                  instance: shop-dev
                  environment: development
                api:
                  rest:
                    waste:
                      replicas: 1
                      nodeSelector:
                        workload: dev
                        zone: null
                      env:
                        A_FLAG: "y"
                  async:
                    image-resize:
                      autoscaling:
                        enabled: false
                """, project.read("helm/shop/values-dev.yaml"));
        assertEquals("""
                # Generated by Growbin from values-prod.yaml of shop.
                # Do not edit: change the annotations or the values files and run `mvn compile`.
                # What the prod environment changes in values.yaml (null removes a key).

                global:
                  instance: shop-prod
                  environment: production
                api:
                  async:
                    mail:
                      concurrency: 8
                """, project.read("helm/shop/values-prod.yaml"));
    }

    @Test
    void templatesCarryTheContractOfTheCode() {
        GrowbinProject project = project();

        // compile() also renders the chart with Helm for dev and prod and compares every object with dev/ and prod/
        assertThat(project.compile(WASTE, RECYCLING_DISABLED, IMAGE_WORKER, MAIL_WORKER)).succeeded();

        String worker = project.read("helm/shop/templates/api/async/image-resize-deployment.yaml");
        assertThat(worker).contains("{{- if index $.Values.api.async \"image-resize\" \"enabled\" }}");
        assertThat(worker).contains("name: QUEUE_NAME\n              value: q.images");
        assertThat(worker).contains("name: WORKER_POOL\n              value: PROCESSES");
        assertThat(worker).contains("value: {{ toString (int (index $.Values.api.async \"image-resize\" \"concurrency\")) | toJson }}");
        assertThat(worker).contains("key: api-key\n                  name: openai-secrets");
        assertThat(worker).contains("- worker\n            - image-resize\n");
        String rest = project.read("helm/shop/templates/api/rest/waste-deployment.yaml");
        // annotation variables in their order unless the values replace them, then the values' variables
        assertThat(rest).contains("{{- if not (hasKey (default (dict) $.Values.api.rest.waste.env) \"B_FLAG\") }}");
        assertThat(rest).contains("{{- range $name, $value := $.Values.api.rest.waste.env }}");
        assertThat(rest.indexOf("B_FLAG")).isLessThan(rest.indexOf("A_FLAG"));
        assertThat(rest.indexOf("A_FLAG")).isLessThan(rest.indexOf("range $name"));
        assertThat(rest).contains("containerPort: 8080");
        String ingress = project.read("helm/shop/templates/ingress/api-ingress.yaml");
        assertThat(ingress).contains("{{- if and $.Values.ingress.enabled (or $.Values.api.rest.recycling.enabled $.Values.api.rest.waste.enabled) "
                + "(eq $.Values.ingress.kind \"ingress\") }}");
        assertThat(ingress.indexOf("/api/v1/recycling")).isLessThan(ingress.indexOf("/api/v1/waste"));
        assertThat(project.read("helm/shop/templates/api/async/image-resize-scaledobject.yaml")).contains("queueName: q.images");
        assertThat(project.exists("helm/shop/templates/api/async/mail-scaledobject.yaml")).isFalse();
        String schema = project.read("helm/shop/values.schema.json");
        assertThat(schema).contains("\"additionalProperties\" : false");
        assertThat(schema).contains("\"image-resize\"");
    }

    @Test
    void processorOwnsTheChartFolder() {
        GrowbinProject project = project();
        assertThat(project.compile(WASTE, RECYCLING_DISABLED, IMAGE_WORKER, MAIL_WORKER)).succeeded();
        SortedMap<String, String> first = project.outputFiles();

        assertThat(project.compile(WASTE, RECYCLING_DISABLED, IMAGE_WORKER, MAIL_WORKER)).succeeded();
        assertEquals(first, project.outputFiles(), "the same input writes the same chart");

        project.deleteValues("values-prod.yaml").values("values-dev.yaml", "");
        assertThat(project.compile(WASTE, MAIL_WORKER)).succeeded();
        SortedMap<String, String> after = project.outputFiles();
        assertThat(after.keySet().stream().filter(p -> p.startsWith("helm/") && (p.contains("image-resize") || p.contains("recycling")
                || p.contains("keda") || p.contains("values-prod"))).toList()).isEmpty();
        assertThat(after).containsKey("helm/shop/templates/api/async/mail-deployment.yaml");
        assertThat(after.get("helm/shop/values.yaml")).doesNotContain("image-resize");
    }
}
