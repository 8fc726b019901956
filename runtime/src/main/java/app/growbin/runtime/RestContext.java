package app.growbin.runtime;

import app.growbin.runtime.auth.RedisRevocationList;
import app.growbin.runtime.auth.Tokens;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.db.Database;
import app.growbin.runtime.ratelimit.RateLimiter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The launcher's {@link ServiceContext}: tokens, the rate limiter and databases are made on first use and closed at shutdown. */
final class RestContext implements ServiceContext, AutoCloseable {

    private final String name;
    private final Env env;
    private final TaskClient tasks;
    private final List<Database> databases = new ArrayList<>();
    private Tokens tokens;
    private RedisRevocationList revocations;
    private RateLimiter rateLimiter;

    RestContext(String name, Env env, TaskClient tasks) {
        this.name = name;
        this.env = env;
        this.tasks = tasks;
    }

    @Override
    public String serviceName() {
        return name;
    }

    @Override
    public Env env() {
        return env;
    }

    @Override
    public TaskClient tasks() {
        return tasks;
    }

    @Override
    public synchronized Tokens tokens() {
        if (tokens == null) {
            revocations = new RedisRevocationList(env.resultBackendUrl(), Clock.systemUTC());
            tokens = Tokens.fromEnv(env, revocations);
        }
        return tokens;
    }

    @Override
    public synchronized RateLimiter rateLimiter() {
        if (rateLimiter == null) {
            rateLimiter = RateLimiter.fromEnv(env, name);
        }
        return rateLimiter;
    }

    @Override
    public synchronized Database database(String schema) {
        for (Database d : databases) {
            if (d.schema().equals(schema)) {
                return d;
            }
        }
        Database d = Database.fromEnv(env, schema);
        databases.add(d);
        return d;
    }

    /** Every database the service opened is migrated and reachable. */
    synchronized boolean databasesReady() {
        return databases.stream().allMatch(Database::ready);
    }

    @Override
    public synchronized void close() {
        databases.forEach(Database::close);
        if (revocations != null) {
            revocations.close();
        }
        if (rateLimiter != null) {
            rateLimiter.close();
        }
    }
}
