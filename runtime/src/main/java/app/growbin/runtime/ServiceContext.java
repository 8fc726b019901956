package app.growbin.runtime;

import app.growbin.runtime.auth.Tokens;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.db.Database;

/**
 * What a REST service gets from the runtime: its name, the environment, a Celery task client, the
 * access tokens, and its PostgreSQL schema.
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
     * The service's schema in the PostgreSQL of {@code DATABASE_URL}, migrated from
     * {@code classpath:db/migration/<schema>}. From the first call on, readiness includes it.
     */
    Database database(String schema);
}
