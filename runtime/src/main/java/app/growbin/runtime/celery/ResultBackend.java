package app.growbin.runtime.celery;

import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Transaction;

/**
 * Celery's Redis result backend: {@code celery-task-meta-<id>} keys written with
 * {@code GET} (a stored SUCCESS is never overwritten) then {@code MULTI / SETEX / PUBLISH / EXEC},
 * the same commands a Python worker issues, so Python's {@code AsyncResult} reads Java results and
 * the other way round.
 */
public final class ResultBackend implements AutoCloseable {

    public static final String KEY_PREFIX = "celery-task-meta-";

    private final JedisPool pool;
    private final int expiresSeconds;
    private final Clock clock;

    public ResultBackend(String url, int expiresSeconds) {
        this(url, expiresSeconds, Clock.systemUTC());
    }

    public ResultBackend(String url, int expiresSeconds, Clock clock) {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("CELERY_RESULT_BACKEND must be redis://..., got " + uri.getScheme());
        }
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(64);
        config.setJmxEnabled(false);
        config.setMinIdle(PREPARED_CONNECTIONS);
        this.pool = new JedisPool(config, uri, 5000);
        prepareConnections();
        this.expiresSeconds = expiresSeconds;
        this.clock = clock;
    }

    /** Connections opened at start, so that the first burst of requests does not open them all at once under load. */
    static final int PREPARED_CONNECTIONS = 4;

    private void prepareConnections() {
        try {
            pool.preparePool();
        } catch (Exception redisNotReachableYet) {
            org.slf4j.LoggerFactory.getLogger(ResultBackend.class)
                    .warn("could not open Redis connections at start ({}); they are opened on first use", redisNotReachableYet.getMessage());
        }
    }

    public Clock clock() {
        return clock;
    }

    public static String key(String taskId) {
        return KEY_PREFIX + taskId;
    }

    /** Stores a state unless a SUCCESS is already there (a redelivered task that had finished). */
    public void store(TaskResult result) {
        String key = key(result.taskId());
        String value = result.encode();
        try (Jedis j = pool.getResource()) {
            String current = j.get(key);
            if (current != null && TaskResult.decode(current).status() == TaskState.SUCCESS) {
                return;
            }
            Transaction t = j.multi();
            t.setex(key, expiresSeconds, value);
            t.publish(key, value);
            t.exec();
        }
    }

    public Optional<TaskResult> get(String taskId) {
        try (Jedis j = pool.getResource()) {
            String raw = j.get(key(taskId));
            return raw == null ? Optional.empty() : Optional.of(TaskResult.decode(raw));
        }
    }

    /** The raw stored string (tests compare it byte for byte). */
    public Optional<String> raw(String taskId) {
        try (Jedis j = pool.getResource()) {
            return Optional.ofNullable(j.get(key(taskId)));
        }
    }

    public void delete(String taskId) {
        try (Jedis j = pool.getResource()) {
            j.del(key(taskId));
        }
    }

    public boolean ping() {
        try (Jedis j = pool.getResource()) {
            return "PONG".equals(j.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
