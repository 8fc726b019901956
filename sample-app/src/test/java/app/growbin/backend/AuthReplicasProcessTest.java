package app.growbin.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.testing.JvmProcess;
import app.growbin.runtime.testing.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The replica findings of issue 11, with real processes: two JVMs of auth ("A", "B") and two of users
 * against one PostgreSQL database, started at once (so their migrations race), as the generated
 * Deployments start them ({@code Launcher rest auth}). Register on A, log in on B; a second "alice"
 * on B is refused; a token from B works on A and on both users replicas; a logout on B holds on A;
 * failures on A and B add up to one lockout; after a restart of every auth process the accounts are
 * still there and nobody can claim "alice" again.
 */
class AuthReplicasProcessTest {

    static final String KEYS = "r1=replica-test-signing-key-of-32-bytes!!";
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void accountsTokensLogoutAndLockoutHoldAcrossReplicasAndRestarts() throws Exception {
        List<JvmProcess> processes = new ArrayList<>();
        try (TestDatabase db = TestDatabase.create()) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String replica : List.of("auth-a", "auth-b", "users-a", "users-b")) {
                ports.put(replica, JvmProcess.freePort());
                processes.add(start(replica, ports.get(replica), db));
            }
            for (int i = 0; i < processes.size(); i++) {
                processes.get(i).awaitStatus(ports.get(List.copyOf(ports.keySet()).get(i)), "/ready", 200, Duration.ofSeconds(90));
            }
            String authA = base(ports.get("auth-a"), "auth");
            String authB = base(ports.get("auth-b"), "auth");
            String usersA = base(ports.get("users-a"), "users");
            String usersB = base(ports.get("users-b"), "users");

            // register on A, log in on B
            HttpResponse<String> registered = post(authA + "/register", "{\"username\": \"alice\", \"email\": \"alice@example.com\", \"password\": \"alice's secret\"}", null);
            assertEquals(201, registered.statusCode(), registered.body());
            String aliceId = json.readTree(registered.body()).get("id").asText();
            String token = login(authB, "alice", "alice's secret");
            // a second alice on B, with another password, is refused by the database
            assertEquals(409, post(authB + "/register", "{\"username\": \"alice\", \"email\": \"mallory@example.com\", \"password\": \"mallory's secret\"}", null).statusCode());
            assertEquals(401, post(authA + "/login", "{\"username\": \"alice\", \"password\": \"mallory's secret\"}", null).statusCode());

            // B's token on A and on both users replicas; the profile created on one is read on the other
            assertEquals(aliceId, json.readTree(get(authA + "/me", token).body()).get("id").asText());
            assertEquals(201, post(usersA, "{\"name\": \"Alice\", \"email\": \"alice@example.com\"}", token).statusCode());
            assertEquals(200, get(usersB + "/" + aliceId, token).statusCode());
            assertEquals(401, get(usersB, null).statusCode());

            // a refresh token from a login on B is rotated by A
            HttpResponse<String> loginB = post(authB + "/login", "{\"username\": \"alice\", \"password\": \"alice's secret\"}", null);
            String refresh = json.readTree(loginB.body()).get("refreshToken").asText();
            HttpResponse<String> refreshedOnA = post(authA + "/refresh", json.writeValueAsString(Map.of("refreshToken", refresh)), null);
            assertEquals(200, refreshedOnA.statusCode(), refreshedOnA.body());
            assertEquals(401, post(authB + "/refresh", json.writeValueAsString(Map.of("refreshToken", refresh)), null).statusCode(),
                    "a replaced refresh token is refused by the other replica");

            // logout on B: refused on A and on the users replicas
            assertEquals(204, post(authB + "/logout", null, token).statusCode());
            assertEquals(401, get(authA + "/me", token).statusCode());
            assertEquals(401, get(usersA + "/" + aliceId, token).statusCode());

            // failures on A and B count together: the account locks with 429 and Retry-After on both
            post(authA + "/register", "{\"username\": \"carol\", \"email\": \"carol@example.com\", \"password\": \"carol's secret\"}", null);
            for (int i = 0; i < LoginThrottle.PER_ACCOUNT.threshold(); i++) {
                assertEquals(401, post((i % 2 == 0 ? authA : authB) + "/login", "{\"username\": \"carol\", \"password\": \"guess " + i + "\"}", null).statusCode());
            }
            for (String replica : List.of(authA, authB)) {
                HttpResponse<String> locked = post(replica + "/login", "{\"username\": \"carol\", \"password\": \"carol's secret\"}", null);
                assertEquals(429, locked.statusCode(), locked.body());
                assertTrue(locked.headers().firstValue("Retry-After").isPresent());
            }

            // restart every auth process: the accounts stay, and "alice" cannot be claimed again
            for (int i = 0; i < 2; i++) {
                processes.get(i).close();
            }
            int restarted = JvmProcess.freePort();
            JvmProcess authC = start("auth-c", restarted, db);
            processes.add(authC);
            authC.awaitStatus(restarted, "/ready", 200, Duration.ofSeconds(90));
            String authAfter = base(restarted, "auth");
            assertEquals(409, post(authAfter + "/register", "{\"username\": \"alice\", \"email\": \"eve@example.com\", \"password\": \"eve's secret!\"}", null).statusCode());
            String again = login(authAfter, "alice", "alice's secret");
            assertEquals(200, get(usersA + "/" + aliceId, again).statusCode());
        } catch (AssertionError e) {
            StringBuilder tails = new StringBuilder();
            processes.forEach(p -> tails.append(p.tail()));
            throw new AssertionError(e.getMessage() + "\n" + tails, e);
        } finally {
            processes.forEach(JvmProcess::close);
        }
    }

    private static JvmProcess start(String replica, int port, TestDatabase db) throws Exception {
        String service = replica.substring(0, replica.indexOf('-'));
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvVars.HTTP_PORT, String.valueOf(port));
        env.put(EnvVars.SHUTDOWN_DRAIN_SECONDS, "0");
        env.put(EnvVars.SHUTDOWN_GRACE_SECONDS, "1");
        env.put(EnvVars.CELERY_BROKER_URL, System.getenv().getOrDefault(EnvVars.CELERY_BROKER_URL, Env.DEFAULT_BROKER_URL));
        env.put(EnvVars.CELERY_RESULT_BACKEND, System.getenv().getOrDefault(EnvVars.CELERY_RESULT_BACKEND, Env.DEFAULT_RESULT_BACKEND));
        env.put(EnvVars.AUTH_SIGNING_KEYS, KEYS);
        env.put(EnvVars.DATABASE_URL, db.url());
        env.put(EnvVars.DATABASE_USER, db.user());
        return JvmProcess.start(replica, List.of(JvmProcess.javaBin(), "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                JvmProcess.testClassPath(), Launcher.class.getName(), "rest", service), env);
    }

    private static String base(int port, String service) {
        return "http://127.0.0.1:" + port + "/api/v1/" + service;
    }

    private String login(String auth, String username, String password) throws Exception {
        HttpResponse<String> r = post(auth + "/login", json.writeValueAsString(Map.of("username", username, "password", password)), null);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body()).get("accessToken").asText();
    }

    private HttpResponse<String> post(String uri, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
