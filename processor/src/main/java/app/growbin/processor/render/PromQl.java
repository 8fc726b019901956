package app.growbin.processor.render;

import app.growbin.contract.Metrics;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Ops;

/**
 * Every PromQL expression the alerts, the SLO rules and the dashboards select the runtime's metrics
 * with, each written once from the runtime contract ({@link Metrics}): a dashboard panel and the alert
 * on the same quantity show the very same expression. Queue depth is taken with {@code max by (queue)}:
 * the same depth may be reported by several scrape targets (RabbitMQ nodes, and each worker replica,
 * which exports it too), never summed.
 */
final class PromQl {

    /** The window of every rate the alerts and the dashboards show. */
    static final String RATE_WINDOW = "5m";
    /** A 5xx answer: a failed request for the error-rate alert and the availability objective. */
    static final String SERVER_ERROR = Metrics.STATUS + "=~\"5..\"";

    private static final String REQUESTS = Metrics.HTTP_REQUESTS.name();
    private static final String DURATION_BUCKETS = Metrics.HTTP_REQUEST_DURATION.bucketSeries();
    private static final String QUEUE_READY = Metrics.QUEUE_MESSAGES_READY.name();
    private static final String TASKS = Metrics.WORKER_TASKS.name();
    private static final String TASK_DURATION_BUCKETS = Metrics.WORKER_TASK_DURATION.bucketSeries();

    private PromQl() {}

    /** {@code service="waste"}: a REST service's or a worker's series. */
    static String service(String name) {
        return Metrics.SERVICE + "=\"" + name + "\"";
    }

    /** Requests a second answered by a REST service: {@code sum(rate(http_requests_total{service="waste"}[5m]))}. */
    static String requestRate(String service, String window) {
        return "sum(rate(" + REQUESTS + "{" + service(service) + "}[" + window + "]))";
    }

    /** The fraction of a REST service's requests answered with a 5xx status. */
    static String serverErrorRatio(String service, String window) {
        return "sum(rate(" + REQUESTS + "{" + service(service) + "," + SERVER_ERROR + "}[" + window + "]))\n  / "
                + requestRate(service, window);
    }

    /** A latency quantile of a REST service, such as its p95: {@code histogram_quantile(0.95, sum by (le) (rate(...)))}. */
    static String latencyQuantile(String service, String quantile, String window) {
        return quantile(DURATION_BUCKETS, service, quantile, window);
    }

    /**
     * The fraction of a REST service's requests that took longer than a bucket bound of its latency
     * histogram: {@code 1 - (requests within the bound / all requests)}. The bucket is matched in both
     * ways Prometheus may hold its {@code le} label, as the runtime writes it ({@code 1}) and as
     * Prometheus 3 normalizes it ({@code 1.0}): {@code le=~"1(\\.0)?"}.
     */
    static Expr<String> slowRatio(String service, Expr<Double> bound, String window) {
        String selector = DURATION_BUCKETS + "{" + service(service) + ",";
        return Ops.concat("1 - (\n    sum(rate(" + selector + "le=~\"", Ops.regexNumber(bound), "(\\\\.0)?\"}[" + window + "]))\n  / sum(rate("
                + selector + "le=\"+Inf\"}[" + window + "]))\n  )");
    }

    /** The ready messages of one queue: {@code max by (queue) (rabbitmq_queue_messages_ready{queue="q.vision"})}. */
    static String queueDepth(String queue) {
        return queueDepth(Expr.text(queue)).value();
    }

    /** The same, for a queue named by a setting (the dead-letter queue). */
    static Expr<String> queueDepth(Expr<String> queue) {
        return Ops.concat("max by (" + Metrics.QUEUE + ") (" + QUEUE_READY + "{" + Metrics.QUEUE + "=\"", queue, "\"})");
    }

    /** Tasks a second of a worker by final state: {@code sum by (state) (rate(growbin_worker_tasks_total{service="vision"}[5m]))}. */
    static String taskRateByState(String worker, String window) {
        return "sum by (" + Metrics.STATE + ") (rate(" + TASKS + "{" + service(worker) + "}[" + window + "]))";
    }

    /** Tasks a second of a worker that ended in one state, by task, such as the failures. */
    static String taskRateByTask(String worker, String state, String window) {
        return "sum by (" + Metrics.TASK + ") (rate(" + TASKS + "{" + service(worker) + "," + Metrics.STATE + "=\"" + state + "\"}["
                + window + "]))";
    }

    /** A quantile of the time a worker's tasks ran. */
    static String taskDurationQuantile(String worker, String quantile, String window) {
        return quantile(TASK_DURATION_BUCKETS, worker, quantile, window);
    }

    private static String quantile(String buckets, String service, String quantile, String window) {
        return "histogram_quantile(" + quantile + ", sum by (le) (rate(" + buckets + "{" + service(service) + "}[" + window + "])))";
    }
}
