package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.contract.MetricFamily;
import app.growbin.contract.Metrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promtool tests the processor writes beside the environments ({@code <output>-tests/<env>.test.yaml}, beside the output folder):
 * one case where each alert fires and one where it stays quiet, series made of the runtime contract's
 * metric names and labels only; promtool passes them against the generated rules, and fails them
 * when a rule no longer applies the values the tests were generated for.
 */
class AlertTestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SERIES = Pattern.compile("([a-z_]+)\\{(.*)}");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

    static final JavaFileObject SHOP = source("ShopApi", """
            @RestService(path = "/api/v1/shop", replicas = 2)
            public final class ShopApi {}
            """);
    static final JavaFileObject THUMBNAILS = source("ThumbnailWorker", """
            @AsyncWorker(queue = "q.thumbnails")
            public final class ThumbnailWorker {
                @Task("thumbnails.make") public String make(String image) { return image; }
            }
            """);

    @TempDir
    Path root;

    @Test
    void everyAlertHasAFiringAndAQuietCaseOnTheContractsSeries() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-prod.yaml", """
                monitoring:
                  alerts:
                    errorRateThreshold: 0.01
                    latencyP95Seconds: 0.25
                    for: 10m
                """);
        assertThat(project.compile(SHOP, THUMBNAILS)).succeeded();

        for (String environment : List.of("dev", "prod")) {
            Set<String> alerts = new TreeSet<>();
            project.yaml(environment + "/monitoring/prometheusrule.yaml").at("/spec/groups")
                    .forEach(group -> group.path("rules").forEach(rule -> alerts.add(rule.path("alert").asText())));
            assertThat(alerts).containsExactly("DeadLetterQueueNotEmpty", "ShopHighErrorRate", "ShopHighLatency", "ThumbnailsQueueHigh");

            JsonNode tests = project.yamlTest(environment + ".test.yaml");
            Map<String, int[]> cases = new HashMap<>();
            for (JsonNode group : tests.path("tests")) {
                for (JsonNode test : group.path("alert_rule_test")) {
                    int[] count = cases.computeIfAbsent(test.path("alertname").asText(), a -> new int[2]);
                    count[test.path("exp_alerts").isEmpty() ? 1 : 0]++;
                }
                for (JsonNode series : group.path("input_series")) {
                    assertSeriesOfTheContract(series.path("series").asText());
                }
            }
            assertEquals(alerts, cases.keySet(), environment + ": the alerts tested");
            cases.forEach((alert, count) -> {
                assertThat(count[0]).isAtLeast(1);
                assertThat(count[1]).isAtLeast(1);
            });
        }
        String prod = project.readTest("prod.test.yaml");
        assertThat(prod).contains("eval_time: 11m");
        assertThat(prod).contains("1.01% of the requests to /api/v1/shop failed");
        assertThat(prod).contains("The 95th percentile latency of /api/v1/shop is 291.7ms (threshold 0.25s).");
    }

    @Test
    void promtoolPassesThemAndFailsThemWhenARuleStopsApplyingItsValues() throws Exception {
        Path promtool = promtool();
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(SHOP, THUMBNAILS)).succeeded();
        Path tests = Files.createDirectories(root.resolve("promtool"));
        String generatedTests = project.readTest("dev.test.yaml");
        String rules = project.read("dev/monitoring/prometheusrule.yaml");
        assertEquals("", promtoolTest(promtool, tests, rules, generatedTests));

        // each change of a threshold or of for: in the rules breaks a generated test
        Map<String, String> mutations = Map.of(
                "error ratio up", rules.replace("> 0.05", "> 0.06"),
                "error ratio down", rules.replace("> 0.05", "> 0.04"),
                "latency up", rules.replaceAll("(?m)> 1$", "> 1.2"),
                "latency down", rules.replaceAll("(?m)> 1$", "> 0.98"),
                "queue up", rules.replace("\\\"q.thumbnails\\\"}) > 1000", "\\\"q.thumbnails\\\"}) > 1001"),
                "queue down", rules.replace("\\\"q.thumbnails\\\"}) > 1000", "\\\"q.thumbnails\\\"}) > 999"),
                "for longer", rules.replace("for: 5m", "for: 6m"),
                "for shorter", rules.replace("for: 5m", "for: 4m"),
                "metric renamed", rules.replace("rabbitmq_queue_messages_ready", "rabbitmq_queue_messages"));
        for (Map.Entry<String, String> mutation : mutations.entrySet()) {
            assertThat(mutation.getValue()).isNotEqualTo(rules);
            assertWithMessage(mutation.getKey()).that(promtoolTest(promtool, tests, mutation.getValue(), generatedTests)).contains("FAILED");
        }
    }

    @Test
    void theTestsAreBesideTheOutputFolderAndTheirOldFolderInItIsRemoved() throws java.io.IOException {
        GrowbinProject project = GrowbinProject.minimal(root);
        // an output folder generated by an earlier version, with the tests inside it
        java.nio.file.Path old = java.nio.file.Files.createDirectories(project.output.resolve("rule-tests"));
        java.nio.file.Files.writeString(old.resolve("dev.test.yaml"), "# Generated by Growbin from an earlier version.\ntests: []\n");
        java.nio.file.Files.writeString(old.resolve("qa.test.yaml"), "# Generated by Growbin from an earlier version.\ntests: []\n");

        com.google.testing.compile.Compilation compilation = project.compile(SHOP);

        assertThat(compilation).succeeded();
        assertThat(compilation).hadNoteContaining("growbin: removed " + project.output.resolve("rule-tests") + "/: the alerts' promtool tests are in "
                + project.tests + "/ now");
        assertThat(project.exists("rule-tests")).isFalse();
        assertThat(project.testFiles().keySet()).containsExactly("dev.test.yaml");
        assertThat(project.readTest("dev.test.yaml")).contains("alertname: ");
        assertThat(project.outputFiles().keySet().stream().filter(path -> path.contains("test")).toList()).isEmpty();
    }

    @Test
    void theTestsOfARemovedEnvironmentAreRemoved() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-qa.yaml", "");
        assertThat(project.compile(SHOP)).succeeded();
        assertThat(project.existsTest("qa.test.yaml")).isTrue();
        project.deleteValues("values-qa.yaml");
        assertThat(project.compile(SHOP)).succeeded();
        assertThat(project.existsTest("qa.test.yaml")).isFalse();
        assertThat(project.existsTest("dev.test.yaml")).isTrue();
    }

    /** Every series names a metric family of the runtime contract with exactly its labels ({@code le} for buckets). */
    private static void assertSeriesOfTheContract(String series) {
        Matcher matcher = SERIES.matcher(series);
        assertThat(matcher.matches()).isTrue();
        String name = matcher.group(1);
        List<String> labels = new ArrayList<>();
        Matcher label = LABEL.matcher(matcher.group(2));
        while (label.find()) {
            labels.add(label.group(1));
        }
        for (MetricFamily family : Metrics.ALL) {
            if (family.name().equals(name)) {
                assertEquals(family.labels(), labels, series);
                return;
            }
            if (family.type() == MetricFamily.Type.HISTOGRAM && family.bucketSeries().equals(name)) {
                List<String> expected = new ArrayList<>(family.labels());
                expected.add("le");
                assertEquals(expected, labels, series);
                return;
            }
        }
        throw new AssertionError(series + " is no metric of app.growbin.contract.Metrics");
    }

    private static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Assumptions.assumeTrue(false, "promtool is not installed (scripts/install-tools.sh installs it)");
        return null;
    }

    /** promtool's report, or "" when the tests pass. */
    private static String promtoolTest(Path promtool, Path folder, String prometheusRule, String tests) throws Exception {
        JsonNode rule = YAML.readTree(prometheusRule);
        ObjectNode rulesFile = YAML.createObjectNode();
        rulesFile.set("groups", rule.at("/spec/groups"));
        Files.writeString(folder.resolve("rules.yaml"), YAML.writeValueAsString(rulesFile), StandardCharsets.UTF_8);
        ObjectNode test = (ObjectNode) YAML.readTree(tests);
        ArrayNode ruleFiles = test.putArray("rule_files");
        ruleFiles.add("rules.yaml");
        Files.writeString(folder.resolve("test.yaml"), YAML.writeValueAsString(test), StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(promtool.toString(), "test", "rules", "test.yaml").directory(folder.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0 ? "" : output;
    }
}
