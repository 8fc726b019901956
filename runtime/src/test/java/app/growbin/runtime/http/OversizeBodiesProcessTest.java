package app.growbin.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.Launcher;
import app.growbin.runtime.testing.JvmProcess;
import app.growbin.runtime.testing.RawHttp;
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
import org.junit.jupiter.api.Test;

/**
 * Bounded memory: a REST service in its own JVM with the heap its Deployment gives it (-Xmx384m: 75 %
 * of the 512Mi limit, as -XX:MaxRAMPercentage=75.0 computes it, and -XX:+ExitOnOutOfMemoryError as the
 * manifests set) survives four concurrent 50 MB bodies, two announced by Content-Length and two
 * chunked: each is a 413, and the service answers normally afterwards (the finding: the process died
 * with an OutOfMemoryError).
 */
class OversizeBodiesProcessTest {

    static final int FIFTY_MB = 50 * 1024 * 1024;

    @Test
    void fourConcurrent50MbBodiesAre413AndTheProcessLives() throws Exception {
        int port = JvmProcess.freePort();
        List<String> command = List.of(JvmProcess.javaBin(), "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-cp",
                JvmProcess.testClassPath(), Launcher.class.getName(), "rest", "echo");
        Map<String, String> env = Map.of(EnvVars.HTTP_PORT, String.valueOf(port), EnvVars.SHUTDOWN_DRAIN_SECONDS, "0",
                EnvVars.CELERY_BROKER_URL, System.getenv().getOrDefault(EnvVars.CELERY_BROKER_URL, Env.DEFAULT_BROKER_URL),
                EnvVars.CELERY_RESULT_BACKEND, System.getenv().getOrDefault(EnvVars.CELERY_RESULT_BACKEND, Env.DEFAULT_RESULT_BACKEND));
        try (JvmProcess service = JvmProcess.start("echo-oversize", command, env)) {
            service.awaitStatus(port, "/health", 200, Duration.ofSeconds(60));
            byte[] body = new byte[FIFTY_MB];
            java.util.Arrays.fill(body, (byte) ' ');
            body[0] = '[';
            body[FIFTY_MB - 1] = ']';
            List<CompletableFuture<RawHttp.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                boolean chunked = i % 2 == 1;
                answers.add(CompletableFuture.supplyAsync(() -> send(port, body, chunked)));
            }
            for (CompletableFuture<RawHttp.Answer> a : answers) {
                RawHttp.Answer answer = a.get(120, TimeUnit.SECONDS);
                assertEquals(413, answer.status(), answer.body());
                assertTrue(answer.body().contains("\"error\""), answer.body());
            }
            assertTrue(service.process().isAlive(), service.tail());
            HttpResponse<String> normal = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/v1/echo")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\": \"still here\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, normal.statusCode(), normal.body() + service.tail());
            assertTrue(service.process().isAlive(), service.tail());
        }
    }

    private static RawHttp.Answer send(int port, byte[] body, boolean chunked) {
        try (RawHttp s = new RawHttp(port, Duration.ofSeconds(60))) {
            String head = "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + body.length + "\r\n\r\n");
            s.write(head);
            if (chunked) {
                java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream(body.length + 4096);
                int chunk = 1 << 20;
                for (int i = 0; i < body.length; i += chunk) {
                    int n = Math.min(chunk, body.length - i);
                    framed.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    framed.write(body, i, n);
                    framed.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                framed.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                s.writeInBackground(framed.toByteArray());
            } else {
                s.writeInBackground(body);
            }
            return s.read();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
