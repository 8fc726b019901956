package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.testing.compile.Compilation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracing and logging settings in the shared ConfigMap: {@code observability.tracing.endpoint} as
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (tracing off without it), {@code observability.tracing.samplingRatio}
 * as the pair {@code OTEL_TRACES_SAMPLER=parentbased_traceidratio} and {@code OTEL_TRACES_SAMPLER_ARG},
 * and {@code LOG_FORMAT}, json unless an environment says text.
 */
class ObservabilitySettingsTest {

    @TempDir
    Path root;

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste")
            public final class WasteApi {}
            """);

    @Test
    void tracingIsOnWhereAnEndpointIsSetAndLogsAreJsonUnlessAnEnvironmentSaysText() {
        GrowbinProject project = GrowbinProject.minimal(root)
                .values("values-dev.yaml", """
                        observability:
                          logging:
                            format: text
                        """)
                .values("values-prod.yaml", """
                        global:
                          environment: production
                        observability:
                          tracing:
                            endpoint: http://otel-collector.monitoring:4318
                            samplingRatio: 0.25
                        """)
                .values("values-staging.yaml", """
                        observability:
                          tracing:
                            endpoint: https://otel.example.com
                        """);
        assertThat(project.compile(WASTE)).succeeded();

        JsonNode prod = project.yaml("prod/infrastructure/configmap.yaml").at("/data");
        assertThat(prod.at("/OTEL_EXPORTER_OTLP_ENDPOINT").asText()).isEqualTo("http://otel-collector.monitoring:4318");
        assertThat(prod.at("/OTEL_TRACES_SAMPLER").asText()).isEqualTo("parentbased_traceidratio");
        assertThat(prod.at("/OTEL_TRACES_SAMPLER_ARG").asText()).isEqualTo("0.25");
        assertThat(prod.at("/LOG_FORMAT").asText()).isEqualTo("json");

        JsonNode staging = project.yaml("staging/infrastructure/configmap.yaml").at("/data");
        assertThat(staging.at("/OTEL_EXPORTER_OTLP_ENDPOINT").asText()).isEqualTo("https://otel.example.com");
        assertThat(staging.has("OTEL_TRACES_SAMPLER")).isFalse();
        assertThat(staging.has("OTEL_TRACES_SAMPLER_ARG")).isFalse();

        JsonNode dev = project.yaml("dev/infrastructure/configmap.yaml").at("/data");
        assertThat(names(dev).stream().filter(name -> name.startsWith("OTEL_")).toList()).isEmpty();
        assertThat(dev.at("/LOG_FORMAT").asText()).isEqualTo("text");
        // the ConfigMap's hash rolls the pods when tracing is switched on
        assertThat(project.yaml("prod/api/rest/waste-deployment.yaml").at("/spec/template/metadata/annotations").toString())
                .isNotEqualTo(project.yaml("dev/api/rest/waste-deployment.yaml").at("/spec/template/metadata/annotations").toString());
        assertThat(project.read("helm/shop/values.yaml")).contains("observability:\n  logging:\n    format: json\n");
    }

    @Test
    void aSamplingRatioOutsideZeroToOneIsRejectedAtItsLine() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                observability:
                  tracing:
                    endpoint: http://otel-collector:4318
                    samplingRatio: 0
                """).values("values-prod.yaml", """
                observability:
                  tracing:
                    samplingRatio: 1.5
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:setting-range] values-dev.yaml:4: observability.tracing.samplingRatio is 0; "
                + "it must be above 0 and at most 1 (1 keeps every trace; for none, leave observability.tracing.endpoint unset)");
        assertThat(compilation).hadErrorContaining("[growbin:setting-range] values-prod.yaml:3: observability.tracing.samplingRatio is 1.5");
        project.assertNothingWritten();
    }

    @Test
    void anEndpointThatIsNoHttpUrlIsRejected() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                observability:
                  tracing:
                    endpoint: otel-collector:4317
                """).values("values-prod.yaml", """
                observability:
                  tracing:
                    endpoint: https://user:s3cret@otel.example.com
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:values-type] values-dev.yaml:3: observability.tracing.endpoint "
                + "'otel-collector:4317' is not an http:// or https:// URL of an OTLP collector");
        assertThat(compilation).hadErrorContaining("[growbin:plaintext-credential] values-prod.yaml:3: observability.tracing.endpoint "
                + "is a URL with a password in plain text");
    }

    @Test
    void aLogFormatOtherThanJsonOrTextIsRejected() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                observability:
                  logging:
                    format: logfmt
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining(
                "[growbin:values-type] values-dev.yaml:3: observability.logging.format 'logfmt' must be json or text");
    }

    @Test
    void theVariablesTheSettingsWriteAreReservedWithTheKeyToUse() {
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Env(name = "OTEL_TRACES_SAMPLER", value = "always_on")
                @Env(name = "LOG_FORMAT", value = "text")
                public final class ShopApi {}
                """);
        Compilation compilation = GrowbinProject.minimal(root).compile(api);
        assertThat(compilation).hadErrorContaining("[growbin:duplicate-env] @Env.name 'OTEL_TRACES_SAMPLER' is set by Growbin itself from "
                + "the annotations and values; remove it; set it with observability.tracing.samplingRatio")
                .inFile(api).onLineContaining("OTEL_TRACES_SAMPLER");
        assertThat(compilation).hadErrorContaining("[growbin:duplicate-env] @Env.name 'LOG_FORMAT' is set by Growbin itself from "
                + "the annotations and values; remove it; set it with observability.logging.format")
                .inFile(api).onLineContaining("LOG_FORMAT");
    }

    private static List<String> names(JsonNode data) {
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
