package app.growbin.contract;

import java.util.List;

/**
 * The metrics of the runtime that the generated alert rules, and anything else generated, select.
 * Each REST service and each worker exposes them on {@link Endpoints#METRICS_PATH}.
 */
public final class Metrics {

    public static final String SERVICE = "service";
    public static final String METHOD = "method";
    public static final String ROUTE = "route";
    public static final String STATUS = "status";
    public static final String QUEUE = "queue";
    public static final String TASK = "task";
    public static final String STATE = "state";

    /** Every answered HTTP request of a REST service. */
    public static final MetricFamily HTTP_REQUESTS = new MetricFamily("http_requests_total", MetricFamily.Type.COUNTER,
            "HTTP requests answered, by route and status.", List.of(SERVICE, METHOD, ROUTE, STATUS));
    /** Time to answer an HTTP request, in seconds. */
    public static final MetricFamily HTTP_REQUEST_DURATION = new MetricFamily("http_request_duration_seconds",
            MetricFamily.Type.HISTOGRAM, "Time to answer an HTTP request, in seconds.", List.of(SERVICE, METHOD, ROUTE));

    /** Tasks of a worker by final state: received, succeeded, retried, failed, revoked, dead_lettered. */
    public static final MetricFamily WORKER_TASKS = new MetricFamily("growbin_worker_tasks_total", MetricFamily.Type.COUNTER,
            "Tasks by final state: received, succeeded, retried, failed, revoked, dead_lettered.", List.of(SERVICE, QUEUE, TASK, STATE));
    /** Time a task ran, in seconds. */
    public static final MetricFamily WORKER_TASK_DURATION = new MetricFamily("growbin_worker_task_duration_seconds",
            MetricFamily.Type.HISTOGRAM, "Time a task ran, in seconds.", List.of(SERVICE, QUEUE, TASK));
    /** Tasks taken from the queue and not yet acknowledged. */
    public static final MetricFamily WORKER_TASKS_IN_FLIGHT = new MetricFamily("growbin_worker_tasks_in_flight",
            MetricFamily.Type.GAUGE, "Tasks taken from the queue and not yet acknowledged.", List.of(SERVICE, QUEUE));
    /**
     * Messages ready in a queue. The RabbitMQ Prometheus plugin exports it per queue; every worker
     * exports it too, for its own queue and the dead-letter queue, so the queue alerts work with either.
     */
    public static final MetricFamily QUEUE_MESSAGES_READY = new MetricFamily("rabbitmq_queue_messages_ready",
            MetricFamily.Type.GAUGE, "Messages ready in a queue (the worker's queue and the dead-letter queue), read at scrape time.",
            List.of(SERVICE, QUEUE));

    /** Every family above. */
    public static final List<MetricFamily> ALL = List.of(HTTP_REQUESTS, HTTP_REQUEST_DURATION, WORKER_TASKS, WORKER_TASK_DURATION,
            WORKER_TASKS_IN_FLIGHT, QUEUE_MESSAGES_READY);

    private Metrics() {}
}
