package app.growbin.processor.model;

/**
 * Scrape settings and alert thresholds.
 *
 * @param errorRateThreshold fraction of requests answered 5xx, 0..1
 * @param latencyP95Seconds p95 latency above which the latency alert fires
 * @param queueDepthThreshold ready messages in a worker queue above which it fires (per worker overridable)
 * @param deadLetterThreshold ready messages in the dead-letter queue above which it fires
 * @param alertFor how long a condition must hold, a Prometheus duration
 * @param runbookBaseUrl where the runbooks live; each alert links to {@code <base>#<alert name in lower case>}
 */
public record MonitoringSpec(String interval, String scrapeTimeout, double errorRateThreshold, double latencyP95Seconds,
                             int queueDepthThreshold, String deadLetterQueue, int deadLetterThreshold, String alertFor,
                             String runbookBaseUrl) {}
