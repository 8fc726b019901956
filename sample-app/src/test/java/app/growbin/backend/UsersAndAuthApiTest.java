package app.growbin.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.RestServiceDefinition;
import app.growbin.runtime.testing.TestDatabase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The users and auth services over real HTTP, as a client sees them, with their accounts and
 * profiles in a PostgreSQL database of this test's own. The findings of issue 11 each have a test here
 * (in-process) or in {@link AuthReplicasProcessTest} (two JVMs of each service).
 */
class UsersAndAuthApiTest {

    static final String SIGNING_KEYS = "t1=a-test-signing-key-of-at-least-32-bytes!";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Launcher.Running> running = new ArrayList<>();
    private TestDatabase db;
    private PasswordHasher hasher;
    private String auth;
    private String users;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.create();
        hasher = new PasswordHasher(PasswordHasher.OWASP_MINIMUM);
        auth = start(new RestServiceDefinition("auth", "/api/v1/auth", 8080, () -> new AuthApi(hasher, LoginThrottle.PER_ACCOUNT,
                new LoginThrottle.Rule(8, Duration.ofMinutes(15), Duration.ofSeconds(30), Duration.ofMinutes(15)))));
        users = start(new RestServiceDefinition("users", "/api/v1/users", 8080, UsersApi::new));
    }

    @AfterEach
    void stop() throws Exception {
        running.forEach(Launcher.Running::shutdown);
        db.close();
    }

    private String start(RestServiceDefinition definition) throws Exception {
        Env env = new Env(Map.of(EnvVars.HTTP_PORT, "0", EnvVars.SHUTDOWN_DRAIN_SECONDS, "0", EnvVars.SHUTDOWN_GRACE_SECONDS, "1",
                EnvVars.AUTH_SIGNING_KEYS, SIGNING_KEYS, EnvVars.DATABASE_URL, db.url(), EnvVars.DATABASE_USER, db.user()));
        Launcher.Running r = Launcher.startRest(definition, env);
        running.add(r);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!r.ready()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(definition.name() + " not ready");
            }
            Thread.sleep(20);
        }
        return "http://127.0.0.1:" + r.port() + definition.path();
    }

    HttpResponse<String> send(String method, String uri, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String register(String username, String email, String password) throws Exception {
        HttpResponse<String> r = send("POST", auth + "/register", json.writeValueAsString(Map.of("username", username,
                "email", email, "password", password)), null);
        assertEquals(201, r.statusCode(), r.body());
        return json.readTree(r.body()).get("id").asText();
    }

    HttpResponse<String> login(String username, String password) throws Exception {
        return send("POST", auth + "/login", json.writeValueAsString(Map.of("username", username, "password", password)), null);
    }

    String token(String username, String password) throws Exception {
        HttpResponse<String> r = login(username, password);
        assertEquals(200, r.statusCode(), r.body());
        return json.readTree(r.body()).get("accessToken").asText();
    }

    @Test
    void registrationLoginMeAndLogout() throws Exception {
        String id = register("ada", "ada@example.com", "correct horse");
        assertEquals(409, send("POST", auth + "/register", "{\"username\": \"ADA\", \"email\": \"other@example.com\", \"password\": \"another one\"}", null).statusCode(),
                "a duplicate username, whatever its case");
        assertEquals(409, send("POST", auth + "/register", "{\"username\": \"ada2\", \"email\": \"Ada@Example.com\", \"password\": \"another one\"}", null).statusCode(),
                "a duplicate e-mail");
        assertEquals(400, send("POST", auth + "/register", "{\"username\": \"bob\", \"email\": \"bob@example.com\", \"password\": \"short\"}", null).statusCode(),
                "a weak password");
        assertEquals(401, login("ada", "wrong password").statusCode());

        HttpResponse<String> login = login("ada", "correct horse");
        assertEquals(200, login.statusCode(), login.body());
        JsonNode token = json.readTree(login.body());
        assertEquals("Bearer", token.get("tokenType").asText());
        String accessToken = token.get("accessToken").asText();
        assertEquals(3, accessToken.split("\\.").length, "a JWT has three parts");

        HttpResponse<String> me = send("GET", auth + "/me", null, accessToken);
        assertEquals(200, me.statusCode(), me.body());
        assertEquals("ada", json.readTree(me.body()).get("username").asText());
        assertEquals(id, json.readTree(me.body()).get("id").asText());

        String tampered = accessToken.substring(0, accessToken.length() - 2) + (accessToken.endsWith("A") ? "BB" : "AA");
        assertEquals(401, send("GET", auth + "/me", null, tampered).statusCode());
        assertEquals(401, send("GET", auth + "/me", null, null).statusCode());

        assertEquals(204, send("POST", auth + "/logout", null, accessToken).statusCode());
        assertEquals(401, send("GET", auth + "/me", null, accessToken).statusCode(), "a logged-out token is revoked");
        assertEquals(401, send("GET", users + "/" + id, null, accessToken).statusCode(), "... on the other service too");
    }

    @Test
    void refreshTokensRotateAndAReusedOneEndsTheLogin() throws Exception {
        register("ivan", "ivan@example.com", "correct horse");
        JsonNode first = json.readTree(login("ivan", "correct horse").body());
        String refresh1 = first.get("refreshToken").asText();
        HttpResponse<String> refreshed = send("POST", auth + "/refresh", json.writeValueAsString(Map.of("refreshToken", refresh1)), null);
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        String access2 = json.readTree(refreshed.body()).get("accessToken").asText();
        String refresh2 = json.readTree(refreshed.body()).get("refreshToken").asText();
        assertEquals(200, send("GET", auth + "/me", null, access2).statusCode());
        // refresh1 was replaced: presenting it again means it was copied, so the whole login ends
        assertEquals(401, send("POST", auth + "/refresh", json.writeValueAsString(Map.of("refreshToken", refresh1)), null).statusCode());
        assertEquals(401, send("POST", auth + "/refresh", json.writeValueAsString(Map.of("refreshToken", refresh2)), null).statusCode());
        assertEquals(401, send("POST", auth + "/refresh", "{\"refreshToken\": \"not-a-token\"}", null).statusCode());

        JsonNode second = json.readTree(login("ivan", "correct horse").body());
        assertEquals(204, send("POST", auth + "/logout", json.writeValueAsString(Map.of("refreshToken", second.get("refreshToken").asText())),
                second.get("accessToken").asText()).statusCode());
        assertEquals(401, send("POST", auth + "/refresh", json.writeValueAsString(Map.of("refreshToken", second.get("refreshToken").asText())),
                null).statusCode(), "logout ends the refresh token too");
    }

    @Test
    void fieldsHaveLengthLimits() throws Exception {
        String megabyte = "a".repeat(1_000_000);
        assertEquals(400, send("POST", auth + "/register", json.writeValueAsString(Map.of("username", megabyte, "email", "m@example.com",
                "password", "long enough")), null).statusCode(), "a 1 MB username");
        assertEquals(400, login(megabyte, "whatever it is").statusCode());
        assertEquals(400, send("POST", auth + "/register", json.writeValueAsString(Map.of("username", "u".repeat(65),
                "email", "m@example.com", "password", "long enough")), null).statusCode());
        assertEquals(400, send("POST", auth + "/register", json.writeValueAsString(Map.of("username", "mail",
                "email", "m".repeat(250) + "@example.com", "password", "long enough")), null).statusCode());
        assertEquals(400, send("POST", auth + "/register", json.writeValueAsString(Map.of("username", "pw",
                "email", "pw@example.com", "password", "p".repeat(129))), null).statusCode());
        assertEquals(400, send("POST", auth + "/register", json.writeValueAsString(Map.of("username", "bad name!",
                "email", "b@example.com", "password", "long enough")), null).statusCode());
    }

    @Test
    void anUnknownUsernameCostsTheSameHashAsAKnownOne() throws Exception {
        register("grace", "grace@example.com", "correct horse");
        long before = hasher.computed();
        assertEquals(401, login("grace", "wrong password").statusCode());
        long known = hasher.computed() - before;
        before = hasher.computed();
        assertEquals(401, login("nobody-" + UUID.randomUUID().toString().substring(0, 8), "wrong password").statusCode());
        long unknown = hasher.computed() - before;
        assertEquals(1, known, "a known user's login computes one Argon2id hash");
        assertEquals(known, unknown, "an unknown user's login computes the same hash");
    }

    @Test
    void hashesAreArgon2idWithTheirParametersAndWeakOnesAreRehashedAtLogin() throws Exception {
        String id = register("linus", "linus@example.com", "correct horse");
        assertTrue(storedHash(id).startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), storedHash(id));
        String weak = Password.hash("old password").addRandomSalt(16)
                .with(Argon2Function.getInstance(4096, 1, 1, 32, Argon2.ID, Argon2Function.ARGON2_VERSION_13)).getResult();
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("UPDATE auth.accounts SET password_hash = ? WHERE id::text = ?")) {
            s.setString(1, weak);
            s.setString(2, id);
            assertEquals(1, s.executeUpdate());
        }
        assertTrue(hasher.needsRehash(weak));
        assertEquals(200, login("linus", "old password").statusCode());
        String rehashed = storedHash(id);
        assertTrue(rehashed.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), rehashed);
        assertFalse(hasher.needsRehash(rehashed));
        assertEquals(200, login("linus", "old password").statusCode(), "the new hash verifies the same password");
    }

    @Test
    void failedLoginsAreThrottledPerAccountWith429AndRetryAfter() throws Exception {
        register("eve", "eve@example.com", "correct horse");
        register("frank", "frank@example.com", "correct horse");
        for (int i = 0; i < LoginThrottle.PER_ACCOUNT.threshold(); i++) {
            assertEquals(401, login("eve", "guess " + i).statusCode());
        }
        HttpResponse<String> locked = login("eve", "correct horse");
        assertEquals(429, locked.statusCode(), "even the right password waits: " + locked.body());
        long retryAfter = Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= LoginThrottle.PER_ACCOUNT.baseLock().toSeconds(), "Retry-After " + retryAfter);
        assertTrue(json.readTree(locked.body()).hasNonNull("error"));
        assertEquals(200, login("frank", "correct horse").statusCode(), "another account from the same address is not locked");
    }

    @Test
    void failedLoginsAreThrottledPerClientAddress() throws Exception {
        register("heidi", "heidi@example.com", "correct horse");
        // this test's service locks an address after 8 failures, whatever the usernames
        for (int i = 0; i < 8; i++) {
            assertEquals(401, login("spray" + i, "guess").statusCode());
        }
        HttpResponse<String> locked = login("heidi", "correct horse");
        assertEquals(429, locked.statusCode(), locked.body());
        assertTrue(locked.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void profilesNeedATokenAndEachUserReachesOnlyTheirOwn() throws Exception {
        String ada = register("ada", "ada@example.com", "correct horse");
        String bob = register("bob", "bob@example.com", "correct horse");
        String adaToken = token("ada", "correct horse");
        String bobToken = token("bob", "correct horse");

        // the finding: without any token the list, a replacement and a deletion all went through
        assertEquals(401, send("GET", users, null, null).statusCode());
        assertEquals(401, send("PUT", users + "/" + ada, "{\"name\": \"x\", \"email\": \"x@example.com\"}", null).statusCode());
        assertEquals(401, send("DELETE", users + "/" + ada, null, null).statusCode());
        assertEquals(401, send("POST", users, "{\"name\": \"x\", \"email\": \"x@example.com\"}", null).statusCode());

        HttpResponse<String> created = send("POST", users, "{\"name\": \"Ada\", \"email\": \"ada@example.com\"}", adaToken);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(ada, json.readTree(created.body()).get("id").asText(), "a profile's id is its account's");
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/users/" + ada));
        assertEquals(409, send("POST", users, "{\"name\": \"Ada\", \"email\": \"ada2@example.com\"}", adaToken).statusCode());
        assertEquals(409, send("POST", users, "{\"name\": \"Bob\", \"email\": \"ADA@example.com\"}", bobToken).statusCode(),
                "e-mails are unique in the database");

        assertEquals("Ada", json.readTree(send("GET", users + "/" + ada, null, adaToken).body()).get("name").asText());
        assertEquals(200, send("PUT", users + "/" + ada, "{\"name\": \"Ada L.\", \"email\": \"ada@example.com\"}", adaToken).statusCode());
        assertEquals(403, send("GET", users + "/" + ada, null, bobToken).statusCode(), "bob reads ada's profile");
        assertEquals(403, send("PUT", users + "/" + ada, "{\"name\": \"pwned\", \"email\": \"b@example.com\"}", bobToken).statusCode());
        assertEquals(403, send("DELETE", users + "/" + ada, null, bobToken).statusCode());
        assertEquals(403, send("GET", users, null, adaToken).statusCode(), "only an administrator lists everyone");

        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(
                "UPDATE auth.accounts SET roles = ARRAY['user', 'admin'] WHERE id::text = ?")) {
            s.setString(1, bob);
            s.executeUpdate();
        }
        String adminToken = token("bob", "correct horse");
        HttpResponse<String> list = send("GET", users, null, adminToken);
        assertEquals(200, list.statusCode(), list.body());
        assertEquals(1, json.readTree(list.body()).get("users").size());
        assertEquals("Ada L.", json.readTree(send("GET", users + "/" + ada, null, adminToken).body()).get("name").asText());
        assertEquals(204, send("DELETE", users + "/" + ada, null, adaToken).statusCode());
        assertEquals(404, send("GET", users + "/" + ada, null, adaToken).statusCode());
        HttpResponse<String> textPlain = http.send(HttpRequest.newBuilder(URI.create(users)).header("Authorization", "Bearer " + adaToken)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Ada\", \"email\": \"a@example.com\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, textPlain.statusCode(), "valid JSON sent as text/plain: " + textPlain.body());
    }

    private String storedHash(String id) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("SELECT password_hash FROM auth.accounts WHERE id::text = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                return r.getString(1);
            }
        }
    }
}
