package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated Grafana dashboard: a ConfigMap per environment that Grafana's sidecar loads, with a row
 * per enabled REST service and worker and the dead-letter queue, each query the same PromQL as the
 * alert on that quantity. (After every compile, {@link GrowbinProject} also renders the chart with Helm:
 * the dashboard JSON Helm writes with toPrettyJson equals the Java text byte for byte.)
 */
class DashboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste")
            public final class WasteApi {}
            """);
    static final JavaFileObject USERS = source("UsersApi", """
            @RestService(path = "/api/v1/users")
            public final class UsersApi {}
            """);
    static final JavaFileObject VISION = source("VisionWorker", """
            @AsyncWorker(queue = "q.vision")
            public final class VisionWorker {
                @Task("vision.classify") public String classify(String image) { return image; }
            }
            """);

    @Test
    void everyEnabledServiceAndWorkerHasItsPanelsWithTheAlertsQueries() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                monitoring:
                  dashboards:
                    folder: Growbin
                  alerts:
                    deadLetterQueue: "dead&letters<1>"
                api:
                  rest:
                    users:
                      enabled: false
                  async:
                    vision:
                      queueDepthThreshold: 250
                """);
        assertThat(project.compile(WASTE, USERS, VISION)).succeeded();

        JsonNode map = project.yaml("dev/monitoring/grafana-dashboard.yaml");
        assertThat(map.at("/kind").asText()).isEqualTo("ConfigMap");
        assertThat(map.at("/metadata/name").asText()).isEqualTo("shop-dashboard");
        assertThat(map.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(map.at("/metadata/annotations/grafana_folder").asText()).isEqualTo("Growbin");
        assertThat(map.at("/data").size()).isEqualTo(1);
        JsonNode dashboard = JSON.readTree(map.at("/data/shop-dev.json").asText());
        assertThat(dashboard.at("/uid").asText()).isEqualTo("shop-dev");
        assertThat(dashboard.at("/title").asText()).isEqualTo("shop-dev");
        assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");

        Map<String, JsonNode> panels = new LinkedHashMap<>();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode panel : dashboard.at("/panels")) {
            panels.put(panel.path("title").asText(), panel);
            ids.add(panel.path("id").asInt());
        }
        assertThat(ids).containsNoDuplicates();
        assertThat(panels.keySet()).containsExactly(
                "Dead-letter queue", "Ready messages in the dead-letter queue",
                "REST waste (/api/v1/waste)", "waste: requests per second", "waste: 5xx ratio", "waste: p95 latency",
                "Worker vision (q.vision)", "vision: queue depth", "vision: tasks per second by state", "vision: run time",
                "vision: failures per second", "vision: retries per second").inOrder();

        JsonNode alerts = project.yaml("dev/monitoring/prometheusrule.yaml").at("/spec/groups");
        assertThat(query(panels.get("waste: 5xx ratio"), 0)).isEqualTo(condition(alerts, "WasteHighErrorRate"));
        assertThat(query(panels.get("waste: p95 latency"), 0)).isEqualTo(condition(alerts, "WasteHighLatency"));
        assertThat(query(panels.get("vision: queue depth"), 0)).isEqualTo(condition(alerts, "VisionQueueHigh"));
        assertThat(query(panels.get("Ready messages in the dead-letter queue"), 0)).isEqualTo(condition(alerts, "DeadLetterQueueNotEmpty"));
        assertThat(query(panels.get("waste: requests per second"), 0)).isEqualTo("sum(rate(http_requests_total{service=\"waste\"}[5m]))");
        assertThat(query(panels.get("vision: tasks per second by state"), 0))
                .isEqualTo("sum by (state) (rate(growbin_worker_tasks_total{service=\"vision\"}[5m]))");
        assertThat(query(panels.get("vision: failures per second"), 0))
                .isEqualTo("sum by (task) (rate(growbin_worker_tasks_total{service=\"vision\",state=\"failed\"}[5m]))");
        assertThat(query(panels.get("vision: retries per second"), 0))
                .isEqualTo("sum by (task) (rate(growbin_worker_tasks_total{service=\"vision\",state=\"retried\"}[5m]))");
        assertThat(query(panels.get("vision: run time"), 1)).isEqualTo(
                "histogram_quantile(0.95, sum by (le) (rate(growbin_worker_task_duration_seconds_bucket{service=\"vision\"}[5m])))");

        // each alert's threshold is the panel's red line
        assertThat(panels.get("waste: 5xx ratio").at("/fieldConfig/defaults/thresholds/steps/1/value").asDouble()).isEqualTo(0.05);
        assertThat(panels.get("vision: queue depth").at("/fieldConfig/defaults/thresholds/steps/1/value").asInt()).isEqualTo(250);
        assertThat(panels.get("vision: run time").at("/fieldConfig/defaults/thresholds/steps").size()).isEqualTo(1);
        assertThat(panels.get("vision: run time").at("/fieldConfig/defaults/thresholds/steps/0/value").isNull()).isTrue();
        // text Go's JSON encoder escapes: the Java text is the same (the chart comparison checks it byte for byte)
        assertThat(map.at("/data/shop-dev.json").asText()).contains("waiting in dead\\u0026letters\\u003c1\\u003e.");
    }

    @Test
    void theDashboardCanBeSwitchedOffPerEnvironment() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-prod.yaml", """
                global:
                  environment: production
                monitoring:
                  dashboards:
                    enabled: false
                """);
        assertThat(project.compile(WASTE, VISION)).succeeded();

        assertThat(project.exists("dev/monitoring/grafana-dashboard.yaml")).isTrue();
        assertThat(project.yaml("dev/monitoring/grafana-dashboard.yaml").at("/metadata/annotations").isMissingNode()).isTrue();
        assertThat(project.read("dev/kustomization.yaml")).contains("monitoring/grafana-dashboard.yaml");
        assertThat(project.exists("prod/monitoring/grafana-dashboard.yaml")).isFalse();
        assertThat(project.read("prod/kustomization.yaml")).doesNotContain("grafana-dashboard");
        assertThat(project.read("helm/shop/values-prod.yaml")).contains("dashboards:\n    enabled: false");
    }

    /** The query of a panel's target. */
    private static String query(JsonNode panel, int target) {
        return panel.at("/targets/" + target + "/expr").asText();
    }

    /** What an alert compares with its threshold: its expression up to the comparison. */
    private static String condition(JsonNode groups, String alert) {
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("alert").asText().equals(alert)) {
                    String expression = rule.path("expr").asText();
                    return expression.substring(0, expression.lastIndexOf(" > ")).stripTrailing();
                }
            }
        }
        throw new AssertionError("no alert " + alert);
    }
}
