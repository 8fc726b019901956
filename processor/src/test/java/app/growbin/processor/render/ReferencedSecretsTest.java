package app.growbin.processor.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.annotations.Pool;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.ReferencedSecret;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.SecretEnvVar;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.settings.Default;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.SettingValues;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.write.YamlText;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Secrets an environment reads have one definition, {@code EnvironmentModel.referencedSecrets()}
 * (the prerequisites list and the ExternalSecrets are made of it): the ExternalSecrets that
 * {@link ExternalSecretRenderer} writes through the environment's view, which the Helm chart
 * reproduces, are that list, Secret by Secret and key by key, in every combination below.
 */
class ReferencedSecretsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Arguments> environments() {
        SecretEnvVar openAi = new SecretEnvVar("OPENAI_API_KEY", "openai-secrets", "api-key");
        SecretEnvVar organization = new SecretEnvVar("OPENAI_ORG", "openai-secrets", "organization");
        SecretEnvVar database = new SecretEnvVar("DATABASE_URL", "auth-db", "url");
        SecretEnvVar brokerAgain = new SecretEnvVar("BROKER", "celery-secrets", "broker-url");
        return Stream.of(
                Arguments.of("defaults", Map.of(), List.of(true, true), List.of(openAi, database)),
                Arguments.of("a disabled worker's keys are not read", Map.of(), List.of(true, false), List.of(openAi, organization)),
                Arguments.of("nothing enabled reads nothing", Map.of(), List.of(false, false), List.of(openAi)),
                Arguments.of("broker and backend in different Secrets", Map.of(Settings.BACKEND_SECRET_NAME, "redis-secrets"),
                        List.of(true, true), List.of(database)),
                Arguments.of("the broker in a Secret of the code", Map.of(Settings.BROKER_SECRET_NAME, "openai-secrets",
                        Settings.BROKER_SECRET_KEY, "api-key"), List.of(true, true), List.of(openAi, organization)),
                Arguments.of("the code reads a Celery key again", Map.of(), List.of(true, true), List.of(brokerAgain)),
                Arguments.of("TLS from a Secret", Map.of(Settings.INGRESS_TLS_ENABLED, true, Settings.DOMAIN, "shop.example",
                        Settings.INGRESS_TLS_SECRET, "shop-tls"), List.of(true, true), List.of(openAi)),
                Arguments.of("TLS from ACM", Map.of(Settings.INGRESS_TLS_ENABLED, true, Settings.DOMAIN, "shop.example",
                        Settings.INGRESS_TLS_SECRET, "shop-tls", Settings.INGRESS_CLASS_NAME, "alb"), List.of(true, true), List.of(openAi)),
                Arguments.of("TLS from cert-manager", Map.of(Settings.INGRESS_TLS_ENABLED, true, Settings.DOMAIN, "shop.example",
                        Settings.INGRESS_TLS_SECRET, "shop-tls", Settings.INGRESS_TLS_CLUSTER_ISSUER, "letsencrypt"), List.of(true, true), List.of()),
                Arguments.of("TLS behind a Gateway", Map.of(Settings.INGRESS_TLS_ENABLED, true, Settings.DOMAIN, "shop.example",
                        Settings.INGRESS_TLS_SECRET, "shop-tls", Settings.INGRESS_KIND, "gateway"), List.of(true, true), List.of()),
                Arguments.of("TLS without a REST service", Map.of(Settings.INGRESS_TLS_ENABLED, true, Settings.DOMAIN, "shop.example",
                        Settings.INGRESS_TLS_SECRET, "shop-tls"), List.of(false, true), List.of(database)),
                Arguments.of("the TLS Secret shared with the code", Map.of(Settings.INGRESS_TLS_ENABLED, true, Settings.DOMAIN, "shop.example",
                        Settings.INGRESS_TLS_SECRET, "openai-secrets"), List.of(true, true), List.of(openAi)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void theExternalSecretsAreTheReferencedSecrets(String name, Map<Setting<?>, Object> settings, List<Boolean> enabled,
                                                    List<SecretEnvVar> workerSecrets) throws IOException {
        Map<Setting<?>, Object> withStore = new LinkedHashMap<>(settings);
        withStore.put(Settings.EXTERNAL_STORE_NAME, "vault");
        EnvironmentModel environment = environment(withStore, enabled, workerSecrets);

        Map<String, List<String>> expected = new LinkedHashMap<>();
        Map<String, Boolean> expectedTls = new TreeMap<>();
        for (ReferencedSecret secret : environment.referencedSecrets()) {
            expected.put(secret.name(), secret.keys());
            expectedTls.put(secret.name(), secret.tls());
        }
        Map<String, List<String>> rendered = new LinkedHashMap<>();
        Map<String, Boolean> renderedTls = new TreeMap<>();
        Manifest file = new Manifest("infrastructure/externalsecrets.yaml", "test", new ExternalSecretRenderer().render(new EnvironmentView(environment)));
        if (!file.isEmpty()) {
            try (YAMLParser parser = new YAMLFactory().createParser(new YamlText().render(file))) {
                for (JsonNode object : YAML.readValues(parser, JsonNode.class).readAll()) {
                    List<String> keys = new ArrayList<>();
                    object.at("/spec/data").forEach(entry -> keys.add(entry.at("/secretKey").asText()));
                    rendered.put(object.at("/metadata/name").asText(), keys);
                    renderedTls.put(object.at("/metadata/name").asText(), object.at("/spec/target/template/type").asText().equals("kubernetes.io/tls"));
                }
            }
        }
        assertEquals(expected, rendered, name);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(rendered.keySet()), name + ": order");
        assertEquals(expectedTls, renderedTls, name + ": TLS type");
    }

    /** One REST service (reading auth-db/url) and one worker reading {@code workerSecrets}. */
    private static EnvironmentModel environment(Map<Setting<?>, Object> overrides, List<Boolean> enabled, List<SecretEnvVar> workerSecrets) {
        SettingValues.Builder application = SettingValues.builder();
        Default.Resolved resolved = new Default.Resolved() {
            @Override
            public <T> T get(Setting<T> setting) {
                return application.find(setting).orElseThrow();
            }

            @Override
            public String environment() {
                return "dev";
            }
        };
        for (Setting<?> setting : Settings.application()) {
            if (setting.inValuesFiles()) {
                put(application, setting, overrides.containsKey(setting) ? overrides.get(setting)
                        : setting == Settings.APP_NAME ? "shop" : setting.defaultValue().valueWhenUnset(setting.key(), resolved));
            }
        }
        RestServiceModel auth = new RestServiceModel("auth", "test.AuthApi", "/api/v1/auth", 8080, List.of(),
                List.of(new SecretEnvVar("DATABASE_URL", "auth-db", "url")), SettingValues.builder().put(Settings.ENABLED, enabled.get(0)).build());
        WorkerModel worker = new WorkerModel("vision", "test.VisionWorker", "q.vision", Pool.THREADS, List.of(), List.of(), workerSecrets,
                SettingValues.builder().put(Settings.ENABLED, enabled.get(1)).build());
        return new EnvironmentModel("dev", application.build(), List.of(auth), List.of(worker));
    }

    @SuppressWarnings("unchecked")
    private static <T> void put(SettingValues.Builder values, Setting<T> setting, Object value) {
        values.put(setting, (T) value);
    }
}
