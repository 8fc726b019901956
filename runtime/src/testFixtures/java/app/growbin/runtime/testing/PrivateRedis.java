package app.growbin.runtime.testing;

import java.nio.file.Path;
import java.time.Duration;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} of a test's own, for outage tests that stop and start Redis (the shared one on
 * 6379 is never touched): loopback only, no persistence, its log in {@code dir}.
 */
public final class PrivateRedis {

    private PrivateRedis() {
    }

    /** Starts it on {@code port} and returns once it answers {@code PING}, within {@code wait}. */
    public static Process start(int port, Path dir, Duration wait) throws Exception {
        Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) {
                    return p;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("redis-server did not start on " + port);
    }
}
