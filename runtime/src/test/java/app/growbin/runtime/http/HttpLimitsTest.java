package app.growbin.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Response;
import app.growbin.runtime.Routes;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.testing.RawHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP limits of issue 11: body cap → 413, URL and header caps → 414/431 answered (not reset),
 * Content-Type → 415, 405 with Allow, JSON for every error including a garbage request line, and slow
 * clients (slowloris headers, bodies that never finish) that cannot hold the handler threads.
 */
class HttpLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RawHttp> sockets = new ArrayList<>();
    private RuntimeHttpServer server;

    /** Small limits, so that the tests need small payloads: 1 KiB body, 256 B URL, 1 KiB header, 2 handler threads. */
    static HttpLimits small(Duration bodyTimeout) {
        return new HttpLimits(1024, 256, 1024, Duration.ofSeconds(20), bodyTimeout, 512, 2, 1 << 20, 0);
    }

    int start(HttpLimits limits) throws Exception {
        Routes routes = new Routes("/api");
        routes.post("/items", Access.PUBLIC, r -> Response.json(201, Map.of("bytes", r.body().length)));
        routes.get("/items/{id}", Access.PUBLIC, r -> Response.ok(Map.of("id", r.pathParam("id"))));
        routes.delete("/items/{id}", Access.PUBLIC, r -> Response.status(204));
        server = new RuntimeHttpServer("limits", "127.0.0.1", 0, routes, new MetricsRegistry(), () -> true, limits, null);
        server.start();
        return server.port();
    }

    @AfterEach
    void stop() {
        sockets.forEach(RawHttp::close);
        if (server != null) {
            server.stop(0);
        }
    }

    RawHttp socket(int port) throws Exception {
        RawHttp s = new RawHttp(port, Duration.ofSeconds(30));
        sockets.add(s);
        return s;
    }

    static void assertJsonError(RawHttp.Answer a, int status) throws Exception {
        assertEquals(status, a.status(), a.body());
        assertTrue(a.header("content-type").startsWith("application/json"), "content type " + a.headers());
        JsonNode body = JSON.readTree(a.body());
        assertTrue(body.hasNonNull("error"), a.body());
    }

    @Test
    void aBodyAnnouncedOverTheCapIs413BeforeItIsRead() throws Exception {
        int port = start(small(Duration.ofSeconds(10)));
        RawHttp s = socket(port).write("POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 52428800\r\n\r\n");
        assertJsonError(s.read(), 413);
        assertTrue(s.closedByServer(), "the unread body is not kept: the connection closes");
    }

    @Test
    void aChunkedBodyOverTheCapIs413() throws Exception {
        int port = start(small(Duration.ofSeconds(10)));
        StringBuilder chunks = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            chunks.append("200\r\n").append("x".repeat(0x200)).append("\r\n");
        }
        RawHttp s = socket(port).write("POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n");
        s.writeInBackground(chunks.toString().getBytes(StandardCharsets.ISO_8859_1));
        assertJsonError(s.read(), 413);
    }

    @Test
    void aBodyUnderTheCapIsServed() throws Exception {
        int port = start(small(Duration.ofSeconds(10)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("\"" + "x".repeat(1000) + "\"")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(1002, JSON.readTree(r.body()).get("bytes").asInt());
    }

    @Test
    void aLongUrlIs414AndAHugeHeaderIs431BothAnsweredAsJson() throws Exception {
        int port = start(small(Duration.ofSeconds(10)));
        assertJsonError(socket(port).write("GET /api/items/" + "a".repeat(300) + " HTTP/1.1\r\nHost: x\r\n\r\n").read(), 414);
        // a request line longer than the whole header budget: Jetty's parser answers it
        assertJsonError(socket(port).write("GET /api/items/" + "a".repeat(2000) + " HTTP/1.1\r\nHost: x\r\n\r\n").read(), 414);
        // a 1 MB header, written while the server answers: the client reads a 431, not a reset
        byte[] huge = ("GET /api/items/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(1_000_000) + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertJsonError(socket(port).writeInBackground(huge).read(), 431);
    }

    @Test
    void garbageRequestLinesGetJson() throws Exception {
        int port = start(small(Duration.ofSeconds(10)));
        assertJsonError(socket(port).write("THIS IS NOT HTTP\r\n\r\n").read(), 400);
        assertJsonError(socket(port).write("GET /api/items/1 HTTP/9.9\r\nHost: x\r\n\r\n").read(), 505);
        assertJsonError(socket(port).write("GET /api/items/%zz HTTP/1.1\r\nHost: x\r\n\r\n").read(), 400);
    }

    @Test
    void jsonSentAsTextPlainIs415() throws Exception {
        int port = start(small(Duration.ofSeconds(10)));
        RawHttp.Answer a = socket(port).write("POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 2\r\n\r\n{}").read();
        assertJsonError(a, 415);
        assertJsonError(socket(port).write("POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}").read(), 415);
    }

    @Test
    void wrongMethodIs405WithAllowAndUnknownPathIs404() throws Exception {
        int port = start(small(Duration.ofSeconds(10)));
        RawHttp.Answer a = socket(port).write("PUT /api/items/7 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").read();
        assertJsonError(a, 405);
        assertEquals("DELETE, GET, HEAD", a.header("allow"));
        assertJsonError(socket(port).write("GET /api/nothing HTTP/1.1\r\nHost: x\r\n\r\n").read(), 404);
    }

    @Test
    void slowClientsDoNotHoldTheHandlerThreads() throws Exception {
        // two handler threads, and 17 bodies that never finish plus 17 slowloris header drips
        int port = start(small(Duration.ofSeconds(60)));
        for (int i = 0; i < 17; i++) {
            socket(port).write("POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"never\": ");
            socket(port).write("GET /api/items/1 HTTP/1.1\r\nHost: x\r\nX-Slow: a");
        }
        List<CompletableFuture<HttpResponse<String>>> normal = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            normal.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items/" + i))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < normal.size(); i++) {
            HttpResponse<String> r = normal.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(String.valueOf(i), JSON.readTree(r.body()).get("id").asText());
        }
    }

    @Test
    void aBodyThatNeverFinishesIs408AfterTheBodyTimeout() throws Exception {
        int port = start(small(Duration.ofSeconds(1)));
        RawHttp s = socket(port).write("POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"never\": ");
        assertJsonError(s.read(), 408);
        assertTrue(s.closedByServer());
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        int port = start(new HttpLimits(1024, 256, 1024, Duration.ofSeconds(1), Duration.ofSeconds(1), 512, 2, 1 << 20, 0));
        RawHttp s = socket(port);
        assertTrue(s.closedByServer(), "an idle connection is closed after the idle timeout");
    }

    @Test
    void bodiesBeyondTheMemoryBudgetAre503() throws Exception {
        int port = start(new HttpLimits(1024, 256, 1024, Duration.ofSeconds(20), Duration.ofSeconds(60), 512, 2, 2048, 0));
        // two stalled bodies of 1 KiB reserve the whole 2 KiB budget
        for (int i = 0; i < 2; i++) {
            socket(port).write("POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1024\r\n\r\n[");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.bodyBytesAvailable() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, server.bodyBytesAvailable(), "the stalled bodies reserved the budget");
        RawHttp.Answer a = null;
        while (System.nanoTime() < deadline) {
            try (RawHttp probe = new RawHttp(port, Duration.ofSeconds(30))) {
                a = probe.write("POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\n\r\n[]").read();
            }
            if (a.status() == 503) {
                break;
            }
            Thread.sleep(20);
        }
        assertNotNull(a);
        assertJsonError(a, 503);
        assertEquals("1", a.header("retry-after"));
    }

    @Test
    void limitsHaveDefaultsAndComeFromTheEnvironment() {
        HttpLimits d = HttpLimits.defaults();
        assertEquals(1 << 20, d.maxBodyBytes());
        assertEquals(8192, d.maxUrlBytes());
        assertEquals(16384, d.maxHeaderBytes());
        assertEquals(Duration.ofSeconds(30), d.idleTimeout());
        assertEquals(Duration.ofSeconds(10), d.bodyTimeout());
        HttpLimits e = HttpLimits.fromEnv(new Env(Map.of(EnvVars.HTTP_MAX_BODY_BYTES, "4096", EnvVars.HTTP_MAX_URL_BYTES, "512",
                EnvVars.HTTP_MAX_HEADER_BYTES, "2048", EnvVars.HTTP_IDLE_TIMEOUT_SECONDS, "5", EnvVars.HTTP_BODY_TIMEOUT_SECONDS, "3",
                EnvVars.HTTP_MAX_CONNECTIONS, "10", EnvVars.HTTP_MAX_THREADS, "4", EnvVars.HTTP_BODY_MEMORY_BYTES, "65536",
                EnvVars.HTTP_TRUSTED_PROXY_HOPS, "1")));
        assertEquals(new HttpLimits(4096, 512, 2048, Duration.ofSeconds(5), Duration.ofSeconds(3), 10, 4, 65536, 1), e);
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.fromEnv(new Env(Map.of(EnvVars.HTTP_MAX_BODY_BYTES, "0"))));
        assertThrows(IllegalArgumentException.class, () -> HttpLimits.fromEnv(new Env(Map.of(EnvVars.HTTP_MAX_URL_BYTES, "99999"))));
    }
}
