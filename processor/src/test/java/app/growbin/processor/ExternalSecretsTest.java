package app.growbin.processor;

import static app.growbin.processor.GrowbinProject.source;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secrets.externalStore}: an ExternalSecret per Secret the manifests read (Celery's from the
 * settings, {@code @SecretEnv}'s from the code, the Ingress's TLS Secret where the cluster reads it),
 * each key the property of that name of the Secret's remote key.
 */
class ExternalSecretsTest {

    static final JavaFileObject AUTH = source("AuthApi", """
            @RestService(path = "/api/v1/auth")
            @SecretEnv(name = "DATABASE_URL", secret = "auth-db", key = "url")
            @SecretEnv(name = "TOKEN_SIGNING_KEY", secret = "auth-tokens", key = "signing-key")
            public final class AuthApi {}
            """);
    static final JavaFileObject VISION = source("VisionWorker", """
            @AsyncWorker(queue = "q.vision")
            @SecretEnv(name = "OPENAI_API_KEY", secret = "openai-secrets", key = "api-key")
            public final class VisionWorker {
                @Task("vision.classify") public String classify(String ref) { return ref; }
            }
            """);
    static final JavaFileObject LLM = source("LlmWorker", """
            @AsyncWorker(queue = "q.llm")
            @SecretEnv(name = "OPENAI_API_KEY", secret = "openai-secrets", key = "api-key")
            @SecretEnv(name = "OPENAI_ORG", secret = "openai-secrets", key = "organization")
            public final class LlmWorker {
                @Task("llm.answer") public String answer(String question) { return question; }
            }
            """);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path root;

    @Test
    void anExternalSecretForEverySecretTheManifestsRead() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                ingress:
                  className: nginx
                  host: api.shop.example
                  tls:
                    enabled: true
                    secretName: shop-tls
                secrets:
                  externalStore:
                    kind: SecretStore
                    name: aws-secrets-manager
                    refreshInterval: 15m
                    remoteKeys:
                      celery-secrets: shop/dev/celery
                      shop-tls: shop/dev/tls
                api:
                  async:
                    llm:
                      enabled: false
                """);
        assertThat(project.compile(AUTH, VISION, LLM)).succeeded();
        Map<String, JsonNode> secrets = objects(project.read("dev/infrastructure/externalsecrets.yaml"));
        assertThat(secrets.keySet()).containsExactly("celery-secrets", "auth-db", "auth-tokens", "openai-secrets", "shop-tls").inOrder();

        JsonNode celery = secrets.get("celery-secrets");
        assertThat(celery.at("/apiVersion").asText()).isEqualTo("external-secrets.io/v1");
        assertThat(celery.at("/spec/refreshInterval").asText()).isEqualTo("15m");
        assertThat(celery.at("/spec/secretStoreRef/kind").asText()).isEqualTo("SecretStore");
        assertThat(celery.at("/spec/secretStoreRef/name").asText()).isEqualTo("aws-secrets-manager");
        assertThat(celery.at("/spec/target/name").asText()).isEqualTo("celery-secrets");
        assertThat(celery.at("/spec/target/creationPolicy").asText()).isEqualTo("Owner");
        assertThat(celery.at("/spec/target/template").isMissingNode()).isTrue();
        assertThat(celery.at("/spec/data").toString()).isEqualTo(
                "[{\"remoteRef\":{\"key\":\"shop/dev/celery\",\"property\":\"broker-url\"},\"secretKey\":\"broker-url\"},"
                        + "{\"remoteRef\":{\"key\":\"shop/dev/celery\",\"property\":\"result-backend\"},\"secretKey\":\"result-backend\"}]");
        // Not in remoteKeys: the Secret's own name is its remote key.
        assertThat(secrets.get("auth-db").at("/spec/data/0/remoteRef/key").asText()).isEqualTo("auth-db");
        assertThat(secrets.get("auth-db").at("/spec/data/0/remoteRef/property").asText()).isEqualTo("url");
        // openai-secrets: the disabled llm worker's organization key is read by no manifest of dev.
        assertThat(secrets.get("openai-secrets").at("/spec/data").size()).isEqualTo(1);
        assertThat(secrets.get("openai-secrets").at("/spec/data/0/secretKey").asText()).isEqualTo("api-key");
        JsonNode tls = secrets.get("shop-tls");
        assertThat(tls.at("/spec/target/template/type").asText()).isEqualTo("kubernetes.io/tls");
        assertThat(tls.at("/spec/data/0/secretKey").asText()).isEqualTo("tls.crt");
        assertThat(tls.at("/spec/data/1/secretKey").asText()).isEqualTo("tls.key");
        assertThat(tls.at("/spec/data/1/remoteRef/key").asText()).isEqualTo("shop/dev/tls");
        assertThat(project.read("dev/kustomization.yaml")).contains("infrastructure/externalsecrets.yaml");
        assertThat(project.exists("helm/shop/templates/infrastructure/externalsecrets.yaml")).isTrue();
    }

    @Test
    void sharedSecretsGetOneObjectAndEachKeyOnce() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                celery:
                  brokerSecret:
                    name: openai-secrets
                    key: api-key
                secrets:
                  externalStore:
                    name: vault
                """);
        assertThat(project.compile(VISION, LLM)).succeeded();
        Map<String, JsonNode> secrets = objects(project.read("dev/infrastructure/externalsecrets.yaml"));
        assertThat(secrets.keySet()).containsExactly("openai-secrets", "celery-secrets").inOrder();
        assertThat(secrets.get("openai-secrets").at("/spec/secretStoreRef/kind").asText()).isEqualTo("ClusterSecretStore");
        assertThat(secrets.get("openai-secrets").at("/spec/refreshInterval").asText()).isEqualTo("1h");
        List<String> keys = new java.util.ArrayList<>();
        secrets.get("openai-secrets").at("/spec/data").forEach(entry -> keys.add(entry.at("/secretKey").asText()));
        assertThat(keys).containsExactly("api-key", "organization").inOrder();
        assertThat(secrets.get("celery-secrets").at("/spec/data/0/secretKey").asText()).isEqualTo("result-backend");
    }

    @Test
    void noStoreNoExternalSecrets() {
        GrowbinProject project = GrowbinProject.minimal(root);
        assertThat(project.compile(AUTH, VISION)).succeeded();
        assertThat(project.exists("dev/infrastructure/externalsecrets.yaml")).isFalse();
        assertThat(project.read("dev/kustomization.yaml")).doesNotContain("externalsecrets");
    }

    @Test
    void albCertificatesAndCertManagerSecretsAreNoPrerequisite() throws IOException {
        GrowbinProject project = GrowbinProject.minimal(root)
                .values("values-dev.yaml", """
                        ingress:
                          className: alb
                          host: api.shop.example
                          tls:
                            enabled: true
                            certificateArn: arn:aws:acm:eu-west-1:123456789012:certificate/abc
                        secrets:
                          externalStore:
                            name: vault
                        """)
                .values("values-prod.yaml", """
                        ingress:
                          className: nginx
                          host: api.shop.example
                          tls:
                            enabled: true
                            secretName: shop-tls
                            clusterIssuer: letsencrypt
                        secrets:
                          externalStore:
                            name: vault
                        """);
        assertThat(project.compile(AUTH)).succeeded();
        assertThat(objects(project.read("dev/infrastructure/externalsecrets.yaml")).keySet()).containsExactly("celery-secrets", "auth-db", "auth-tokens");
        assertThat(objects(project.read("prod/infrastructure/externalsecrets.yaml")).keySet()).containsExactly("celery-secrets", "auth-db", "auth-tokens");
    }

    @Test
    void unknownStoreKind() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                secrets:
                  externalStore:
                    kind: Vault
                    name: vault
                """);
        assertThat(project.compile(AUTH)).hadErrorContaining("[growbin:values-type] values-dev.yaml:3: secrets.externalStore.kind 'Vault' must be one of SecretStore, ClusterSecretStore");
        project.assertNothingWritten();
    }

    @Test
    void aRemoteKeyForASecretNothingReads() {
        GrowbinProject project = GrowbinProject.minimal(root).values("values-dev.yaml", """
                secrets:
                  externalStore:
                    name: vault
                    remoteKeys:
                      openai-secret: shop/openai
                """);
        assertThat(project.compile(VISION)).hadErrorContaining("[growbin:secret-store] values-dev.yaml:4: secrets.externalStore.remoteKeys names the "
                + "Secret 'openai-secret', which no manifest reads; did you mean 'openai-secrets'?");
        project.assertNothingWritten();
    }

    /** The objects of a multi-document text by metadata.name, in file order. */
    static Map<String, JsonNode> objects(String text) throws IOException {
        Map<String, JsonNode> objects = new LinkedHashMap<>();
        try (YAMLParser parser = new YAMLFactory().createParser(text)) {
            for (JsonNode document : YAML.readValues(parser, JsonNode.class).readAll()) {
                if (document != null && !document.isEmpty()) {
                    objects.put(document.at("/metadata/name").asText(), document);
                }
            }
        }
        return objects;
    }
}
