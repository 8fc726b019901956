package app.growbin.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.RestServiceDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The users and auth services over real HTTP, as a client sees them. */
class UsersAndAuthApiTest {

    private static final String SIGNING_KEY = "a-test-signing-key-of-at-least-32-bytes!";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Launcher.Running running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.shutdown();
        }
    }

    @Test
    void usersCanBeCreatedReadReplacedAndDeleted() throws Exception {
        String base = start(new RestServiceDefinition("users", "/api/v1/users", 8080, UsersApi::new));

        HttpResponse<String> created = send("POST", base, "{\"name\": \"Ada\", \"email\": \"ada@example.com\"}", null);
        assertEquals(201, created.statusCode(), created.body());
        String id = json.readTree(created.body()).get("id").asText();
        assertTrue(created.headers().firstValue("Location").orElseThrow().endsWith("/api/v1/users/" + id));

        JsonNode read = json.readTree(send("GET", base + "/" + id, null, null).body());
        assertEquals("Ada", read.get("name").asText());

        assertEquals(200, send("PUT", base + "/" + id, "{\"name\": \"Ada L.\", \"email\": \"ada@example.com\"}", null).statusCode());
        assertEquals("Ada L.", json.readTree(send("GET", base + "/" + id, null, null).body()).get("name").asText());

        assertEquals(1, json.readTree(send("GET", base, null, null).body()).get("users").size());
        assertTrue(send("DELETE", base + "/" + id, null, null).statusCode() / 100 == 2);
        assertEquals(404, send("GET", base + "/" + id, null, null).statusCode());
    }

    @Test
    void loginIssuesATokenThatMeAccepts() throws Exception {
        String base = start(new RestServiceDefinition("auth", "/api/v1/auth", 8080, AuthApi::new));
        String credentials = "{\"username\": \"ada\", \"password\": \"correct horse\"}";

        assertEquals(201, send("POST", base + "/register", credentials, null).statusCode());
        assertEquals(409, send("POST", base + "/register", credentials, null).statusCode());
        assertEquals(400, send("POST", base + "/register", "{\"username\": \"bob\", \"password\": \"short\"}", null).statusCode());
        assertEquals(401, send("POST", base + "/login", "{\"username\": \"ada\", \"password\": \"wrong password\"}", null).statusCode());

        HttpResponse<String> login = send("POST", base + "/login", credentials, null);
        assertEquals(200, login.statusCode(), login.body());
        JsonNode token = json.readTree(login.body());
        assertEquals("Bearer", token.get("tokenType").asText());
        String accessToken = token.get("accessToken").asText();
        assertEquals(3, accessToken.split("\\.").length, "a JWT has three parts");

        HttpResponse<String> me = send("GET", base + "/me", null, "Bearer " + accessToken);
        assertEquals(200, me.statusCode(), me.body());
        assertTrue(me.body().contains("ada"), me.body());

        String tampered = accessToken.substring(0, accessToken.length() - 2) + (accessToken.endsWith("A") ? "BB" : "AA");
        assertEquals(401, send("GET", base + "/me", null, "Bearer " + tampered).statusCode());
        assertEquals(401, send("GET", base + "/me", null, null).statusCode());
    }

    private String start(RestServiceDefinition definition) throws IOException {
        Env env = new Env(Map.of(EnvVars.HTTP_PORT, "0", EnvVars.SHUTDOWN_DRAIN_SECONDS, "0", EnvVars.SHUTDOWN_GRACE_SECONDS, "1",
                TokenSigner.SIGNING_KEY_VARIABLE, SIGNING_KEY));
        running = Launcher.startRest(definition, env);
        return "http://127.0.0.1:" + running.port() + definition.path();
    }

    private HttpResponse<String> send(String method, String uri, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
