package app.growbin.backend;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.testing.JvmProcess;
import app.growbin.runtime.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The backend of {@code k8s-out/dev} on this machine, under traffic, for the dashboard preview of
 * {@code docs/dashboard-preview/}: every Deployment started as {@link ManifestRuntimeTest} starts it
 * (its command, its ConfigMap and variables, local Secrets, the fake OpenAI server), then, for the
 * given minutes, four requests a second from one user (registered and logged in through the auth
 * process first; the waste service's rate limit raised for the run): a waste classification through
 * the worker chain, a look-up of an unknown waste task (404) and a failed login; one OpenAI call in twenty is answered 500. Writes the scrape targets ({@code name host:port}, one a line) to the
 * file named by the second argument, for the Prometheus that records the run.
 *
 * <p>Not a test: run it from the test class path (docs/dashboard-preview/render.sh does).
 */
public final class DashboardPreviewBackend {

    private DashboardPreviewBackend() {}

    public static void main(String[] args) throws Exception {
        Duration length = Duration.ofMinutes(Long.parseLong(args[0]));
        Path targets = Path.of(args[1]);
        String openAiKey = "sk-preview-" + UUID.randomUUID();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, JvmProcess> processes = new LinkedHashMap<>();
        try (TestDatabase database = TestDatabase.create(); FakeOpenAi openAi = new FakeOpenAi(openAiKey)) {
            Map<String, String> secrets = Map.of(
                    "celery-secrets/broker-url", ManifestRuntimeTest.BROKER_URL,
                    "celery-secrets/result-backend", ManifestRuntimeTest.RESULT_BACKEND,
                    "openai-secrets/api-key", openAiKey,
                    "auth-secrets/signing-keys", "k1=preview-signing-key-" + UUID.randomUUID(),
                    "auth-database/url", database.url(), "auth-database/username", database.user(), "auth-database/password", "",
                    "users-database/url", database.url(), "users-database/username", database.user(), "users-database/password", "");
            Set<Integer> taken = new HashSet<>();
            Map<String, ManifestRuntimeTest.Launch> launches = new LinkedHashMap<>();
            for (Path file : ManifestRuntimeTest.deploymentFiles()) {
                // one user sends all the traffic: a budget far above its 4 requests a second keeps 429s out of the preview
                ManifestRuntimeTest.Launch launch = ManifestRuntimeTest.launch(file, ManifestRuntimeTest.configMaps(), secrets,
                        Map.of(EnvVars.OPENAI_BASE_URL, openAi.baseUrl(), EnvVars.RATE_LIMIT_REQUESTS, "100000"), taken);
                launches.put(launch.name(), launch);
                processes.put(launch.name(), JvmProcess.start(launch.name(), launch.command(), launch.env()));
            }
            List<String> lines = new ArrayList<>();
            for (ManifestRuntimeTest.Launch launch : launches.values()) {
                int port = launch.ports().containsKey("metrics") ? launch.ports().get("metrics") : launch.ports().get("http");
                processes.get(launch.name()).awaitStatus(port, "/ready", 200, ManifestRuntimeTest.STARTUP);
                lines.add(launch.name() + " 127.0.0.1:" + port);
            }
            Files.write(targets, lines);
            System.out.println("[preview] backend ready: " + lines);
            String token = ManifestRuntimeTest.registerAndLogIn(http, launches.get("auth"));
            String waste = "http://127.0.0.1:" + launches.get("waste").ports().get("http") + "/api/v1/waste";
            String auth = "http://127.0.0.1:" + launches.get("auth").ports().get("http") + "/api/v1/auth/login";
            long end = System.nanoTime() + length.toNanos();
            long round = 0;
            while (System.nanoTime() < end) {
                round++;
                send(http, HttpRequest.newBuilder(URI.create(waste)).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("{\"description\": \"Empty glass jar " + round + "\"}")).build());
                send(http, HttpRequest.newBuilder(URI.create(waste + "/" + UUID.randomUUID())).header("Authorization", "Bearer " + token).build());
                send(http, HttpRequest.newBuilder(URI.create(auth)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"nobody@example.com\", \"password\": \"wrong\"}")).build());
                if (round % 20 == 0) {
                    // an OpenAI outage for one request: vision's call fails, and the worker retries
                    openAi.failNext();
                }
                Thread.sleep(250);
            }
            System.out.println("[preview] traffic done after " + round + " rounds");
        } finally {
            processes.values().forEach(JvmProcess::close);
        }
    }

    private static void send(HttpClient http, HttpRequest request) {
        try {
            http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            System.out.println("[preview] " + request.uri() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
