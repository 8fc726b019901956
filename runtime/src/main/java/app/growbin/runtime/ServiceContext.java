package app.growbin.runtime;

import app.growbin.runtime.auth.Tokens;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.db.Database;
import app.growbin.runtime.ratelimit.RateLimiter;

/**
 * What a REST service gets from the runtime: its name, the environment, a Celery task client, the
 * access tokens, its rate limiter, and its PostgreSQL schema.
 */
public interface ServiceContext {

    String serviceName();

    Env env();

    /** Sends tasks and reads results; connected to the broker the readiness probe watches. */
    TaskClient tasks();

    /**
     * Issues, verifies and revokes access tokens ({@code AUTH_SIGNING_KEYS}, revocations in the Redis of
     * {@code CELERY_RESULT_BACKEND}); the same instance checks the routes' {@code Access}.
     */
    Tokens tokens();

    /**
     * The service's rate limiter: {@code RATE_LIMIT_REQUESTS} per {@code RATE_LIMIT_WINDOW_SECONDS} per
     * key, counted in the Redis of {@code CELERY_RESULT_BACKEND} under {@code growbin:rate-limit:<service>:},
     * so every replica shares the budget. The routes declared with a {@code RateLimit} use it; a handler
     * may also {@code check} a key of its own.
     */
    RateLimiter rateLimiter();

    /**
     * The service's schema in the PostgreSQL of {@code DATABASE_URL}, migrated from
     * {@code classpath:db/migration/<schema>}. From the first call on, readiness includes it.
     */
    Database database(String schema);
}
