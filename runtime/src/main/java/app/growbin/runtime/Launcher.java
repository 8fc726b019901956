package app.growbin.runtime;

import app.growbin.annotations.Pool;
import app.growbin.contract.Endpoints;
import app.growbin.contract.EnvVars;
import app.growbin.contract.Launch;
import app.growbin.runtime.celery.Broker;
import app.growbin.runtime.celery.CeleryWorker;
import app.growbin.runtime.celery.ResultBackend;
import app.growbin.runtime.celery.TaskClient;
import app.growbin.runtime.http.HttpLimits;
import app.growbin.runtime.http.RuntimeHttpServer;
import app.growbin.runtime.logging.Logs;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.telemetry.Tracing;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one main class of every container: {@code rest <name>} starts REST service {@code <name>},
 * {@code worker <name>} starts worker {@code <name>}. Services and workers come from the generated
 * {@link ApplicationCatalog} (found with {@link ServiceLoader}); configuration from the environment
 * ({@link Env}). SIGTERM: readiness turns 503, in-flight work finishes, then the process exits.
 */
public final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals(Launch.REST) || args[0].equals(Launch.WORKER))) {
            System.err.println("usage: java app.growbin.runtime.Launcher rest|worker <name>");
            System.exit(2);
            return;
        }
        Env env = Env.system();
        List<ApplicationCatalog> catalogs = catalogs();
        Running running;
        try {
            running = args[0].equals(Launch.REST) ? startRest(findRest(catalogs, args[1]), env)
                    : startWorker(findWorker(catalogs, args[1]), env);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down {} {}", args[0], args[1]);
            running.shutdown();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    /** Every catalog on the class path (normally one, generated). */
    public static List<ApplicationCatalog> catalogs() {
        List<ApplicationCatalog> list = new ArrayList<>();
        ServiceLoader.load(ApplicationCatalog.class).forEach(list::add);
        return list;
    }

    public static RestServiceDefinition findRest(List<ApplicationCatalog> catalogs, String name) {
        List<String> known = new ArrayList<>();
        for (ApplicationCatalog c : catalogs) {
            for (RestServiceDefinition d : c.restServices()) {
                if (d.name().equals(name)) {
                    return d;
                }
                known.add(d.name());
            }
        }
        throw new IllegalArgumentException("no REST service named '" + name + "'; known: " + known
                + (catalogs.isEmpty() ? " (no ApplicationCatalog on the class path: was the annotation processor run?)" : ""));
    }

    public static WorkerDefinition findWorker(List<ApplicationCatalog> catalogs, String name) {
        List<String> known = new ArrayList<>();
        for (ApplicationCatalog c : catalogs) {
            for (WorkerDefinition d : c.workers()) {
                if (d.name().equals(name)) {
                    return d;
                }
                known.add(d.name());
            }
        }
        throw new IllegalArgumentException("no worker named '" + name + "'; known: " + known
                + (catalogs.isEmpty() ? " (no ApplicationCatalog on the class path: was the annotation processor run?)" : ""));
    }

    /** A started service or worker. */
    public interface Running {
        /** The port of /health, /ready, /metrics (and a REST service's routes). */
        int port();

        boolean ready();

        /** Readiness off, in-flight work finished, everything closed. */
        void shutdown();
    }

    /**
     * Starts a REST service: routes, probes and metrics on {@code HTTP_PORT} (default: its declared port),
     * with the {@code HTTP_*} limits and, for rate-limited routes, the {@code RATE_LIMIT_*} budget. Throws IllegalArgumentException (the process exits with 2) when a
     * route declares no access, or when routes need tokens and {@code AUTH_SIGNING_KEYS} is not set.
     */
    public static Running startRest(RestServiceDefinition def, Env env) throws IOException {
        String name = env.get(EnvVars.SERVICE_NAME, def.name());
        int port = env.getInt(EnvVars.HTTP_PORT, def.port());
        Logs.service(name);
        MetricsRegistry registry = new MetricsRegistry().withJvmMetrics();
        Tracing tracing = Tracing.fromEnv(env, name);
        TaskClient client = TaskClient.fromEnv(env, tracing);
        Thread connector = new Thread(() -> {
            try {
                client.broker().connect(Duration.ofDays(3650));
            } catch (IOException e) {
                LOG.debug("broker connection abandoned: {}", e.getMessage());
            }
        }, "broker-connect");
        connector.setDaemon(true);
        connector.start();
        RestContext context = new RestContext(name, env, client);
        RuntimeHttpServer server;
        try {
            Routes routes = new Routes(def.path());
            def.factory().get().routes(routes, context);
            server = new RuntimeHttpServer(name, bindAddress(env), port, routes, registry,
                    () -> client.broker().isOpen() && context.databasesReady(), HttpLimits.fromEnv(env),
                    routes.anyTokenRequired() ? context.tokens() : null, routes.anyRateLimited() ? context.rateLimiter() : null,
                    tracing);
            server.start();
        } catch (RuntimeException | IOException e) {
            context.close();
            client.close();
            tracing.close();
            throw e;
        }
        int drain = env.getInt(EnvVars.SHUTDOWN_DRAIN_SECONDS, 5);
        int grace = env.getInt(EnvVars.SHUTDOWN_GRACE_SECONDS, 20);
        return new Running() {
            @Override public int port() { return server.port(); }
            @Override public boolean ready() { return !server.draining() && client.broker().isOpen() && context.databasesReady(); }
            @Override
            public void shutdown() {
                server.drain();
                sleepSeconds(drain); // let the load balancer see the 503 before the socket closes
                server.stop(grace);
                context.close();
                client.close();
                tracing.close(); // the last spans are exported
            }
        };
    }

    /** Starts a worker: consumes {@code QUEUE_NAME}, probes and metrics on {@code METRICS_PORT} (default 9090). */
    public static Running startWorker(WorkerDefinition def, Env env) throws IOException {
        String name = env.get(EnvVars.SERVICE_NAME, def.name());
        Pool pool = Pool.valueOf(env.get(EnvVars.WORKER_POOL, def.pool().name()).toUpperCase(Locale.ROOT));
        CeleryWorker.Settings settings = new CeleryWorker.Settings(name, env.get(EnvVars.QUEUE_NAME, def.queue()), pool,
                env.getInt(EnvVars.WORKER_CONCURRENCY, def.concurrency()), env.getInt(EnvVars.TASK_MAX_RETRIES, 3),
                env.getInt(EnvVars.TASK_RETRY_BACKOFF_MS, 1000), env.getDouble(EnvVars.TASK_TIME_LIMIT_SECONDS, 300),
                env.find(EnvVars.TASK_SOFT_TIME_LIMIT_SECONDS).map(Double::valueOf).orElse(null),
                env.get(EnvVars.DEAD_LETTER_QUEUE, "q.dlq"), env.getInt(EnvVars.TASK_MAX_REDELIVERIES, 10),
                env.getLong(EnvVars.TASK_TRANSIENT_BACKOFF_MIN_MS, 500),
                env.getLong(EnvVars.TASK_TRANSIENT_BACKOFF_MAX_MS, 30_000), env.getInt(EnvVars.TASK_TRANSIENT_ATTEMPTS, 10),
                env.getInt(EnvVars.WORKER_PREFETCH_MULTIPLIER, Pools.DEFAULT_PREFETCH_MULTIPLIER));
        Logs.service(name);
        MetricsRegistry registry = new MetricsRegistry().withJvmMetrics();
        Tracing tracing = Tracing.fromEnv(env, name);
        Broker broker = TaskClient.brokerFromEnv(env, "growbin-worker-" + name);
        ResultBackend results = new ResultBackend(env.resultBackendUrl(), env.getInt(EnvVars.CELERY_RESULT_EXPIRES, 86400));
        CeleryWorker worker = new CeleryWorker(settings, def.dispatcher().get(), broker, results, registry, tracing);
        RuntimeHttpServer probes = new RuntimeHttpServer(name, bindAddress(env), env.getInt(EnvVars.METRICS_PORT, Endpoints.WORKER_METRICS_PORT), null,
                registry, worker::ready, HttpLimits.defaults(), null, tracing);
        probes.start();
        Thread starter = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    broker.connect(Duration.ofDays(3650));
                    worker.start();
                    return;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("worker {} could not start consuming ({}); retrying", name, e.getMessage());
                    sleepSeconds(1);
                }
            }
        }, "worker-start");
        starter.setDaemon(true);
        starter.start();
        int grace = env.getInt(EnvVars.SHUTDOWN_GRACE_SECONDS, 25);
        return new Running() {
            @Override public int port() { return probes.port(); }
            @Override public boolean ready() { return worker.ready(); }
            @Override
            public void shutdown() {
                probes.drain();
                starter.interrupt();
                worker.shutdown(Duration.ofSeconds(grace));
                probes.stop(0);
                broker.close();
                results.close();
                tracing.close();
            }
        };
    }

    /** {@code BIND_ADDRESS}: every interface in a container, loopback on a developer's machine. */
    static String bindAddress(Env env) {
        return env.get(EnvVars.BIND_ADDRESS, Endpoints.ALL_INTERFACES);
    }

    static void sleepSeconds(int seconds) {
        if (seconds <= 0) {
            return;
        }
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
