package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import app.growbin.processor.render.WorkloadRuntime;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM options follow the container's memory limit in three brackets (up to 256Mi, up
 * to 512Mi, above), whatever unit the limit is written in, in the manifests and in the Helm chart
 * (every successful compile renders the chart with Helm and compares it with the manifests, so the
 * chart's {@code growbin.memoryAtMost} is checked against the Java side for each case here).
 */
class JvmOptionsTest {

    @TempDir
    Path root;

    private static final List<String> CLASSPATH_AND_MAIN = List.of("-cp", WorkloadRuntime.CLASSPATH, "app.growbin.runtime.Launcher");

    private static List<String> expected(boolean belowOneCpu, List<String> bracket) {
        List<String> command = new ArrayList<>(List.of("java", WorkloadRuntime.EXIT_ON_OOM));
        if (belowOneCpu) {
            command.add("-XX:ActiveProcessorCount=1");
        }
        command.addAll(bracket);
        command.addAll(CLASSPATH_AND_MAIN);
        return command;
    }

    private static List<String> command(GrowbinProject project, String file) {
        List<String> command = new ArrayList<>();
        for (JsonNode item : project.yaml(file).at("/spec/template/spec/containers/0/command")) {
            command.add(item.asText());
        }
        return command;
    }

    private static JavaFileObject rest(String name, String memoryLimit, String cpuLimit) {
        String type = Character.toUpperCase(name.charAt(0)) + name.substring(1) + "Api";
        return source(type, """
                @RestService(path = "/api/v1/%s")
                @Resources(cpu = "100m", memory = "64Mi", cpuLimit = "%s", memoryLimit = "%s")
                public final class %s {}
                """.formatted(name, cpuLimit, memoryLimit, type));
    }

    @Test
    void eachMemoryLimitGetsTheOptionsOfItsBracket() {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(
                rest("tiny", "128Mi", "500m"),
                rest("small", "256Mi", "500m"),
                rest("decimal", "268435456", "1"),       // 256Mi in bytes: still the small bracket
                rest("justover", "257Mi", "2"),
                rest("medium", "512Mi", "1000m"),
                rest("half", "0.5Gi", "1500m"),
                rest("mega", "500M", "1"),                // 476.8 MiB
                rest("large", "1Gi", "2"),
                rest("thousand", "1000M", "2")))          // 953.7 MiB
                .succeeded();

        assertThat(command(project, "dev/api/rest/tiny-deployment.yaml")).isEqualTo(expected(true, WorkloadRuntime.SMALL_LIMIT_OPTIONS));
        assertThat(command(project, "dev/api/rest/small-deployment.yaml")).isEqualTo(expected(true, WorkloadRuntime.SMALL_LIMIT_OPTIONS));
        assertThat(command(project, "dev/api/rest/decimal-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.SMALL_LIMIT_OPTIONS));
        assertThat(command(project, "dev/api/rest/justover-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.MEDIUM_LIMIT_OPTIONS));
        assertThat(command(project, "dev/api/rest/medium-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.MEDIUM_LIMIT_OPTIONS));
        assertThat(command(project, "dev/api/rest/half-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.MEDIUM_LIMIT_OPTIONS));
        assertThat(command(project, "dev/api/rest/mega-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.MEDIUM_LIMIT_OPTIONS));
        assertThat(command(project, "dev/api/rest/large-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.LARGE_LIMIT_OPTIONS));
        assertThat(command(project, "dev/api/rest/thousand-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.LARGE_LIMIT_OPTIONS));
    }

    @Test
    void smallContainersRunC1OnlyWithAHeapOfAThirdAndCappedNativeAreas() {
        // what bench/memory.sh measured (docs/benchmarks.md, "Memory"); a change here is a change there
        assertThat(WorkloadRuntime.SMALL_LIMIT_OPTIONS).containsAtLeast("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-XX:MinRAMPercentage=35.0", "-XX:MaxRAMPercentage=35.0").inOrder();
        assertThat(WorkloadRuntime.MEDIUM_LIMIT_OPTIONS).containsAtLeast("-XX:+UseSerialGC", "-XX:MinRAMPercentage=50.0",
                "-XX:MaxRAMPercentage=50.0").inOrder();
        assertThat(WorkloadRuntime.MEDIUM_LIMIT_OPTIONS).doesNotContain("-XX:TieredStopAtLevel=1");
        assertThat(WorkloadRuntime.LARGE_LIMIT_OPTIONS).containsExactly("-XX:MaxRAMPercentage=75.0");
    }

    @Test
    void anEnvironmentThatChangesTheLimitChangesTheBracket() {
        GrowbinProject project = GrowbinProject.minimal(root)
                .values("values-dev.yaml", """
                        api:
                          rest:
                            shop:
                              resources:
                                limits:
                                  memory: 2Gi
                        """)
                .values("values-prod.yaml", """
                        global:
                          environment: production
                        api:
                          rest:
                            shop:
                              resources:
                                requests:
                                  memory: 128Mi
                                limits:
                                  memory: 200Mi
                        """);
        assertThat(project.compile(rest("shop", "512Mi", "1000m"))).succeeded();

        assertThat(command(project, "dev/api/rest/shop-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.LARGE_LIMIT_OPTIONS));
        assertThat(command(project, "prod/api/rest/shop-deployment.yaml")).isEqualTo(expected(false, WorkloadRuntime.SMALL_LIMIT_OPTIONS));
        // the chart holds all three brackets, chosen when Helm renders (checked by the compile above)
        String template = project.read("helm/shop/templates/api/rest/shop-deployment.yaml");
        assertThat(template).contains("growbin.memoryAtMost");
        assertThat(template).contains("-XX:TieredStopAtLevel=1");
        assertThat(template).contains("-XX:MaxRAMPercentage=75.0");
    }
}
