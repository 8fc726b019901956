package app.growbin.contract;

/** The ports and HTTP paths the probes and the Prometheus scrapes use. */
public final class Endpoints {

    /** Liveness and startup: 200 while the process runs. */
    public static final String HEALTH_PATH = "/health";
    /** Readiness: 200 while the process can do its work, 503 while it cannot or is draining. */
    public static final String READY_PATH = "/ready";
    /** The Prometheus exposition. */
    public static final String METRICS_PATH = "/metrics";

    /** Name of a REST service's container and Service port (routes, probes and metrics). */
    public static final String HTTP_PORT_NAME = "http";
    /** {@code @RestService.port}'s default. */
    public static final int DEFAULT_HTTP_PORT = 8080;

    /** Name of a worker's container port (probes and metrics; workers have no routes). */
    public static final String METRICS_PORT_NAME = "metrics";
    /** The port a worker serves its probes and metrics on. */
    public static final int WORKER_METRICS_PORT = 9090;

    /** The bind address of every interface, the runtime's default ({@link EnvVars#BIND_ADDRESS}). */
    public static final String ALL_INTERFACES = "0.0.0.0";

    private Endpoints() {}
}
