package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated SLO rules and their generated tests, run by promtool ({@code check rules} and
 * {@code test rules}), as {@code manifest-check prom-rules} and {@code prom-test} run them: for three
 * objectives (99.5 % with a 2.5 s latency threshold, 99.9 % with a whole-second threshold, and 93.5 %,
 * where the page's burn rate is nearly every request failing), every alert fires and stays quiet where
 * its test says. The tests are built from the model and the runtime contract, not from the rules: run
 * against the rules of another objective, they fail.
 *
 * <p>promtool: {@code $PROMTOOL}, else {@code tools/manifest-check/.cache/promtool}, else the PATH
 * ({@code scripts/install-tools.sh} installs it).
 */
class SloPromtoolTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path root;

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste")
            @Slo(availability = 99.5, latencyPercentile = 99, latencyThresholdSeconds = 2.5)
            public final class WasteApi {}
            """);
    static final JavaFileObject USERS = source("UsersApi", """
            @RestService(path = "/api/v1/users")
            @Slo(availability = 99.9, latencyPercentile = 95, latencyThresholdSeconds = 1)
            public final class UsersApi {}
            """);
    static final JavaFileObject AUTH = source("AuthApi", """
            @RestService(path = "/api/v1/auth")
            @Slo(availability = 93.5)
            public final class AuthApi {}
            """);
    static final JavaFileObject VISION = source("VisionWorker", """
            @AsyncWorker(queue = "q.vision")
            public final class VisionWorker {
                @Task("vision.classify") public String classify(String image) { return image; }
            }
            """);

    @Test
    void everySloAlertFiresAndStaysQuietWherePromtoolIsTold() throws Exception {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(WASTE, USERS, AUTH, VISION)).succeeded();
        Path rules = ruleFile(project, "dev");

        Result check = promtool("check", "rules", rules.toString());
        assertWithMessage(check.output()).that(check.exitCode()).isEqualTo(0);

        JsonNode tests = YAML.readTree(project.readTest("dev.test.yaml"));
        Result test = promtool("test", "rules", testFile(tests, rules).toString());
        assertWithMessage(test.output()).that(test.exitCode()).isEqualTo(0);
        assertThat(test.output()).contains("SUCCESS");

        Map<String, int[]> cover = coverage(tests);
        for (String service : List.of("Waste", "Users", "Auth")) {
            for (String alert : List.of("AvailabilityFastBurn", "AvailabilitySlowBurn")) {
                int[] cases = cover.get(service + alert);
                assertWithMessage(service + alert + " firing and quiet cases").that(cases).isNotNull();
                assertWithMessage(service + alert + " fires in a case").that(cases[0]).isGreaterThan(0);
                assertWithMessage(service + alert + " stays quiet in a case").that(cases[1]).isGreaterThan(0);
            }
        }
        assertThat(cover.keySet()).containsAtLeast("WasteLatencyFastBurn", "WasteLatencySlowBurn", "UsersLatencyFastBurn",
                "UsersLatencySlowBurn");
        assertThat(cover).doesNotContainKey("AuthLatencyFastBurn");
    }

    @Test
    void theTestsOfOneObjectiveFailAgainstTheRulesOfAnother() throws Exception {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-prod.yaml", """
                global:
                  environment: production
                api:
                  rest:
                    waste:
                      slo:
                        availability: 99
                """);
        assertThat(project.compile(WASTE)).succeeded();

        JsonNode devTests = YAML.readTree(project.readTest("dev.test.yaml"));
        Result own = promtool("test", "rules", testFile(devTests, ruleFile(project, "dev")).toString());
        assertWithMessage(own.output()).that(own.exitCode()).isEqualTo(0);
        Result other = promtool("test", "rules", testFile(devTests, ruleFile(project, "prod")).toString());
        assertWithMessage("the 99.5% tests against the 99% rules").that(other.exitCode()).isNotEqualTo(0);
        assertThat(other.output()).contains("WasteAvailability");
    }

    /** The groups of every PrometheusRule of {@code environment}, as one rule file. */
    private Path ruleFile(GrowbinProject project, String environment) throws IOException {
        ArrayNode groups = YAML.createArrayNode();
        for (String file : List.of("monitoring/prometheusrule.yaml", "monitoring/prometheusrule-slo.yaml")) {
            groups.addAll((ArrayNode) project.yaml(environment + "/" + file).at("/spec/groups"));
        }
        ObjectNode rules = YAML.createObjectNode();
        rules.set("groups", groups);
        Path file = root.resolve(environment + "-rules.yaml");
        Files.writeString(file, YAML.writeValueAsString(rules), StandardCharsets.UTF_8);
        return file;
    }

    private Path testFile(JsonNode tests, Path rules) throws IOException {
        ObjectNode withRules = ((ObjectNode) tests).deepCopy();
        withRules.set("rule_files", YAML.createArrayNode().add(rules.toString()));
        Path file = Files.createTempFile(root, "tests-", ".yaml");
        Files.writeString(file, YAML.writeValueAsString(withRules), StandardCharsets.UTF_8);
        return file;
    }

    /** Per alert: cases where it fires, and where it stays quiet. */
    private static Map<String, int[]> coverage(JsonNode tests) {
        Map<String, int[]> cover = new TreeMap<>();
        for (JsonNode group : tests.path("tests")) {
            for (JsonNode test : group.path("alert_rule_test")) {
                int[] cases = cover.computeIfAbsent(test.path("alertname").asText(), name -> new int[2]);
                cases[test.path("exp_alerts").isEmpty() ? 1 : 0]++;
            }
        }
        return cover;
    }

    private record Result(int exitCode, String output) {}

    private static Result promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(promtool().toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("promtool did not finish within 5 minutes: " + command);
        }
        return new Result(process.exitValue(), output);
    }

    /** Where manifest-check finds promtool: $PROMTOOL, tools/manifest-check/.cache/promtool, the PATH. */
    static Path promtool() {
        String configured = System.getenv("PROMTOOL");
        if (configured != null && !configured.isEmpty()) {
            return Path.of(configured);
        }
        Path local = Path.of("..", "tools", "manifest-check", ".cache", "promtool");
        if (Files.isExecutable(local)) {
            return local;
        }
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, "promtool");
            if (!folder.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("promtool not found: run scripts/install-tools.sh, or set PROMTOOL");
    }
}
