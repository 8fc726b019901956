package app.growbin.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.Response;
import app.growbin.runtime.RestServiceDefinition;
import app.growbin.runtime.Routes;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.auth.Caller;
import app.growbin.runtime.auth.RedisRevocationList;
import app.growbin.runtime.auth.SigningKeys;
import app.growbin.runtime.auth.Tokens;
import app.growbin.runtime.metrics.MetricsRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Access control lives in the runtime: every route declares who may call it, the server checks it
 * before the handler (401 without a valid token, 403 without the right, both JSON), and a service with
 * an undeclared route does not start.
 */
class AccessControlTest {

    static final String KEYS = "k1=access-control-test-key-of-32-bytes!!";

    /** A "too large" exception of some library, mapped to 413 by the service. */
    static final class TooLargeForTheBroker extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeForTheBroker() {
            super("message too large for the broker");
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private RedisRevocationList revocations;
    private Tokens tokens;
    private RuntimeHttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        revocations = new RedisRevocationList(Env.DEFAULT_RESULT_BACKEND, Clock.systemUTC());
        tokens = new Tokens(SigningKeys.parse(KEYS), "growbin", "growbin-api", Duration.ofMinutes(5), revocations, Clock.systemUTC());
        Routes routes = new Routes("/api");
        routes.get("/open", Access.PUBLIC, r -> Response.ok(Map.of("caller", r.caller().map(Caller::subject).orElse("nobody"))));
        routes.get("/me", Access.AUTHENTICATED, r -> Response.ok(Map.of("caller", r.requireCaller().subject())));
        routes.get("/admin", Access.role("admin"), r -> Response.ok(Map.of("admin", true)));
        routes.get("/users/{id}", Access.ownerOr("id", "admin"), r -> Response.ok(Map.of("id", r.pathParam("id"))));
        routes.post("/logout", Access.AUTHENTICATED, r -> {
            tokens.revoke(r.requireCaller());
            return Response.status(204);
        });
        routes.get("/client", Access.PUBLIC, r -> Response.ok(Map.of("address", r.clientAddress())));
        routes.get("/publish", Access.PUBLIC, r -> {
            throw new IllegalStateException("wrapped", new TooLargeForTheBroker());
        });
        routes.mapError(TooLargeForTheBroker.class, 413);
        HttpLimits limits = HttpLimits.defaults();
        server = new RuntimeHttpServer("acl", "127.0.0.1", 0, routes, new MetricsRegistry(), () -> true,
                new HttpLimits(limits.maxBodyBytes(), limits.maxUrlBytes(), limits.maxHeaderBytes(), limits.idleTimeout(),
                        limits.bodyTimeout(), limits.maxConnections(), limits.maxThreads(), limits.bodyMemoryBytes(), 1),
                tokens);
        server.start();
        base = "http://127.0.0.1:" + server.port() + "/api";
    }

    @AfterEach
    void stop() {
        server.stop(0);
        revocations.close();
    }

    HttpResponse<String> get(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    void assertJson(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(json.readTree(r.body()).hasNonNull("error"), r.body());
    }

    @Test
    void missingOrInvalidTokensAre401AsJson() throws Exception {
        HttpResponse<String> none = get("/me", null);
        assertJson(none, 401);
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertJson(get("/me", "garbage"), 401);
        assertJson(get("/users/u1", null), 401);
        assertJson(get("/admin", null), 401);
        String other = new Tokens(SigningKeys.parse("k1=a-different-key-with-the-same-kid-32b!"), "growbin", "growbin-api",
                Duration.ofMinutes(5), revocations, Clock.systemUTC()).issue("u1", Set.of("admin")).token();
        assertJson(get("/admin", other), 401);
        HttpResponse<String> basic = http.send(HttpRequest.newBuilder(URI.create(base + "/me"))
                .header("Authorization", "Basic dTpw").build(), HttpResponse.BodyHandlers.ofString());
        assertJson(basic, 401);
    }

    @Test
    void wrongRoleOrAnotherOwnerIs403AsJson() throws Exception {
        String user = tokens.issue("u1", Set.of("user")).token();
        String admin = tokens.issue("root", Set.of("admin")).token();
        assertEquals("u1", json.readTree(get("/me", user).body()).get("caller").asText());
        assertJson(get("/admin", user), 403);
        assertEquals(200, get("/admin", admin).statusCode());
        assertEquals(200, get("/users/u1", user).statusCode(), "the owner");
        assertJson(get("/users/u2", user), 403);
        assertEquals(200, get("/users/u2", admin).statusCode(), "an administrator");
    }

    @Test
    void publicRoutesNeedNoToken() throws Exception {
        HttpResponse<String> r = get("/open", null);
        assertEquals(200, r.statusCode());
        assertEquals("nobody", json.readTree(r.body()).get("caller").asText());
    }

    @Test
    void logoutRevokesTheToken() throws Exception {
        String user = tokens.issue("u1", Set.of()).token();
        assertEquals(200, get("/me", user).statusCode());
        HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create(base + "/logout")).header("Authorization", "Bearer " + user)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, out.statusCode(), out.body());
        assertJson(get("/me", user), 401);
    }

    @Test
    void theClientAddressIsTheOneTheTrustedProxySaw() throws Exception {
        // one trusted proxy: the last X-Forwarded-For entry is what it saw; what the client wrote before it is ignored
        HttpResponse<String> r = get("/client", null, "X-Forwarded-For", "6.6.6.6, 203.0.113.9");
        assertEquals("203.0.113.9", json.readTree(r.body()).get("address").asText());
        assertEquals("127.0.0.1", json.readTree(get("/client", null).body()).get("address").asText());
    }

    @Test
    void aServiceMapsALibrarysExceptionToAStatus() throws Exception {
        assertJson(get("/publish", null), 413);
    }

    @Test
    void aRouteWithoutADeclarationFailsAtStartup() {
        Routes routes = new Routes("/api");
        routes.get("/declared", Access.PUBLIC, r -> Response.ok(Map.of()));
        Routes undeclared = routes.get("/open-by-accident", r -> Response.ok(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RuntimeHttpServer("x", "127.0.0.1", 0, undeclared, new MetricsRegistry(), () -> true));
        assertTrue(e.getMessage().contains("GET /api/open-by-accident"), e.getMessage());

        RestServiceDefinition def = new RestServiceDefinition("open", "/api/v1/open", 8080, () -> (r, c) -> {
            r.get("", Access.PUBLIC, q -> Response.ok(Map.of()));
            r.delete("/{id}", q -> Response.status(204));
        });
        Env env = new Env(Map.of(EnvVars.HTTP_PORT, "0"));
        IllegalArgumentException launch = assertThrows(IllegalArgumentException.class, () -> Launcher.startRest(def, env));
        assertTrue(launch.getMessage().contains("DELETE /api/v1/open/{id}"), launch.getMessage());
    }

    @Test
    void routesThatNeedTokensNeedTheKeys() {
        Routes routes = new Routes("/api");
        routes.get("/me", Access.AUTHENTICATED, r -> Response.ok(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new RuntimeHttpServer("x", "127.0.0.1", 0, routes,
                new MetricsRegistry(), () -> true));
        RestServiceDefinition def = new RestServiceDefinition("s", "/api/v1/s", 8080, () -> (r, c) ->
                r.get("", Access.AUTHENTICATED, q -> Response.ok(Map.of())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Launcher.startRest(def, new Env(Map.of(EnvVars.HTTP_PORT, "0"))));
        assertTrue(e.getMessage().contains(EnvVars.AUTH_SIGNING_KEYS), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Routes("/api").get("/x", Access.ownerOr("id"), r -> null),
                "an owner parameter the route does not have");
    }
}
