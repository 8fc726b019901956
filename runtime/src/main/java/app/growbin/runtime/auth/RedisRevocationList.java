package app.growbin.runtime.auth;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.params.SetParams;

/**
 * The revocation list in Redis: one key per revoked token, {@code growbin:revoked-token:<jti>}, that
 * expires with the token. Every replica reads the same Redis, so a logout holds everywhere at once.
 * Redis unreachable is an exception (the request becomes a 503): a revoked token is never let through
 * because the list could not be read.
 */
public final class RedisRevocationList implements RevocationList {

    static final String PREFIX = "growbin:revoked-token:";

    private final JedisPool pool;
    private final Clock clock;

    public RedisRevocationList(String redisUrl, Clock clock) {
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(16);
        config.setMaxIdle(4);
        config.setMinIdle(0);
        config.setMaxWait(Duration.ofSeconds(2));
        config.setJmxEnabled(false);
        this.pool = new JedisPool(config, URI.create(redisUrl), 2000);
        this.clock = clock;
    }

    @Override
    public void revoke(String tokenId, Instant expiresAt) {
        long seconds = Math.max(1, Duration.between(clock.instant(), expiresAt).getSeconds() + 1);
        try (Jedis j = pool.getResource()) {
            j.set(PREFIX + tokenId, "1", SetParams.setParams().ex(seconds));
        }
    }

    @Override
    public boolean isRevoked(String tokenId) {
        try (Jedis j = pool.getResource()) {
            return j.exists(PREFIX + tokenId);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
