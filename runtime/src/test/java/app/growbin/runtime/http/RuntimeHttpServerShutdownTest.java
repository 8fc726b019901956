package app.growbin.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.runtime.Response;
import app.growbin.runtime.Routes;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.metrics.MetricsRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM for REST: an in-flight request finishes; an idle server stops at once, not after the grace period. */
class RuntimeHttpServerShutdownTest {

    @Test
    void stopWaitsForInFlightExchangesOnlyAsLongAsTheyRun() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Routes routes = new Routes("/api");
        routes.get("/slow", Access.PUBLIC, r -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return Response.text(200, "done\n");
        });
        RuntimeHttpServer server = new RuntimeHttpServer("t", "127.0.0.1", 0, routes, new MetricsRegistry(), () -> true);
        server.start();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/api/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        assertEquals(1, server.inFlight());
        CompletableFuture<Long> stopped = CompletableFuture.supplyAsync(() -> {
            long t = System.nanoTime();
            server.stop(20);
            return System.nanoTime() - t;
        });
        release.countDown();
        assertEquals("done\n", slow.get(10, TimeUnit.SECONDS).body());
        long took = stopped.get(10, TimeUnit.SECONDS);
        assertTrue(took < TimeUnit.SECONDS.toNanos(5), "stop returned " + took / 1_000_000 + " ms after the request ended");
        assertTrue(server.draining());
    }

    @Test
    void idleServerStopsAtOnce() throws Exception {
        RuntimeHttpServer server = new RuntimeHttpServer("t", "127.0.0.1", 0, null, new MetricsRegistry(), () -> true);
        server.start();
        long t = System.nanoTime();
        server.stop(20);
        long took = System.nanoTime() - t;
        assertTrue(took < TimeUnit.SECONDS.toNanos(3), "stop(20) of an idle server took " + Duration.ofNanos(took));
    }
}
