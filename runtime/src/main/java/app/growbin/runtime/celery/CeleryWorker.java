package app.growbin.runtime.celery;

import app.growbin.annotations.Pool;
import app.growbin.contract.Metrics;
import app.growbin.runtime.Pools;
import app.growbin.runtime.TaskArguments;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.metrics.MetricsRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Celery worker for one queue: consumes protocol v2 messages, runs them on the pool, stores the
 * result in Redis and only then acknowledges (at-least-once: a worker killed mid-task leaves the
 * message unacknowledged and RabbitMQ hands it to another one).
 *
 * <p>A failed task is sent again with {@code retries + 1} through a delay queue
 * {@code <queue>.retry.<ms>} (a per-queue TTL that dead-letters back to the queue: exponential
 * backoff that survives restarts), and after {@code maxRetries} it is published to the dead-letter
 * exchange {@code growbin.dlx}, which routes it to the dead-letter queue ({@code q.dlq}). The work
 * queue itself is declared exactly as Celery declares it, so Python producers and workers can share it.
 */
public final class CeleryWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CeleryWorker.class);

    public static final String DEAD_LETTER_EXCHANGE = "growbin.dlx";
    private static final double[] TASK_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final long MAX_DELAY_MS = 600_000;

    /**
     * How the worker runs.
     *
     * @param service the worker's name (the {@code service} label)
     * @param retryBackoffMs the first retry's delay; each further one doubles it
     * @param timeLimitSeconds hard limit per task unless the message's {@code timelimit} says otherwise
     */
    public record Settings(String service, String queue, Pool pool, int concurrency, int maxRetries,
            long retryBackoffMs, double timeLimitSeconds, String deadLetterQueue) {}

    private final Settings settings;
    private final TaskDispatcher dispatcher;
    private final Broker broker;
    private final ResultBackend results;
    private final Clock clock;
    private final ExecutorService pool;
    private final ScheduledExecutorService timers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final MetricsRegistry.Counter tasks;
    private final MetricsRegistry.Histogram duration;
    private final MetricsRegistry.Gauge inFlightGauge;
    private Channel channel;
    private String consumerTag;
    private volatile boolean consuming;
    private volatile boolean stopping;
    private volatile boolean abandoned;

    public CeleryWorker(Settings settings, TaskDispatcher dispatcher, Broker broker, ResultBackend results,
            MetricsRegistry registry) {
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.broker = broker;
        this.results = results;
        this.clock = results.clock();
        this.pool = Pools.forPool(settings.pool(), settings.concurrency(), "task-" + settings.service());
        this.timers = Executors.newScheduledThreadPool(2, Pools.threads("timer-" + settings.service()));
        this.tasks = registry.counter(Metrics.WORKER_TASKS);
        this.duration = registry.histogram(Metrics.WORKER_TASK_DURATION, TASK_BUCKETS);
        this.inFlightGauge = registry.gauge(Metrics.WORKER_TASKS_IN_FLIGHT);
        inFlightGauge.bind(() -> (double) inFlight.get(), settings.service(), settings.queue());
        MetricsRegistry.Gauge depth = registry.gauge(Metrics.QUEUE_MESSAGES_READY);
        depth.bind(() -> positiveOrNaN(broker.messageCount(settings.queue())), settings.service(), settings.queue());
        depth.bind(() -> positiveOrNaN(broker.messageCount(settings.deadLetterQueue())), settings.service(),
                settings.deadLetterQueue());
    }

    private static Double positiveOrNaN(long n) {
        return n < 0 ? Double.NaN : (double) n;
    }

    public Settings settings() {
        return settings;
    }

    /** Declares the queues and starts consuming. */
    public synchronized void start() throws IOException {
        Channel ch = broker.connection().createChannel();
        declareTopology(ch);
        ch.basicQos(Pools.prefetch(settings.pool(), settings.concurrency()));
        channel = ch;
        consumerTag = ch.basicConsume(settings.queue(), false, "growbin-" + settings.service() + "-" + ProcessHandle.current().pid(),
                new DefaultConsumer(ch) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                        onDelivery(envelope, props, body);
                    }
                });
        consuming = true;
        LOG.info("worker {} consuming {} (pool {}, concurrency {}, prefetch {}, virtual threads {})", settings.service(),
                settings.queue(), settings.pool(), settings.concurrency(),
                Pools.prefetch(settings.pool(), settings.concurrency()), Pools.useVirtualThreads());
    }

    private void declareTopology(Channel ch) throws IOException {
        ch.queueDeclare(settings.queue(), true, false, false, null);
        ch.exchangeDeclare(DEAD_LETTER_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        ch.queueDeclare(settings.deadLetterQueue(), true, false, false, null);
        ch.queueBind(settings.deadLetterQueue(), DEAD_LETTER_EXCHANGE, settings.queue());
        for (int attempt = 1; attempt <= settings.maxRetries(); attempt++) {
            long delay = delayMs(attempt);
            Map<String, Object> args = new HashMap<>();
            args.put("x-message-ttl", delay);
            args.put("x-dead-letter-exchange", "");
            args.put("x-dead-letter-routing-key", settings.queue());
            ch.queueDeclare(retryQueue(delay), true, false, false, args);
        }
    }

    long delayMs(int attempt) {
        long d = settings.retryBackoffMs() << Math.min(30, attempt - 1);
        return Math.max(1, Math.min(MAX_DELAY_MS, d));
    }

    String retryQueue(long delayMs) {
        return settings.queue() + ".retry." + delayMs;
    }

    /** Consuming, broker connected, not shutting down. */
    public boolean ready() {
        Channel ch = channel;
        return consuming && !stopping && broker.isOpen() && ch != null && ch.isOpen();
    }

    public int inFlight() {
        return inFlight.get();
    }

    private void onDelivery(Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        long tag = envelope.getDeliveryTag();
        inFlight.incrementAndGet();
        CeleryMessage message;
        try {
            message = CeleryMessage.decode(props, body);
        } catch (RuntimeException e) {
            LOG.error("rejecting undecodable message on {}: {}", settings.queue(), e.getMessage());
            tasks.inc(settings.service(), settings.queue(), "unknown", "dead_lettered");
            finishWith(tag, () -> deadLetter(props, body, e));
            return;
        }
        tasks.inc(settings.service(), settings.queue(), message.task(), "received");
        long wait = millisUntil(message.eta());
        if (wait > 0) {
            // Like Celery: hold the message (unacknowledged) until its eta, then run it.
            timers.schedule(() -> submit(tag, message, props, body), wait, TimeUnit.MILLISECONDS);
        } else {
            submit(tag, message, props, body);
        }
    }

    private void submit(long tag, CeleryMessage message, AMQP.BasicProperties props, byte[] body) {
        try {
            pool.execute(() -> run(tag, message, props, body));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: leave it unacknowledged, the broker gives it to another worker
            inFlight.decrementAndGet();
        }
    }

    private void run(long tag, CeleryMessage message, AMQP.BasicProperties props, byte[] body) {
        if (millisUntil(message.expires()) < 0 && message.expires() != null) {
            finishWith(tag, () -> {
                results.store(TaskResult.failure(message.id(), TaskState.REVOKED,
                        new TaskRevokedError("expired at " + message.expires()), clock));
            });
            return;
        }
        double limit = message.hardTimeLimit() != null ? message.hardTimeLimit() : settings.timeLimitSeconds();
        Thread self = Thread.currentThread();
        final Object[] state = {Boolean.FALSE}; // done flag, guarded by itself
        long start = System.nanoTime();
        java.util.concurrent.ScheduledFuture<?> watchdog = timers.schedule(() -> {
            synchronized (state) {
                if (state[0] == Boolean.TRUE) {
                    return;
                }
                state[0] = Boolean.TRUE;
                self.interrupt();
            }
            TimeLimitExceeded e = new TimeLimitExceeded("task " + message.task() + " exceeded its time limit of "
                    + limit + " s");
            observe(message, start);
            finishWith(tag, () -> fail(message, props, body, e));
        }, (long) (limit * 1000), TimeUnit.MILLISECONDS);
        Object result = null;
        Throwable error = null;
        try {
            result = dispatcher.dispatch(message.task(), new TaskArguments(message.args(), message.kwargs()));
        } catch (Throwable t) {
            error = t;
        }
        watchdog.cancel(false);
        if (abandoned) {
            // the shutdown grace is over: no ack, the broker requeues the message when the channel closes
            inFlight.decrementAndGet();
            return;
        }
        synchronized (state) {
            if (state[0] == Boolean.TRUE) {
                Thread.interrupted(); // the watchdog finished this task; clear its interrupt
                return;
            }
            state[0] = Boolean.TRUE;
        }
        observe(message, start);
        Object r = result;
        Throwable err = error instanceof java.lang.reflect.InvocationTargetException && error.getCause() != null
                ? error.getCause() : error;
        if (err == null) {
            finishWith(tag, () -> succeed(message, r));
        } else {
            finishWith(tag, () -> fail(message, props, body, err));
        }
    }

    private void observe(CeleryMessage message, long start) {
        duration.observe((System.nanoTime() - start) / 1e9, settings.service(), settings.queue(), message.task());
    }

    private void succeed(CeleryMessage message, Object result) throws IOException {
        JsonNode json = PythonJson.MAPPER.valueToTree(result);
        if (json == null) {
            json = JsonNodeFactory.instance.nullNode();
        }
        if (!message.ignoreResult()) {
            results.store(TaskResult.success(message.id(), json, clock));
        }
        if (!message.chain().isEmpty()) {
            List<Signature> rest = new ArrayList<>(message.chain());
            Signature next = rest.remove(rest.size() - 1);
            ArrayNode args = JsonNodeFactory.instance.arrayNode();
            if (!next.immutable()) {
                args.add(json);
            }
            args.addAll(next.args());
            String id = next.taskId() != null ? next.taskId() : java.util.UUID.randomUUID().toString();
            CeleryMessage m = new CeleryMessage(next.task(), id, message.rootId() != null ? message.rootId() : message.id(),
                    message.id(), null, 0, null, null, null, null, args, next.kwargs(), null, null, rest, null,
                    message.origin(), message.replyTo(), false, "py");
            broker.publish("", next.queue() != null ? next.queue() : "celery", m.properties(), m.body());
        }
        tasks.inc(settings.service(), settings.queue(), message.task(), "succeeded");
    }

    private void fail(CeleryMessage message, AMQP.BasicProperties props, byte[] body, Throwable error)
            throws IOException {
        if (message.retries() < settings.maxRetries()) {
            int attempt = message.retries() + 1;
            long delay = delayMs(attempt);
            String eta = OffsetDateTime.ofInstant(clock.instant().plusMillis(delay), ZoneOffset.UTC).toString();
            CeleryMessage retry = message.withRetries(attempt, eta);
            LOG.warn("task {} {} failed ({}); retry {} of {} in {} ms", message.task(), message.id(), error.toString(),
                    attempt, settings.maxRetries(), delay);
            broker.publish("", retryQueue(delay), retry.properties(), retry.body());
            results.store(TaskResult.failure(message.id(), TaskState.RETRY, error, clock));
            tasks.inc(settings.service(), settings.queue(), message.task(), "retried");
        } else {
            LOG.error("task {} {} failed after {} retries; dead-lettered to {}", message.task(), message.id(),
                    message.retries(), settings.deadLetterQueue(), error);
            results.store(TaskResult.failure(message.id(), TaskState.FAILURE, error, clock));
            deadLetter(props, body, error);
            tasks.inc(settings.service(), settings.queue(), message.task(), "failed");
            tasks.inc(settings.service(), settings.queue(), message.task(), "dead_lettered");
        }
    }

    private void deadLetter(AMQP.BasicProperties props, byte[] body, Throwable error) throws IOException {
        Map<String, Object> headers = new java.util.LinkedHashMap<>();
        if (props.getHeaders() != null) {
            headers.putAll(props.getHeaders());
        }
        headers.put("x-growbin-queue", settings.queue());
        headers.put("x-growbin-error", String.valueOf(error));
        headers.put("x-growbin-dead-lettered-at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).toString());
        AMQP.BasicProperties p = props.builder().headers(headers).deliveryMode(2).build();
        broker.publish(DEAD_LETTER_EXCHANGE, settings.queue(), p, body);
    }

    private interface Step {
        void run() throws Exception;
    }

    /** Runs the step that records the outcome, then acknowledges; on error the message goes back to the queue. */
    private void finishWith(long tag, Step step) {
        try {
            step.run();
            synchronized (this) {
                channel.basicAck(tag, false);
            }
        } catch (Exception e) {
            LOG.error("could not record the outcome of delivery {} on {}; it will be redelivered", tag,
                    settings.queue(), e);
            try {
                synchronized (this) {
                    channel.basicNack(tag, false, true);
                }
            } catch (IOException | RuntimeException ignored) {
                // channel gone: the broker requeues it anyway
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private long millisUntil(String isoTime) {
        if (isoTime == null || isoTime.isBlank()) {
            return 0;
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(isoTime).toInstant();
        } catch (DateTimeParseException e) {
            try {
                at = LocalDateTime.parse(isoTime).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return 0;
            }
        }
        return Duration.between(clock.instant(), at).toMillis();
    }

    /**
     * SIGTERM: stop taking messages, let in-flight tasks finish for up to {@code grace}, then close
     * the channel (what is still unacknowledged goes back to the queue).
     */
    public void shutdown(Duration grace) {
        stopping = true;
        synchronized (this) {
            if (channel != null && consumerTag != null && channel.isOpen()) {
                try {
                    channel.basicCancel(consumerTag);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("could not cancel the consumer: {}", e.getMessage());
                }
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        consuming = false;
        abandoned = true;
        pool.shutdownNow();
        timers.shutdownNow();
        synchronized (this) {
            if (channel != null && channel.isOpen()) {
                try {
                    channel.close();
                } catch (IOException | TimeoutException | RuntimeException e) {
                    // already closing
                }
            }
        }
        LOG.info("worker {} stopped ({} tasks were still running)", settings.service(), inFlight.get());
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    /** The task ran longer than its hard time limit (Celery's TimeLimitExceeded). */
    public static final class TimeLimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TimeLimitExceeded(String message) {
            super(message);
        }
    }

    /** The task expired before it ran (Celery's TaskRevokedError). */
    public static final class TaskRevokedError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TaskRevokedError(String message) {
            super(message);
        }
    }
}
