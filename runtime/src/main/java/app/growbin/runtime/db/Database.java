package app.growbin.runtime.db;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.HttpException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's PostgreSQL schema: a HikariCP pool, the service's Flyway migrations
 * ({@code classpath:db/migration/<schema>}), and a watcher that keeps {@link #ready()} true only while
 * the migrations have run and a connection can be had. Made for N replicas: the pool never fails the
 * process (the database may come later or go away), Flyway takes PostgreSQL's advisory lock so that
 * replicas starting together migrate once, and while the database is unreachable {@link #connection()}
 * answers a 503 at once instead of making each request wait.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    /** How often the watcher migrates (until done) and checks the connection. */
    static final long CHECK_INTERVAL_MS = 1000;

    private final String schema;
    private final HikariDataSource pool;
    private final Flyway flyway;
    private final ScheduledExecutorService watcher;
    private volatile boolean migrated;
    private volatile boolean reachable;
    private volatile String lastProblem = "";

    /** Settings of one database: the JDBC URL, credentials, pool size and how long a request waits for a connection. */
    public record Settings(String url, String user, String password, int poolSize, long connectTimeoutMs) {
        public static Settings fromEnv(Env env) {
            String url = env.find(EnvVars.DATABASE_URL).orElseThrow(() -> new IllegalArgumentException(
                    EnvVars.DATABASE_URL + " is not set (jdbc:postgresql://host:5432/database, from a Secret)"));
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException(EnvVars.DATABASE_URL + " must be jdbc:postgresql://..., got " + url.split(":", 3)[0]
                        + ":" + (url.contains(":") ? url.split(":", 3)[1] : ""));
            }
            return new Settings(url, env.get(EnvVars.DATABASE_USER, ""), env.get(EnvVars.DATABASE_PASSWORD, ""),
                    env.getInt(EnvVars.DATABASE_POOL_SIZE, 5), env.getInt(EnvVars.DATABASE_CONNECT_TIMEOUT_MS, 2000));
        }
    }

    public Database(Settings settings, String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("a schema name is lower-case letters, digits and _: " + schema);
        }
        this.schema = schema;
        HikariConfig config = new HikariConfig();
        config.setPoolName("db-" + schema);
        config.setJdbcUrl(settings.url());
        if (!settings.user().isEmpty()) {
            config.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(Math.max(250, settings.connectTimeoutMs()));
        config.setValidationTimeout(Math.max(250, Math.min(1000, settings.connectTimeoutMs())));
        config.setInitializationFailTimeout(-1); // start without the database; readiness waits for it
        config.setKeepaliveTime(60_000);
        config.addDataSourceProperty("currentSchema", schema);
        config.addDataSourceProperty("connectTimeout", "3");
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", "growbin-" + schema);
        this.pool = new HikariDataSource(config);
        this.flyway = Flyway.configure(Database.class.getClassLoader()).dataSource(pool).schemas(schema).createSchemas(true)
                .locations("classpath:db/migration/" + schema).failOnMissingLocations(true).load();
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "db-" + schema + "-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::check, 0, CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    public static Database fromEnv(Env env, String schema) {
        return new Database(Settings.fromEnv(env), schema);
    }

    public String schema() {
        return schema;
    }

    /** Migrated and reachable (the last check, at most a second old). */
    public boolean ready() {
        return migrated && reachable;
    }

    /** Migrates now (a caller that cannot work without the schema); the watcher does it too. */
    public void awaitReady(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("database schema " + schema + " not ready after " + timeoutMs + " ms: " + lastProblem);
            }
            Thread.sleep(20);
        }
    }

    /**
     * A pooled connection (close it); a 503 {@link HttpException} when the database is known to be
     * unreachable or none could be had within the connect timeout.
     */
    public Connection connection() {
        if (!ready()) {
            throw HttpException.unavailable("the database is unavailable");
        }
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            reachable = false;
            throw unavailable(e);
        } catch (SQLException e) {
            throw isConnectionProblem(e) ? unavailable(e) : new IllegalStateException(e);
        }
    }

    /** Work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            if (isConnectionProblem(e)) {
                reachable = false;
                throw unavailable(e);
            }
            throw new IllegalStateException("database error " + e.getSQLState() + ": " + e.getMessage(), e);
        }
    }

    /** What runs inside {@link #inTransaction}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A unique constraint said no (a duplicate username or e-mail). */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** SQL states of a lost or refused connection (class 08) and of a server shutting down (57P01-57P03). */
    public static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || (state != null && (state.startsWith("08") || state.startsWith("57P")));
    }

    private static HttpException unavailable(SQLException e) {
        LOG.warn("database unavailable: {}", e.getMessage());
        return HttpException.unavailable("the database is unavailable");
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    private void check() {
        try {
            if (!migrated) {
                flyway.migrate();
                migrated = true;
                LOG.info("database schema {} migrated", schema);
            }
            try (Connection c = pool.getConnection()) {
                boolean valid = c.isValid(1);
                if (valid && !reachable) {
                    LOG.info("database schema {} reachable", schema);
                }
                reachable = valid;
            }
        } catch (Exception e) {
            String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (reachable || !problem.equals(lastProblem)) {
                LOG.warn("database schema {} not ready: {}", schema, problem);
            }
            lastProblem = problem;
            reachable = false;
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        pool.close();
    }
}
