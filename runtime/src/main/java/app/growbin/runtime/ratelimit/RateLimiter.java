package app.growbin.runtime.ratelimit;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.HttpException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sliding-window rate limiter in Redis, so that every replica of a service draws on one budget per
 * key: at most {@link Rule#requests()} admitted requests within any {@link Rule#window()}.
 *
 * <p>Each key is a sorted set {@code <prefix><key>} of the admitted requests' times. One Lua script,
 * atomic in Redis, drops the entries older than the window, counts the rest, and either adds the new
 * request (admitted) or answers how long until the oldest entry leaves the window (refused). Time is
 * Redis's own ({@code TIME}), so replicas with skewed clocks still count the same window; the key
 * expires one window after its last admitted request. A refused request is not counted: a client that
 * keeps hammering gets in again as soon as the window has room.
 *
 * <p><b>Redis unreachable fails closed</b> (and so does a Redis that refuses the script, or a pool with
 * no free connection within 2 s): {@link #acquire} and {@link #check} throw a 503 with {@code Retry-After}
 * ({@link HttpException#unavailable}), as every other request of a service whose backends are down is
 * answered. The limit protects paid work (the waste chain ends in OpenAI calls); letting requests
 * through uncounted while Redis is down would remove it exactly when an operator cannot see the
 * counts, and a service that publishes tasks needs Redis for their results anyway.
 */
public final class RateLimiter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

    public static final int DEFAULT_REQUESTS = 30;
    public static final int DEFAULT_WINDOW_SECONDS = 60;

    /** {@code requests} admitted within any {@code window}. */
    public record Rule(int requests, Duration window) {
        public Rule {
            if (requests < 1) {
                throw new IllegalArgumentException(EnvVars.RATE_LIMIT_REQUESTS + " must be at least 1, got " + requests);
            }
            if (window.toMillis() < 1) {
                throw new IllegalArgumentException(EnvVars.RATE_LIMIT_WINDOW_SECONDS + " must be positive, got " + window);
            }
        }

        /** {@code RATE_LIMIT_REQUESTS} per {@code RATE_LIMIT_WINDOW_SECONDS}; 30 per 60 s when not set. */
        public static Rule fromEnv(Env env) {
            int seconds = env.getInt(EnvVars.RATE_LIMIT_WINDOW_SECONDS, DEFAULT_WINDOW_SECONDS);
            if (seconds < 1) {
                throw new IllegalArgumentException(EnvVars.RATE_LIMIT_WINDOW_SECONDS + " must be at least 1, got " + seconds);
            }
            return new Rule(env.getInt(EnvVars.RATE_LIMIT_REQUESTS, DEFAULT_REQUESTS), Duration.ofSeconds(seconds));
        }
    }

    /** What one request got: admitted or not, what is left, and when a refused one may try again. */
    public record Decision(boolean allowed, long remaining, Duration retryAfter) {
        /** {@code Retry-After} in whole seconds, rounded up, at least 1. */
        public long retryAfterSeconds() {
            return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        }
    }

    /** KEYS[1] the key; ARGV limit, window in ms, a unique member. Answers {allowed, remaining, retry ms}. */
    static final String SCRIPT = String.join("\n",
            "if redis.replicate_commands then pcall(redis.replicate_commands) end",
            "local key = KEYS[1]",
            "local limit = tonumber(ARGV[1])",
            "local window = tonumber(ARGV[2])",
            "local t = redis.call('TIME')",
            "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)",
            "redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)",
            "local count = redis.call('ZCARD', key)",
            "if count < limit then",
            "  redis.call('ZADD', key, now, ARGV[3])",
            "  redis.call('PEXPIRE', key, window)",
            "  return {1, limit - count - 1, 0}",
            "end",
            "local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')",
            "local retry = tonumber(oldest[2]) + window - now",
            "if retry < 1 then retry = 1 end",
            "return {0, 0, retry}");

    private final JedisPool pool;
    private final String prefix;
    private final Rule rule;
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong sequence = new AtomicLong();
    private volatile String sha;

    /**
     * @param redisUrl {@code redis://host:port/db}
     * @param prefix the keys' prefix: {@code growbin:rate-limit:<service>:} in a service, so that its replicas share it
     */
    public RateLimiter(String redisUrl, String prefix, Rule rule) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(32);
        config.setMaxIdle(8);
        config.setMinIdle(0);
        config.setMaxWait(Duration.ofSeconds(2));
        config.setJmxEnabled(false);
        this.pool = new JedisPool(config, URI.create(redisUrl), 2000);
        this.prefix = prefix;
        this.rule = rule;
    }

    /** A service's limiter: {@code RATE_LIMIT_*} of its environment, the Redis of {@code CELERY_RESULT_BACKEND}. */
    public static RateLimiter fromEnv(Env env, String service) {
        return new RateLimiter(env.resultBackendUrl(), "growbin:rate-limit:" + service + ":", Rule.fromEnv(env));
    }

    public Rule rule() {
        return rule;
    }

    /** The Redis key of a budget (tests clean it up). */
    public String redisKey(String key) {
        return prefix + key;
    }

    /**
     * Counts one request against {@code key}'s budget.
     *
     * @throws HttpException 503 when Redis cannot be reached (fail closed)
     */
    public Decision acquire(String key) {
        String member = instance + ":" + sequence.incrementAndGet();
        List<String> keys = List.of(prefix + key);
        List<String> args = List.of(Integer.toString(rule.requests()), Long.toString(rule.window().toMillis()), member);
        Object answer;
        try (Jedis j = pool.getResource()) {
            String s = sha;
            if (s == null) {
                s = j.scriptLoad(SCRIPT);
                sha = s;
            }
            try {
                answer = j.evalsha(s, keys, args);
            } catch (JedisNoScriptException flushedOrNewRedis) {
                sha = j.scriptLoad(SCRIPT);
                answer = j.evalsha(sha, keys, args);
            }
        } catch (JedisConnectionException e) {
            throw HttpException.unavailable("the rate limit cannot be checked (Redis is unreachable); try again");
        } catch (JedisException e) {
            // no connection free within 2 s, or Redis refusing (loading, read-only replica, out of memory): still closed
            LOG.warn("rate limit of {} not checked: {}", key, e.toString());
            throw HttpException.unavailable("the rate limit cannot be checked (Redis answered: " + e.getMessage() + "); try again");
        }
        List<?> values = (List<?>) answer;
        return new Decision(((Long) values.get(0)) == 1L, (Long) values.get(1), Duration.ofMillis((Long) values.get(2)));
    }

    /**
     * {@link #acquire}, refusing with a 429 and {@code Retry-After} (whole seconds until the window has
     * room) past the budget; a 503 while Redis is unreachable.
     */
    public Decision check(String key) {
        Decision d = acquire(key);
        if (!d.allowed()) {
            throw HttpException.tooManyRequests("rate limit exceeded: at most " + rule.requests() + " requests per "
                    + window(rule.window()) + "; try again later", d.retryAfterSeconds());
        }
        return d;
    }

    private static String window(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Override
    public void close() {
        pool.close();
    }
}
