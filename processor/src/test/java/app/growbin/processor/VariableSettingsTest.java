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
 * Settings that become runtime variables: {@code @HttpLimits} and {@code api.rest.<name>.http.*},
 * {@code api.rest.<name>.database.*} on the container, {@code auth.*} in the shared ConfigMap. Each
 * is written only when it has a value, so the runtime keeps its own default otherwise.
 */
class VariableSettingsTest {

    @TempDir
    Path root;

    static final JavaFileObject AUTH = source("AuthApi", """
            @RestService(path = "/api/v1/auth", replicas = 2)
            @HttpLimits(maxBodyBytes = 16384, trustedProxyHops = 1)
            public final class AuthApi {}
            """);

    static final JavaFileObject WASTE = source("WasteApi", """
            @RestService(path = "/api/v1/waste")
            public final class WasteApi {}
            """);

    @Test
    void annotationLimitsBecomeVariablesAndValuesOverrideThem() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                auth:
                  issuer: https://auth.example.com
                  tokenLifetimeSeconds: 600
                api:
                  rest:
                    auth:
                      http:
                        maxBodyBytes: 8192
                      database:
                        poolSize: 8
                """);
        assertThat(project.compile(AUTH, WASTE)).succeeded();

        List<String> auth = variables(project.yaml("dev/api/rest/auth-deployment.yaml"));
        assertThat(auth).containsAtLeast("HTTP_MAX_BODY_BYTES=8192", "HTTP_TRUSTED_PROXY_HOPS=1", "DATABASE_POOL_SIZE=8").inOrder();
        assertThat(auth.stream().filter(v -> v.startsWith("HTTP_MAX_URL_BYTES")).toList()).isEmpty();
        List<String> waste = variables(project.yaml("dev/api/rest/waste-deployment.yaml"));
        assertThat(waste.stream().filter(v -> v.startsWith("HTTP_") && !v.startsWith("HTTP_PORT")).toList()).isEmpty();

        JsonNode config = project.yaml("dev/infrastructure/configmap.yaml").at("/data");
        assertThat(config.at("/AUTH_ISSUER").asText()).isEqualTo("https://auth.example.com");
        assertThat(config.at("/AUTH_TOKEN_LIFETIME_SECONDS").asText()).isEqualTo("600");
        assertThat(config.has("AUTH_AUDIENCE")).isFalse();
        assertThat(project.read("helm/shop/values.yaml")).contains("    auth:\n      enabled: true");
    }

    @Test
    void negativeLimitIsRejectedAtTheMember() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @HttpLimits(maxBodyBytes = 1024,
                        idleTimeoutSeconds = -5)
                public final class ShopApi {}
                """);
        Compilation compilation = project.compile(api);
        assertThat(compilation).hadErrorContaining("[growbin:setting-range] @HttpLimits.idleTimeoutSeconds is -5; use 0 for the runtime's default")
                .inFile(api).onLineContaining("idleTimeoutSeconds = -5");
        project.assertNothingWritten();
    }

    @Test
    void httpLimitsOnAWorkerAreRejected() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject worker = source("MailWorker", """
                @AsyncWorker(queue = "q.mail")
                @HttpLimits(maxBodyBytes = 1024)
                public final class MailWorker {
                    @Task("mail.send") public void send(String to) { }
                }
                """);
        assertThat(project.compile(worker)).hadErrorContaining("[growbin:modifier-not-applicable] @HttpLimits applies to @RestService classes")
                .inFile(worker).onLineContaining("@HttpLimits(maxBodyBytes = 1024)");
    }

    @Test
    void valuesBelowTheMinimumAreRejectedAtTheirLine() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  rest:
                    waste:
                      database:
                        poolSize: 0
                """);
        assertThat(project.compile(WASTE)).hadErrorContaining(
                "[growbin:setting-range] values-dev.yaml:5: api.rest.waste.database.poolSize is 0; it must be at least 1");
    }

    @Test
    void rateLimitsBecomeVariablesOnlyWhereSet() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  rest:
                    waste:
                      rateLimit:
                        requests: 120
                        windowSeconds: 300
                """);
        assertThat(project.compile(AUTH, WASTE)).succeeded();
        List<String> waste = variables(project.yaml("dev/api/rest/waste-deployment.yaml"));
        assertThat(waste).containsAtLeast("RATE_LIMIT_REQUESTS=120", "RATE_LIMIT_WINDOW_SECONDS=300").inOrder();
        List<String> auth = variables(project.yaml("dev/api/rest/auth-deployment.yaml"));
        assertThat(auth.stream().filter(v -> v.startsWith("RATE_LIMIT_")).toList()).isEmpty();
        assertThat(project.read("helm/shop/templates/api/rest/waste-deployment.yaml"))
                .contains("- name: RATE_LIMIT_REQUESTS\n              value: {{ toString (int (dig \"rateLimit\" \"requests\" 0 $.Values.api.rest.waste)) | toJson }}");
    }

    @Test
    void rateLimitsBelowOneAreRejectedAtTheirLine() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  rest:
                    waste:
                      rateLimit:
                        requests: 0
                        windowSeconds: -60
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining(
                "[growbin:setting-range] values-dev.yaml:5: api.rest.waste.rateLimit.requests is 0; it must be at least 1");
        assertThat(compilation).hadErrorContaining(
                "[growbin:setting-range] values-dev.yaml:6: api.rest.waste.rateLimit.windowSeconds is -60; it must be at least 1");
        project.assertNothingWritten();
    }

    @Test
    void aRateLimitOnAWorkerIsRejected() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                api:
                  async:
                    mail:
                      rateLimit:
                        requests: 10
                """);
        JavaFileObject worker = source("MailWorker", """
                @AsyncWorker(queue = "q.mail")
                public final class MailWorker {
                    @Task("mail.send") public void send(String to) { }
                }
                """);
        assertThat(project.compile(worker)).hadErrorContaining("[growbin:values-unknown-key] values-dev.yaml:4: unknown key 'api.async.mail.rateLimit'");
    }

    @Test
    void anEnvThatTheRateLimitOwnsIsRejectedWithTheKeyToUse() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Env(name = "RATE_LIMIT_REQUESTS", value = "5")
                public final class ShopApi {}
                """);
        assertThat(project.compile(api)).hadErrorContaining("[growbin:duplicate-env] @Env.name 'RATE_LIMIT_REQUESTS' is set by Growbin itself "
                + "from the annotations and values; remove it; set it with api.<kind>.<name>.rateLimit.requests")
                .inFile(api).onLineContaining("RATE_LIMIT_REQUESTS");
    }

    @Test
    void queueTypeGoesToTheConfigMapAndOnlyItsWords() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                celery:
                  queueType: quorum
                  maxMessageBytes: 1048576
                """);
        assertThat(project.compile(WASTE)).succeeded();
        JsonNode config = project.yaml("dev/infrastructure/configmap.yaml").at("/data");
        assertThat(config.at("/CELERY_QUEUE_TYPE").asText()).isEqualTo("quorum");
        assertThat(config.at("/CELERY_MAX_MESSAGE_BYTES").asText()).isEqualTo("1048576");

        project.values("values-dev.yaml", """
                celery:
                  queueType: mirrored
                  maxMessageBytes: 0
                """);
        Compilation compilation = project.compile(WASTE);
        assertThat(compilation).hadErrorContaining("[growbin:values-type] values-dev.yaml:2: celery.queueType 'mirrored' must be classic or quorum");
        assertThat(compilation).hadErrorContaining("[growbin:setting-range] values-dev.yaml:3: celery.maxMessageBytes is 0; it must be at least 1");
    }

    @Test
    void anEnvThatASettingOwnsIsRejectedWithTheKeyToUse() {
        GrowbinProject project = GrowbinProject.minimal(root);
        JavaFileObject api = source("ShopApi", """
                @RestService(path = "/api/v1/shop")
                @Env(name = "HTTP_MAX_BODY_BYTES", value = "2048")
                public final class ShopApi {}
                """);
        assertThat(project.compile(api)).hadErrorContaining("[growbin:duplicate-env] @Env.name 'HTTP_MAX_BODY_BYTES' is set by Growbin itself "
                + "from the annotations and values; remove it; set it with @HttpLimits.maxBodyBytes or api.<kind>.<name>.http.maxBodyBytes")
                .inFile(api).onLineContaining("HTTP_MAX_BODY_BYTES");
    }

    /** The literal variables of the first container, as {@code NAME=value}, in order. */
    private static List<String> variables(JsonNode deployment) {
        List<String> variables = new ArrayList<>();
        for (JsonNode variable : deployment.at("/spec/template/spec/containers/0/env")) {
            if (variable.has("value")) {
                variables.add(variable.path("name").asText() + "=" + variable.path("value").asText());
            }
        }
        return variables;
    }
}
