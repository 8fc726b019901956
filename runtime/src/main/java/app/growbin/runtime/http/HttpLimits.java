package app.growbin.runtime.http;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import java.time.Duration;

/**
 * The limits of the HTTP server, each with a runtime default and a per-service override through its
 * environment variable ({@link EnvVars}{@code .HTTP_*}).
 *
 * @param maxBodyBytes a larger body is a 413 (announced by Content-Length: before it is read)
 * @param maxUrlBytes a longer request target is a 414
 * @param maxHeaderBytes a larger request line plus headers is a 431 (414 when the request line alone is)
 * @param idleTimeout a connection with no byte moving for this long is closed
 * @param bodyTimeout the whole body must have arrived by then, or 408
 * @param maxConnections open connections at most; further clients wait in the accept queue
 * @param maxThreads handler threads at most (platform threads; virtual threads are not counted)
 * @param bodyMemoryBytes bodies held in memory at once, all requests together; past it a 503
 * @param trustedProxyHops proxies that append to X-Forwarded-For in front of the service
 */
public record HttpLimits(int maxBodyBytes, int maxUrlBytes, int maxHeaderBytes, Duration idleTimeout,
        Duration bodyTimeout, int maxConnections, int maxThreads, long bodyMemoryBytes, int trustedProxyHops) {

    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_URL_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_BODY_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final int DEFAULT_MAX_THREADS = 64;

    public HttpLimits {
        positive(EnvVars.HTTP_MAX_BODY_BYTES, maxBodyBytes);
        positive(EnvVars.HTTP_MAX_URL_BYTES, maxUrlBytes);
        positive(EnvVars.HTTP_MAX_HEADER_BYTES, maxHeaderBytes);
        positive(EnvVars.HTTP_IDLE_TIMEOUT_SECONDS, idleTimeout.toMillis());
        positive(EnvVars.HTTP_BODY_TIMEOUT_SECONDS, bodyTimeout.toMillis());
        positive(EnvVars.HTTP_MAX_CONNECTIONS, maxConnections);
        positive(EnvVars.HTTP_MAX_THREADS, maxThreads);
        positive(EnvVars.HTTP_BODY_MEMORY_BYTES, bodyMemoryBytes);
        if (trustedProxyHops < 0) {
            throw new IllegalArgumentException(EnvVars.HTTP_TRUSTED_PROXY_HOPS + " must be 0 or more, got " + trustedProxyHops);
        }
        if (maxUrlBytes > maxHeaderBytes) {
            throw new IllegalArgumentException(EnvVars.HTTP_MAX_URL_BYTES + " (" + maxUrlBytes + ") must not exceed "
                    + EnvVars.HTTP_MAX_HEADER_BYTES + " (" + maxHeaderBytes + "): the request line is part of the header");
        }
    }

    /** The defaults: 1 MiB body, 8 KiB URL, 16 KiB header, 30 s idle, 10 s body, 512 connections, 64 threads. */
    public static HttpLimits defaults() {
        return fromEnv(new Env(java.util.Map.of()));
    }

    public static HttpLimits fromEnv(Env env) {
        return new HttpLimits(env.getInt(EnvVars.HTTP_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES),
                env.getInt(EnvVars.HTTP_MAX_URL_BYTES, DEFAULT_MAX_URL_BYTES),
                env.getInt(EnvVars.HTTP_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_BYTES),
                Duration.ofSeconds(env.getInt(EnvVars.HTTP_IDLE_TIMEOUT_SECONDS, DEFAULT_IDLE_TIMEOUT_SECONDS)),
                Duration.ofSeconds(env.getInt(EnvVars.HTTP_BODY_TIMEOUT_SECONDS, DEFAULT_BODY_TIMEOUT_SECONDS)),
                env.getInt(EnvVars.HTTP_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS),
                env.getInt(EnvVars.HTTP_MAX_THREADS, DEFAULT_MAX_THREADS),
                env.find(EnvVars.HTTP_BODY_MEMORY_BYTES).map(v -> parseLong(EnvVars.HTTP_BODY_MEMORY_BYTES, v))
                        .orElse(Runtime.getRuntime().maxMemory() / 4),
                env.getInt(EnvVars.HTTP_TRUSTED_PROXY_HOPS, 0));
    }

    private static long parseLong(String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + v + "'", e);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
