package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad values file (or build option) per test. javac cannot point into a YAML file, so the
 * message itself starts with the file and line: {@code [growbin:<id>] values-prod.yaml:4: ...}.
 */
class ValuesErrorsTest {

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste", replicas = 3)
            @Resources(cpu = "200m", memory = "256Mi", cpuLimit = "1000m", memoryLimit = "512Mi")
            public final class WasteApi {}
            """);

    static final JavaFileObject VISION = source("VisionWorker", """
            @AsyncWorker(queue = "q.vision", pool = Pool.GEVENT, concurrency = 20)
            public final class VisionWorker {
                @Task("vision.classify") public String classify(String imageRef) { return imageRef; }
            }
            """);

    static final String VALUES = """
            global:
              appName: shop
              image:
                repository: acme/shop
                tag: "1.0.0"
            api:
              rest:
                waste:
                  replicas: 2
            """;

    @TempDir
    Path root;

    private GrowbinProject project;

    @BeforeEach
    void goodValues() {
        project = new GrowbinProject(root).values("values.yaml", VALUES).values("values-dev.yaml", "");
    }

    @Test
    void malformedYaml() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      replicas: 2
                        enabled: true
                """);
        assertThat(rejected()).hadErrorContaining("[growbin:values-syntax] values-prod.yaml:5: malformed YAML: mapping values are not allowed here");
    }

    @Test
    void malformedValuesYamlIsTheOnlyError() {
        project.values("values.yaml", """
                global:
                  appName: shop
                  image: [acme/shop
                """);
        Compilation compilation = rejected();
        assertThat(compilation).hadErrorContaining("[growbin:values-syntax] values.yaml:");
        assertThat(compilation).hadErrorContaining("malformed YAML");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void unknownTopLevelKey() {
        project.values("values-prod.yaml", """
                globl:
                  environment: production
                """);
        assertThat(rejected()).hadErrorContaining("[growbin:values-unknown-key] values-prod.yaml:1: unknown key 'globl'; did you mean 'global'?");
    }

    @Test
    void unknownNestedKey() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      replcias: 5
                """);
        assertThat(rejected()).hadErrorContaining(
                "[growbin:values-unknown-key] values-prod.yaml:4: unknown key 'api.rest.waste.replcias'; did you mean 'replicas'?");
    }

    @Test
    void unknownServiceUnderApiRest() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    wste:
                      replicas: 5
                """);
        assertThat(rejected()).hadErrorContaining(
                "[growbin:values-unknown-service] values-prod.yaml:3: no @RestService is named 'wste'; did you mean 'waste'?");
    }

    @Test
    void contractKeyInOverlay() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      path: /api/v2/waste
                """);
        assertThat(rejected()).hadErrorContaining(
                "[growbin:values-contract-key] values-prod.yaml:4: 'api.rest.waste.path' is part of the code's contract (@RestService.path)");
    }

    @Test
    void appNameInOverlay() {
        project.values("values-prod.yaml", """
                global:
                  appName: shop-prod
                """);
        assertThat(rejected()).hadErrorContaining(
                "[growbin:values-contract-key] values-prod.yaml:2: 'global.appName' may be set only in values.yaml, not per environment");
    }

    @Test
    void wrongType() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      replicas: many
                """);
        Compilation compilation = rejected();
        assertThat(compilation).hadErrorContaining("[growbin:values-type] values-prod.yaml:4: 'api.rest.waste.replicas' must be");
        assertThat(compilation).hadErrorContaining("not 'many'");
    }

    @Test
    void urlWithPasswordInValues() {
        project.values("values.yaml", VALUES + """
                openai:
                  baseUrl: https://bot:hunter2@api.openai.com/v1
                """);
        Compilation compilation = rejected();
        assertThat(compilation).hadErrorContaining(
                "[growbin:plaintext-credential] values.yaml:11: 'openai.baseUrl' is a URL with a password in plain text");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void credentialInValuesEnv() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      env:
                        DB_PASSWORD: hunter2
                """);
        Compilation compilation = rejected();
        assertThat(compilation).hadErrorContaining(
                "[growbin:plaintext-credential] values-prod.yaml:5: DB_PASSWORD looks like a credential and has a literal value");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void urlWithPasswordInValuesEnv() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      env:
                        DATABASE_URL: postgres://app:hunter2@db:5432/app
                """);
        Compilation compilation = rejected();
        assertThat(compilation).hadErrorContaining(
                "[growbin:plaintext-credential] values-prod.yaml:5: the value of DATABASE_URL is a URL with a password in plain text");
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void overlayMakesRequestAboveLimit() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      resources:
                        requests:
                          cpu: "2"
                """);
        assertThat(rejected()).hadErrorContaining(
                "[growbin:request-above-limit] values-prod.yaml:6: the cpu request '2' is above the cpu limit '1000m'");
    }

    @Test
    void overlayWithNegativeReplicas() {
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      replicas: -1
                """);
        assertThat(rejected()).hadErrorContaining("[growbin:replicas-range] values-prod.yaml:4: replicas is -1; it must be 0 or more");
    }

    @Test
    void missingValuesYaml() {
        project.deleteValues("values.yaml");
        Compilation compilation = rejected();
        assertThat(compilation).hadErrorContaining(
                "[growbin:configuration] -Agrowbin.config: values.yaml is missing from the configuration folder " + project.config);
        // Not also "global.appName is missing" and the like: they follow from the missing file.
        assertThat(compilation).hadErrorCount(1);
    }

    @Test
    void noEnvironmentFile() {
        project.deleteValues("values-dev.yaml");
        assertThat(rejected()).hadErrorContaining("[growbin:configuration] -Agrowbin.config: no environment is defined in " + project.config
                + ": add one values-<env>.yaml per environment");
    }

    @Test
    void environmentNamedLikeAFolderOfTheOutput() {
        project.values("values-rule-tests.yaml", "");
        assertThat(rejected()).hadErrorContaining("[growbin:configuration] values-rule-tests.yaml:1: the environment name 'rule-tests'"
                + " (from values-rule-tests.yaml) must be a DNS-1123 label and not one of [argocd, helm, rule-tests]");
    }

    @Test
    void missingConfigurationFolder() {
        Compilation compilation = project.compile(List.of("-Agrowbin.config=" + root.resolve("nowhere")), WASTE, VISION);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[growbin:configuration] -Agrowbin.config: the configuration folder " + root.resolve("nowhere") + " does not exist");
        project.assertNothingWritten();
    }

    @Test
    void invalidImageTagOption() {
        Compilation compilation = project.compile(List.of("-Agrowbin.image.tag=-dirty tree"), WASTE, VISION);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[growbin:image-format] -Agrowbin.image.tag: the image tag '-dirty tree' is not a valid tag");
        assertThat(compilation).hadErrorCount(1);
        project.assertNothingWritten();
    }

    @Test
    void everyProblemOfACompileIsReportedTogether() {
        JavaFileObject bad = source("ShopApi", """
                @RestService(
                        path = "shop",
                        port = 0)
                @Resources(
                        memory = "lots")
                public final class ShopApi {}
                """);
        project.values("values-prod.yaml", """
                api:
                  rest:
                    waste:
                      replcias: 5
                """);
        Compilation compilation = project.compile(WASTE, VISION, bad);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("[growbin:path-format]").inFile(bad).onLineContaining("path = \"shop\"");
        assertThat(compilation).hadErrorContaining("[growbin:port-range]").inFile(bad).onLineContaining("port = 0");
        assertThat(compilation).hadErrorContaining("[growbin:quantity-format]").inFile(bad).onLineContaining("memory = \"lots\"");
        assertThat(compilation).hadErrorContaining("[growbin:values-unknown-key] values-prod.yaml:4:");
        assertThat(compilation).hadErrorCount(4);
        project.assertNothingWritten();
    }

    private Compilation rejected() {
        Compilation compilation = project.compile(WASTE, VISION);
        assertThat(compilation).failed();
        project.assertNothingWritten();
        return compilation;
    }
}
