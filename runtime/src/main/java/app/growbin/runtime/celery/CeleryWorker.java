package app.growbin.runtime.celery;

import app.growbin.annotations.Pool;
import app.growbin.contract.Metrics;
import app.growbin.runtime.Pools;
import app.growbin.runtime.TaskArguments;
import app.growbin.runtime.TaskDispatcher;
import app.growbin.runtime.logging.LogContext;
import app.growbin.runtime.logging.LogFields;
import app.growbin.runtime.metrics.MetricsRegistry;
import app.growbin.runtime.telemetry.ActiveSpan;
import app.growbin.runtime.telemetry.Tracing;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.opentelemetry.api.trace.Span;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A Celery worker for one queue: consumes protocol v2 messages, runs them on the pool, stores the
 * result in Redis and only then acknowledges (at-least-once: a worker killed mid-task leaves the
 * message unacknowledged and RabbitMQ hands it to another one).
 *
 * <p>Every way out is bounded:
 * <ul>
 *   <li>a task failure is retried {@code maxRetries} times through delay queues
 *       {@code <queue>.retry.<ms>} (a per-queue TTL that dead-letters back to the queue), then stored
 *       as FAILURE and dead-lettered to {@code growbin.dlx} → the dead-letter queue;</li>
 *   <li>what no retry can fix (a malformed or undecodable message, a content type or compression it
 *       cannot read, arguments that do not fit ({@code TypeError}), an unknown task, a result key that
 *       is not a Celery result, a next step that is too large or unroutable, a message redelivered more
 *       than {@code maxRedeliveries} times) is dead-lettered at once, with a FAILURE result when the
 *       message has an id;</li>
 *   <li>what may pass (Redis or RabbitMQ unreachable) is retried in place with a doubling delay
 *       between {@code transientMinMs} and {@code transientMaxMs}, {@code transientAttempts} times,
 *       holding the message (so the prefetch stops new deliveries), then handed back to the queue;
 *       meanwhile {@link #ready()} is false;</li>
 *   <li>a message whose eta is more than {@link #ETA_HOLD_MS} away is parked in a delay queue
 *       {@code <queue>.eta.<ms>} (the longest TTL not after its eta) and comes back later, so
 *       far-future tasks never take the prefetch slots of due ones; one due sooner is held
 *       unacknowledged until then. (Celery raises a channel-wide prefetch instead; RabbitMQ applies a
 *       per-consumer prefetch change only to new consumers, and quorum queues have no channel-wide
 *       prefetch, so holding would starve the queue.)</li>
 * </ul>
 * The work queue is declared as Celery declares it ({@link QueueType}), so Python producers and
 * workers share it.
 */
public final class CeleryWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CeleryWorker.class);

    public static final String DEAD_LETTER_EXCHANGE = "growbin.dlx";
    private static final double[] TASK_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
    private static final long MAX_DELAY_MS = 600_000;
    /** An eta message due within this is held in memory (taking its prefetch slot briefly); later ones are parked. */
    static final long ETA_HOLD_MS = 2_000;
    /** The delay queues an eta task is parked in: the longest not after its eta. */
    static final long[] ETA_PARK_MS = {1_000, 10_000, 60_000, 600_000, 3_600_000};
    /**
     * How long a recorded message may wait for its ack before the timer sends it anyway ({@link AckBatcher#flushDue}).
     * The completing threads send the acks themselves when a batch is full or the queue went idle; the timer only
     * rescues ready tags stuck behind a delivery still running or held (or a batch that stopped filling), so it
     * wakes up rarely and may wait longer.
     */
    static final long ACK_RESCUE_DELAY_MS = 15;

    /**
     * Acks sent together once this many are ready. With prefetch beyond the concurrency (PROCESSES, THREADS, GEVENT)
     * a quarter of the prefetch, so deliveries keep flowing. When every prefetch slot is a running task (SOLO), a tag
     * waiting for its batch keeps a task from starting, so the batch is a 25th of the prefetch.
     */
    static int ackBatch(int prefetch, int concurrency) {
        return Math.max(1, prefetch > concurrency ? prefetch / 4 : prefetch / 25);
    }

    /** Headers larger than this are dropped from a dead-lettered copy when the whole set would not fit a frame. */
    private static final int DEAD_LETTER_HEADER_MAX = 1024;

    /**
     * How the worker runs.
     *
     * @param service the worker's name (the {@code service} label)
     * @param retryBackoffMs the first retry's delay; each further one doubles it
     * @param timeLimitSeconds hard limit per task unless the message's {@code timelimit[0]} says otherwise
     * @param softTimeLimitSeconds soft limit per task unless {@code timelimit[1]} says otherwise; null for none
     * @param maxRedeliveries deliveries of one message (after a worker died on it) before it is dead-lettered
     * @param transientMinMs first wait when Redis or RabbitMQ is unreachable
     * @param transientMaxMs longest wait between two attempts
     * @param transientAttempts attempts before the message goes back to the queue
     * @param prefetchMultiplier messages taken from the broker per task run at once ({@link Pools#prefetch})
     */
    public record Settings(String service, String queue, Pool pool, int concurrency, int maxRetries,
            long retryBackoffMs, double timeLimitSeconds, Double softTimeLimitSeconds, String deadLetterQueue,
            int maxRedeliveries, long transientMinMs, long transientMaxMs, int transientAttempts,
            int prefetchMultiplier) {

        /** Defaults for the bounds: 10 redeliveries, 0.5 s … 30 s transient backoff, 10 attempts; Celery's prefetch. */
        public Settings(String service, String queue, Pool pool, int concurrency, int maxRetries, long retryBackoffMs,
                double timeLimitSeconds, String deadLetterQueue) {
            this(service, queue, pool, concurrency, maxRetries, retryBackoffMs, timeLimitSeconds, null, deadLetterQueue,
                    10, 500, 30_000, 10, Pools.DEFAULT_PREFETCH_MULTIPLIER);
        }

        public Settings withTransientBackoff(long minMs, long maxMs, int attempts) {
            return new Settings(service, queue, pool, concurrency, maxRetries, retryBackoffMs, timeLimitSeconds,
                    softTimeLimitSeconds, deadLetterQueue, maxRedeliveries, minMs, maxMs, attempts, prefetchMultiplier);
        }

        public Settings withSoftTimeLimit(Double seconds) {
            return new Settings(service, queue, pool, concurrency, maxRetries, retryBackoffMs, timeLimitSeconds,
                    seconds, deadLetterQueue, maxRedeliveries, transientMinMs, transientMaxMs,
                    transientAttempts, prefetchMultiplier);
        }

        public Settings withMaxRedeliveries(int max) {
            return new Settings(service, queue, pool, concurrency, maxRetries, retryBackoffMs, timeLimitSeconds,
                    softTimeLimitSeconds, deadLetterQueue, max, transientMinMs, transientMaxMs,
                    transientAttempts, prefetchMultiplier);
        }

        public Settings withPrefetchMultiplier(int multiplier) {
            return new Settings(service, queue, pool, concurrency, maxRetries, retryBackoffMs, timeLimitSeconds,
                    softTimeLimitSeconds, deadLetterQueue, maxRedeliveries, transientMinMs, transientMaxMs,
                    transientAttempts, multiplier);
        }

        /** The AMQP prefetch of the work queue's consumer. */
        public int prefetch() {
            return Pools.prefetch(pool, concurrency, prefetchMultiplier);
        }
    }

    /** One delivery: its tag is only valid on the channel generation it came on. */
    private record Delivery(long tag, long generation, AMQP.BasicProperties props, byte[] body, boolean redelivered) {}

    /** A task running on the pool: what the time limits and {@code revoke(terminate=True)} act on. */
    private static final class Running {
        final Thread thread;
        final Delivery delivery;
        final CeleryMessage message;
        final AtomicBoolean softLimitPassed = new AtomicBoolean();
        final AtomicBoolean finished = new AtomicBoolean();
        /** The run itself finished the task (not the hard time limit or a terminate). */
        volatile boolean finishedByRun;
        /** The {@code run/<task>} span; ended once, by whichever path records the outcome. */
        final Span span;
        private final AtomicBoolean spanEnded = new AtomicBoolean();

        Running(Thread thread, Delivery delivery, CeleryMessage message, Span span) {
            this.thread = thread;
            this.delivery = delivery;
            this.message = message;
            this.span = span;
        }

        void endSpan() {
            if (spanEnded.compareAndSet(false, true)) {
                span.end();
            }
        }
    }

    private final Settings settings;
    private final TaskDispatcher dispatcher;
    private final Broker broker;
    private final ResultBackend results;
    private final Canvas canvas;
    private final TaskTracing tracing;
    private final Clock clock;
    private final ExecutorService pool;
    private final ExecutorService recorder;
    private final ScheduledExecutorService timers;
    private final RevokedTasks revoked;
    private final LogLimiter logs = new LogLimiter(30_000, 10_000);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong generation = new AtomicLong();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Counter tasks;
    private final Histogram duration;
    private final Object channelLock = new Object();
    private Channel channel; // guarded by channelLock
    /** The acks of {@link #channel}, batched ({@link AckBatcher}); guarded by channelLock. */
    private final AckBatcher acks;
    private boolean ackFlushScheduled; // guarded by channelLock
    private String consumerTag;
    private volatile boolean consuming;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private volatile boolean backendReachable = true;

    public CeleryWorker(Settings settings, TaskDispatcher dispatcher, Broker broker, ResultBackend results,
            MetricsRegistry registry) {
        this(settings, dispatcher, broker, results, registry, Tracing.off());
    }

    /** A worker whose task runs and publishes are spans of {@code tracing} ({@link TaskTracing}). */
    public CeleryWorker(Settings settings, TaskDispatcher dispatcher, Broker broker, ResultBackend results,
            MetricsRegistry registry, Tracing tracing) {
        this.settings = settings;
        this.tracing = new TaskTracing(tracing);
        this.dispatcher = dispatcher;
        this.broker = broker;
        this.results = results;
        this.clock = results.clock();
        String node = "growbin-" + settings.service() + "@" + hostName() + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(System.identityHashCode(this));
        this.canvas = new Canvas(broker, results, node, clock, tracing);
        this.revoked = new RevokedTasks(results, node, settings.service());
        this.pool = Pools.forPool(settings.pool(), settings.concurrency(), "task-" + settings.service());
        this.recorder = Executors.newCachedThreadPool(Pools.threads("record-" + settings.service()));
        java.util.concurrent.ScheduledThreadPoolExecutor timerPool =
                new java.util.concurrent.ScheduledThreadPoolExecutor(2, Pools.threads("timer-" + settings.service()));
        // every task schedules its time limits and cancels them when it ends: without this the cancelled
        // timers stay queued until their (minutes away) deadline, a heap of millions under load
        timerPool.setRemoveOnCancelPolicy(true);
        this.timers = timerPool;
        this.tasks = registry.counter(Metrics.WORKER_TASKS);
        this.duration = registry.histogram(Metrics.WORKER_TASK_DURATION, TASK_BUCKETS);
        this.acks = new AckBatcher(new AckBatcher.Sender() {
            @Override
            public void ack(long tag, boolean multiple) throws IOException {
                Channel ch = channel;
                if (ch != null && ch.isOpen()) {
                    ch.basicAck(tag, multiple);
                }
            }

            @Override
            public void nack(long tag, boolean requeue) throws IOException {
                Channel ch = channel;
                if (ch != null && ch.isOpen()) {
                    ch.basicNack(tag, false, requeue);
                }
            }
        }, ackBatch(basePrefetch(), settings.concurrency()),
                TimeUnit.MILLISECONDS.toNanos(ACK_RESCUE_DELAY_MS));
        MetricsRegistry.Gauge inFlightGauge = registry.gauge(Metrics.WORKER_TASKS_IN_FLIGHT);
        inFlightGauge.bind(inFlight::get, settings.service(), settings.queue());
        MetricsRegistry.Gauge depth = registry.gauge(Metrics.QUEUE_MESSAGES_READY);
        // read from the broker at scrape time; unknown (negative) while it is unreachable, and then left out
        depth.bind(() -> broker.messageCount(settings.queue()), settings.service(), settings.queue());
        depth.bind(() -> broker.messageCount(settings.deadLetterQueue()), settings.service(), settings.deadLetterQueue());
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        return h == null || h.isBlank() ? "localhost" : h;
    }

    public Settings settings() {
        return settings;
    }

    /** Every queue this worker declares (tests delete them). */
    public List<String> declaredQueues() {
        List<String> q = new ArrayList<>(List.of(settings.queue(), settings.deadLetterQueue()));
        for (int attempt = 1; attempt <= settings.maxRetries(); attempt++) {
            q.add(retryQueue(delayMs(attempt)));
        }
        for (long ms : ETA_PARK_MS) {
            q.add(etaQueue(ms));
        }
        return q;
    }

    /** Declares the queues, listens for revocations and starts consuming. */
    public void start() throws IOException {
        Channel ch = broker.connection().createChannel();
        declareTopology(ch);
        if (ch instanceof Recoverable r) {
            r.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recoverable) {
                    // deliveries of the old channel come again: forget the held ones and their acks
                    synchronized (channelLock) {
                        generation.incrementAndGet();
                        acks.reset();
                    }
                    held.set(0);
                    revoked.syncSoon(); // a revoke broadcast may have been missed while the connection was down
                }

                @Override
                public void handleRecoveryStarted(Recoverable recoverable) {}
            });
        }
        ch.basicQos(basePrefetch());
        synchronized (channelLock) {
            channel = ch;
        }
        revoked.start(broker.connection().createChannel(), this::terminate);
        revoked.load(); // every revocation recorded so far is known before the first message is taken
        timers.scheduleWithFixedDelay(this::checkBackend, 1, 1, TimeUnit.SECONDS);
        consumerTag = ch.basicConsume(settings.queue(), false,
                "growbin-" + settings.service() + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(hashCode()),
                new DefaultConsumer(ch) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                        onDelivery(new Delivery(envelope.getDeliveryTag(), generation.get(), props, body,
                                envelope.isRedeliver()));
                    }
                });
        consuming = true;
        LOG.info("worker {} consuming {} (pool {}, concurrency {}, prefetch {}, queue type {}, virtual threads {})",
                settings.service(), settings.queue(), settings.pool(), settings.concurrency(), basePrefetch(),
                broker.queueType(), Pools.useVirtualThreads());
    }

    private void declareTopology(Channel ch) throws IOException {
        QueueType type = broker.queueType();
        ch.queueDeclare(settings.queue(), true, false, false, type.queueArguments());
        ch.exchangeDeclare(DEAD_LETTER_EXCHANGE, BuiltinExchangeType.DIRECT, true);
        ch.queueDeclare(settings.deadLetterQueue(), true, false, false, type.queueArguments());
        ch.queueBind(settings.deadLetterQueue(), DEAD_LETTER_EXCHANGE, settings.queue());
        for (int attempt = 1; attempt <= settings.maxRetries(); attempt++) {
            long delay = delayMs(attempt);
            ch.queueDeclare(retryQueue(delay), true, false, false, type.delayQueueArguments(delay, settings.queue()));
        }
        for (long ms : ETA_PARK_MS) {
            ch.queueDeclare(etaQueue(ms), true, false, false, type.delayQueueArguments(ms, settings.queue()));
        }
    }

    long delayMs(int attempt) {
        long d = settings.retryBackoffMs() << Math.min(30, attempt - 1);
        return Math.max(1, Math.min(MAX_DELAY_MS, d));
    }

    String retryQueue(long delayMs) {
        return settings.queue() + ".retry." + delayMs;
    }

    String etaQueue(long delayMs) {
        return settings.queue() + ".eta." + delayMs;
    }

    private int basePrefetch() {
        return settings.prefetch();
    }


    /** Consuming, broker connected, result backend reachable, not shutting down. */
    public boolean ready() {
        Channel ch = channel;
        return consuming && !stopping && broker.isOpen() && ch != null && ch.isOpen() && backendReachable;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Whether a message with this id would be discarded as revoked now. */
    boolean knowsRevoked(String taskId) {
        return revoked.isRevoked(taskId);
    }

    /** Reads of the revoked ids in Redis that failed (Redis unreachable). */
    long revokedSyncFailures() {
        return revoked.syncFailures();
    }

    /** Eta messages due within {@link #ETA_HOLD_MS}, held unacknowledged right now. */
    public int held() {
        return held.get();
    }

    private void checkBackend() {
        backendReachable = results.ping();
    }

    // ---------------------------------------------------------------- delivery

    private void onDelivery(Delivery d) {
        inFlight.incrementAndGet();
        synchronized (channelLock) {
            if (d.generation() == generation.get()) {
                acks.delivered(d.tag());
            }
        }
        try {
            // decoded and admitted on the pool thread that then runs it: one thread hand-off per message, not two.
            // Nothing on that path waits for another pool thread (an eta hold, a transient retry and the hard
            // limit continue on the timers and the recorder), so a fixed pool cannot deadlock on itself.
            pool.execute(() -> accept(d));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.decrementAndGet(); // shutting down: unacknowledged, it goes back to the queue
        }
    }

    private void accept(Delivery d) {
        Thread.interrupted(); // a time limit or terminate aimed at this thread's previous task is not this one's
        try (LogContext log = LogContext.task(CeleryMessage.idOf(d.props()), settings.queue())) {
            acceptLogged(d);
        }
    }

    private void acceptLogged(Delivery d) {
        String id = CeleryMessage.idOf(d.props());
        CeleryMessage message;
        try {
            message = CeleryMessage.decode(d.props(), d.body(), broker.maxMessageBytes());
        } catch (RuntimeException e) {
            String task = CeleryMessage.taskOf(d.props());
            if (logs.allow("decode:" + id)) {
                LOG.error("dead-lettering an undecodable message (task {}, id {}) from {}: {}", task, id, settings.queue(),
                        e.getMessage());
            }
            record(d, task, () -> deadLetterWithFailure(d, task, id, null, e));
            return;
        }
        Admission admission = new Admission();
        try (LogContext trace = LogContext.of(LogFields.TRACE_ID, tracing.traceIdOf(message))) {
            // "received" names the trace it continues
            record(d, message.task(), () -> {
                boolean first = admission.firstAttempt;
                admission.firstAttempt = false; // a retry runs later, on a recorder thread
                if (admit(d, message)) {
                    if (first) {
                        admission.runHere = true; // this pool thread runs it, right after the admission
                    } else {
                        submit(d, message); // admitted on a recorder thread after a transient failure
                    }
                    throw new Handed();
                }
            });
        }
        if (admission.runHere) {
            run(d, message);
        }
    }

    /**
     * Where an admitted message runs: its first admission attempt runs synchronously on the pool thread that
     * accepted it, which then runs the task itself; a retried admission (on a recorder thread) hands it to the pool.
     */
    private static final class Admission {
        boolean firstAttempt = true;
        boolean runHere;
    }

    /**
     * Bounds, revocation, expiry and eta.
     *
     * @return true when the task is due now (the caller runs it); false when it was settled, held or parked
     */
    private boolean admit(Delivery d, CeleryMessage message) throws IOException {
        if (d.redelivered()) {
            long deliveries = results.countDelivery(message.id());
            if (deliveries > settings.maxRedeliveries()) {
                throw new Permanent(new CeleryExceptions.WorkerLostError("message " + message.id() + " was delivered "
                        + deliveries + " times without finishing (the worker was lost each time); bound is "
                        + settings.maxRedeliveries()));
            }
        }
        if (revoked.isRevoked(message.id())) {
            LOG.info("discarding revoked task {}[{}]", message.task(), message.id());
            finishRevoked(message, "revoked");
            return false;
        }
        if (message.expires() != null && clock.instant().isAfter(message.expires())) {
            finishRevoked(message, "expired");
            return false;
        }
        perTask(message.task()).received.inc();
        LOG.info("task {}[{}] received", message.task(), message.id()); // as Celery's worker logs it
        Instant eta = message.eta();
        long wait = eta == null ? 0 : Duration.between(clock.instant(), eta).toMillis();
        if (wait <= 0) {
            return true;
        }
        if (wait <= ETA_HOLD_MS) {
            held.incrementAndGet();
            timers.schedule(() -> releaseHeld(d, message), Math.min(wait, Integer.MAX_VALUE), TimeUnit.MILLISECONDS);
            throw new Handed();
        }
        park(message, wait);
        return false;
    }

    private void releaseHeld(Delivery d, CeleryMessage message) {
        if (d.generation() != generation.get()) {
            inFlight.decrementAndGet(); // the channel recovered: the broker delivers this message again
            return;
        }
        held.decrementAndGet();
        submit(d, message);
    }

    /** Republishes an eta message to the delay queue that returns it closest to (not after) its eta. */
    private void park(CeleryMessage message, long wait) throws IOException {
        long ttl = ETA_PARK_MS[0];
        for (long ms : ETA_PARK_MS) {
            if (ms <= wait) {
                ttl = ms;
            }
        }
        broker.publish("", etaQueue(ttl), message.properties(), message.body());
    }

    private void submit(Delivery d, CeleryMessage message) {
        try {
            pool.execute(() -> run(d, message));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            inFlight.decrementAndGet(); // shutting down: unacknowledged, the broker gives it to another worker
        }
    }

    // ---------------------------------------------------------------- running

    /** One run of a task: a {@code run/<task>} span, current (with the task's id and queue in the log context) throughout. */
    private void run(Delivery d, CeleryMessage message) {
        Running task = new Running(Thread.currentThread(), d, message, tracing.startRun(message, settings.queue()));
        try (ActiveSpan active = ActiveSpan.of(task.span); LogContext log = LogContext.task(message.id(), settings.queue())) {
            run(d, message, task);
        } finally {
            if (!task.finished.get() || task.finishedByRun) {
                task.endSpan(); // otherwise the hard limit or a terminate records the outcome and ends it
            }
        }
    }

    private void run(Delivery d, CeleryMessage message, Running task) {
        double hard = message.timeLimit() != null ? message.timeLimit() : settings.timeLimitSeconds();
        Double soft = message.softTimeLimit() != null ? message.softTimeLimit() : settings.softTimeLimitSeconds();
        running.put(message.id(), task);
        long start = System.nanoTime();
        ScheduledFuture<?> softTimer = soft == null || soft <= 0 ? null : timers.schedule(() -> {
            if (!task.finished.get()) {
                LOG.warn("soft time limit ({} s) exceeded for {}[{}]", soft, message.task(), message.id());
                task.softLimitPassed.set(true);
                task.thread.interrupt();
            }
        }, (long) (soft * 1000), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> hardTimer = timers.schedule(() -> {
            if (task.finished.compareAndSet(false, true)) {
                LOG.error("hard time limit ({} s) exceeded for {}[{}]", hard, message.task(), message.id());
                task.thread.interrupt();
                observe(message, start);
                recordLater(d, message.task(), endingSpan(task, () -> fail(d, message, new CeleryExceptions.TimeLimitExceeded(hard))));
            }
        }, (long) (hard * 1000), TimeUnit.MILLISECONDS);
        Object result = null;
        Throwable error = null;
        TaskArguments arguments = new TaskArguments(message.args(), message.kwargs());
        CeleryExceptions.SoftTimeLimitExceeded.bind(task.softLimitPassed);
        try {
            result = dispatcher.dispatch(message.task(), arguments);
            error = arguments.unexpected().orElse(null);
        } catch (Throwable t) {
            error = t instanceof java.lang.reflect.InvocationTargetException && t.getCause() != null ? t.getCause() : t;
        } finally {
            CeleryExceptions.SoftTimeLimitExceeded.bind(null);
            running.remove(message.id());
            if (softTimer != null) {
                softTimer.cancel(false);
            }
            hardTimer.cancel(false);
        }
        if (!task.finished.compareAndSet(false, true)) {
            Thread.interrupted(); // the hard limit or a terminate finished this task; clear its interrupt
            return;
        }
        task.finishedByRun = true;
        if (task.softLimitPassed.get()) {
            Thread.interrupted();
            if (error != null && !(error instanceof CeleryExceptions.CeleryError)) {
                error = new CeleryExceptions.SoftTimeLimitExceeded();
            }
        }
        if (abandoned) {
            inFlight.decrementAndGet(); // the shutdown grace is over: no ack, the broker requeues it
            return;
        }
        observe(message, start);
        Object r = result;
        Throwable err = error;
        if (err == null) {
            if (!storeInBackgroundThenAck(d, message, r, task)) {
                record(d, message.task(), inSpan(task, () -> succeed(message, r)));
            }
            if (LOG.isInfoEnabled()) {
                LOG.info("task {}[{}] succeeded in {} s", message.task(), message.id(),
                        String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e9));
            }
        } else {
            record(d, message.task(), inSpan(task, () -> fail(d, message, err)));
        }
    }

    /** {@code revoke(terminate=True)}: interrupt the task if it runs here and store it as REVOKED. */
    private void terminate(List<String> ids) {
        for (String id : ids) {
            Running task = running.get(id);
            if (task != null && task.finished.compareAndSet(false, true)) {
                LOG.info("terminating task {}", id);
                task.thread.interrupt(); // its run() sees the task finished and returns
                task.span.addEvent("terminated");
                recordLater(task.delivery, task.message.task(), endingSpan(task, () -> finishRevoked(task.message, "terminated")));
            }
        }
    }

    /**
     * The step with the task's span current (and its ids and the task's in the log context), on
     * whichever thread and attempt it runs: later chain steps, callbacks and retries are its children.
     */
    private Step inSpan(Running task, Step step) {
        return () -> {
            try (ActiveSpan active = ActiveSpan.of(task.span);
                    LogContext log = LogContext.task(task.message.id(), settings.queue())) {
                step.run();
            }
        };
    }

    /** {@link #inSpan}, ending the span after the first attempt (the paths that took the task from its run). */
    private Step endingSpan(Running task, Step step) {
        Step traced = inSpan(task, step);
        return () -> {
            try {
                traced.run();
            } finally {
                task.endSpan();
            }
        };
    }

    /** The data points every task touches, looked up once per task name instead of per message. */
    private static final class TaskPoints {
        final io.prometheus.metrics.core.datapoints.CounterDataPoint received;
        final io.prometheus.metrics.core.datapoints.CounterDataPoint succeeded;
        final io.prometheus.metrics.core.datapoints.DistributionDataPoint duration;

        TaskPoints(io.prometheus.metrics.core.datapoints.CounterDataPoint received,
                io.prometheus.metrics.core.datapoints.CounterDataPoint succeeded,
                io.prometheus.metrics.core.datapoints.DistributionDataPoint duration) {
            this.received = received;
            this.succeeded = succeeded;
            this.duration = duration;
        }
    }

    private final Map<String, TaskPoints> taskPoints = new ConcurrentHashMap<>();

    private TaskPoints perTask(String task) {
        TaskPoints p = taskPoints.get(task);
        return p != null ? p : taskPoints.computeIfAbsent(task, t -> new TaskPoints(
                tasks.labelValues(settings.service(), settings.queue(), t, "received"),
                tasks.labelValues(settings.service(), settings.queue(), t, "succeeded"),
                duration.labelValues(settings.service(), settings.queue(), t)));
    }

    private void observe(CeleryMessage message, long start) {
        perTask(message.task()).duration.observe((System.nanoTime() - start) / 1e9);
    }

    // ---------------------------------------------------------------- outcomes

    /**
     * Celery's order ({@code app/trace.py}): callbacks and the next chain step are sent before the
     * result is stored, then the chord part is counted.
     */
    private void succeed(CeleryMessage message, Object result) throws IOException {
        JsonNode json = PythonJson.MAPPER.valueToTree(result);
        if (json == null) {
            json = JsonNodeFactory.instance.nullNode();
        }
        ArrayNode partial = JsonNodeFactory.instance.arrayNode().add(json);
        String root = message.rootId() != null ? message.rootId() : message.id();
        if (!message.callbacks().isEmpty()) {
            if (message.callbacks().size() == 1) {
                canvas.apply(message.callbacks().get(0), partial, message.id(), root);
            } else {
                canvas.applyGroup(message.callbacks(), partial, message.id(), root);
            }
        }
        if (!message.chain().isEmpty()) {
            List<Signature> rest = new ArrayList<>(message.chain());
            Signature next = rest.remove(rest.size() - 1);
            applyChainStep(next, rest, partial, message.id(), root);
        }
        if (!message.ignoreResult()) {
            results.store(TaskResult.success(message.id(), json, clock));
        }
        if (message.chord() != null && message.groupId() != null) {
            chordPartReturn(message, TaskState.SUCCESS, json);
        }
        perTask(message.task()).succeeded.inc();
    }

    /**
     * The common success, a result and nothing else to send or count: the result is written in the background
     * (with those of other tasks, {@link ResultBackend#storeInBackground}) while this thread takes its next task,
     * and the message is acknowledged once it is written. If that write fails, the usual recording path takes over
     * (on a recorder thread: its transient retries, then requeue; or dead-lettering for a key that holds no result).
     *
     * @return false when the message needs the usual path ({@link #succeed}) instead
     */
    private boolean storeInBackgroundThenAck(Delivery d, CeleryMessage message, Object result, Running task) {
        if (message.ignoreResult() || !message.callbacks().isEmpty() || !message.chain().isEmpty()
                || message.chord() != null) {
            return false;
        }
        TaskResult success;
        try {
            JsonNode json = PythonJson.MAPPER.valueToTree(result);
            success = TaskResult.success(message.id(), json == null ? JsonNodeFactory.instance.nullNode() : json, clock);
            results.storeInBackground(success, error -> {
                if (error == null) {
                    perTask(message.task()).succeeded.inc();
                    ack(d);
                } else {
                    recordLater(d, message.task(), inSpan(task, () -> succeed(message, result)));
                }
            });
        } catch (RuntimeException notSerializableOrTooLargeOrClosed) {
            return false; // succeed() meets it again and classifies it
        }
        return true;
    }

    /** {@code chain.pop().apply_async((retval,), chain=rest)}. */
    private void applyChainStep(Signature next, List<Signature> rest, ArrayNode partial, String parentId, String root)
            throws IOException {
        if (next.subtaskType() == null) {
            Signature withChain = rest.isEmpty() ? next : new Signature(next.task(), next.args(), next.kwargs(),
                    withChainOption(next, rest), null, next.immutable());
            canvas.apply(withChain, partial, parentId, root);
            return;
        }
        if (!rest.isEmpty()) {
            throw new Canvas.UnsupportedCanvasException("a chain step of type " + next.subtaskType()
                    + " followed by more steps is not supported by the Java runtime");
        }
        canvas.apply(next, partial, parentId, root);
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode withChainOption(Signature next, List<Signature> rest) {
        com.fasterxml.jackson.databind.node.ObjectNode o = next.options().deepCopy();
        ArrayNode chain = o.putArray("chain");
        for (Signature s : rest) {
            chain.add(s.toJson());
        }
        return o;
    }

    /** A chord header task is done: count it; the last one sends the body (or its ChordError). */
    private void chordPartReturn(CeleryMessage message, TaskState state, JsonNode result) throws IOException {
        Signature body = message.chord();
        java.util.Optional<List<ResultBackend.ChordPart>> done =
                results.chordPartReturn(message.groupId(), message.groupIndex(), message.id(), state, result);
        if (done.isEmpty()) {
            return;
        }
        ArrayNode values = JsonNodeFactory.instance.arrayNode();
        for (ResultBackend.ChordPart p : done.get()) {
            if (p.state() == TaskState.FAILURE || p.state() == TaskState.REVOKED) {
                String raised = p.result() == null ? "None" : p.result().path("exc_type").asText("Exception") + "("
                        + SafeRepr.of(p.result().path("exc_message"), 200).replaceAll("^\\[|\\]$", "") + ")";
                chordFailed(body, new CeleryExceptions.ChordError("Dependency " + p.taskId() + " raised " + raised));
                return;
            }
            values.add(p.result() == null ? JsonNodeFactory.instance.nullNode() : p.result());
        }
        try {
            canvas.apply(body, JsonNodeFactory.instance.arrayNode().add(values), null, null);
        } catch (RuntimeException e) {
            chordFailed(body, new CeleryExceptions.ChordError("Callback error: " + e));
        }
    }

    /** Celery's {@code chord_error_from_stack}: the body's errbacks run and the body is stored as FAILURE. */
    private void chordFailed(Signature body, CeleryExceptions.ChordError error) throws IOException {
        String bodyId = body.taskId();
        List<Signature> errbacks = Canvas.signatures(body.option("link_error"));
        if (bodyId != null) {
            if (!errbacks.isEmpty()) {
                canvas.applyGroup(errbacks, JsonNodeFactory.instance.arrayNode().add(bodyId), bodyId, bodyId);
            }
            results.store(TaskResult.failure(bodyId, TaskState.FAILURE, error, clock));
        }
    }

    private void fail(Delivery d, CeleryMessage message, Throwable error) throws IOException {
        Span span = Span.current(); // the task's run span (inSpan)
        TaskTracing.failed(span, error);
        if (isPermanent(error) || message.retries() >= settings.maxRetries()) {
            failForGood(d, message, error);
            return;
        }
        int attempt = message.retries() + 1;
        long delay = delayMs(attempt);
        CeleryMessage retry = message.toBuilder().retries(attempt).eta(clock.instant().plusMillis(delay)).build();
        if (logs.allow("retry:" + message.id())) {
            LOG.warn("task {}[{}] failed ({}); retry {} of {} in {} ms", message.task(), message.id(), error.toString(),
                    attempt, settings.maxRetries(), delay);
        }
        TaskTracing.retried(span, error, attempt, delay);
        canvas.publishDeclared(retryQueue(delay), retry); // a new apply_async span, child of this run
        results.store(TaskResult.failure(message.id(), TaskState.RETRY, error, clock));
        tasks.labelValues(settings.service(), settings.queue(), message.task(), "retried").inc();
    }

    /**
     * Celery's {@code mark_as_failure}: FAILURE stored for the task and for every later step of its
     * chain (so a caller waiting on the chain's last id is not left PENDING), the chord part counted,
     * the errbacks sent with the task id; then the message goes to the dead-letter queue.
     */
    private void failForGood(Delivery d, CeleryMessage message, Throwable error) throws IOException {
        if (logs.allow("failed:" + message.id())) {
            LOG.error("task {}[{}] failed after {} retries; dead-lettered to {}", message.task(), message.id(),
                    message.retries(), settings.deadLetterQueue(), error);
        }
        results.store(TaskResult.failure(message.id(), TaskState.FAILURE, error, clock));
        for (Signature step : message.chain()) {
            if (step.taskId() != null) {
                results.store(TaskResult.failure(step.taskId(), TaskState.FAILURE, error, clock));
            }
        }
        if (message.chord() != null && message.groupId() != null) {
            chordPartReturn(message, TaskState.FAILURE, TaskResult.exception(error));
        }
        if (!message.errbacks().isEmpty()) {
            String root = message.rootId() != null ? message.rootId() : message.id();
            canvas.applyGroup(message.errbacks(), JsonNodeFactory.instance.arrayNode().add(message.id()), message.id(), root);
        }
        tasks.labelValues(settings.service(), settings.queue(), message.task(), "failed").inc();
        deadLetter(d, message.task(), error);
    }

    /** Celery's {@code mark_as_revoked}: REVOKED with {@code TaskRevokedError(reason)}, the chord part counted. */
    private void finishRevoked(CeleryMessage message, String reason) throws IOException {
        CeleryExceptions.TaskRevokedError error = new CeleryExceptions.TaskRevokedError(reason);
        results.store(TaskResult.failure(message.id(), TaskState.REVOKED, error, clock));
        if (message.chord() != null && message.groupId() != null) {
            chordPartReturn(message, TaskState.REVOKED, TaskResult.exception(error));
        }
        tasks.labelValues(settings.service(), settings.queue(), message.task(), "revoked").inc();
    }

    /** What no retry can fix: dead-letter now, and store FAILURE under the id if the message has one. */
    private void deadLetterWithFailure(Delivery d, String task, String id, CeleryMessage message, Throwable error)
            throws IOException {
        if (id != null) {
            try {
                results.store(TaskResult.failure(id, TaskState.FAILURE, error, clock));
            } catch (ResultBackend.CorruptResultKeyException corrupt) {
                results.overwrite(TaskResult.failure(id, TaskState.FAILURE, error, clock));
            }
        }
        if (message != null) {
            for (Signature step : message.chain()) {
                if (step.taskId() != null) {
                    results.store(TaskResult.failure(step.taskId(), TaskState.FAILURE, error, clock));
                }
            }
        }
        tasks.labelValues(settings.service(), settings.queue(), task, "failed").inc();
        deadLetter(d, task, error);
    }

    /**
     * Publishes the original message to {@code growbin.dlx} (→ the dead-letter queue) with
     * {@code x-growbin-queue}, {@code x-growbin-error} and {@code x-growbin-dead-lettered-at}; counts
     * it only once the broker confirmed it. Headers that would not fit a frame are trimmed.
     */
    private void deadLetter(Delivery d, String task, Throwable error) throws IOException {
        Map<String, Object> headers = new LinkedHashMap<>();
        if (d.props().getHeaders() != null) {
            headers.putAll(d.props().getHeaders());
        }
        headers.put("x-growbin-queue", settings.queue());
        headers.put("x-growbin-error", SafeRepr.truncate(String.valueOf(error), DEAD_LETTER_HEADER_MAX));
        headers.put("x-growbin-dead-lettered-at", CeleryMessage.isoformat(clock.instant()));
        AMQP.BasicProperties p = d.props().builder().headers(headers).deliveryMode(2).build();
        try {
            broker.checkSendable(settings.queue(), p, d.body());
        } catch (MessageTooLargeException tooLarge) {
            headers.entrySet().removeIf(e -> !e.getKey().startsWith("x-growbin-") && headerSize(e.getValue()) > DEAD_LETTER_HEADER_MAX);
            headers.put("x-growbin-trimmed-headers", true);
            p = d.props().builder().headers(headers).deliveryMode(2).build();
        }
        broker.publish(DEAD_LETTER_EXCHANGE, settings.queue(), p, d.body());
        TaskTracing.deadLettered(Span.current(), settings.deadLetterQueue());
        tasks.labelValues(settings.service(), settings.queue(), task, "dead_lettered").inc();
    }

    private static int headerSize(Object v) {
        if (v instanceof com.rabbitmq.client.LongString l) {
            return (int) l.length();
        }
        if (v instanceof byte[] b) {
            return b.length;
        }
        return v == null ? 0 : String.valueOf(v).length();
    }

    // ---------------------------------------------------------------- recording, acks, bounds

    private interface Step {
        void run() throws Exception;
    }

    /** The step went to the pool, a timer or the hold: no ack now. */
    private static final class Handed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Handed() {
            super(null, null, false, false);
        }
    }

    /** A failure no retry can fix, raised where it is found. */
    private static final class Permanent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Permanent(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    static boolean isPermanent(Throwable e) {
        return e instanceof Permanent || e instanceof TaskArguments.TaskArgumentException
                || e instanceof TaskDispatcher.NotRegistered || e instanceof MalformedMessageException
                || e instanceof MessageTooLargeException || e instanceof UnroutableMessageException
                || e instanceof ResultBackend.CorruptResultKeyException || e instanceof Canvas.UnsupportedCanvasException
                || e instanceof CeleryExceptions.ContentDisallowed || e instanceof CeleryExceptions.WorkerLostError
                || e instanceof CeleryExceptions.TaskRevokedError;
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof JedisConnectionException
                    || t instanceof AlreadyClosedException || t instanceof ShutdownSignalException
                    || t instanceof TimeoutException) {
                return !(t instanceof com.rabbitmq.client.PossibleAuthenticationFailureException);
            }
        }
        return false;
    }

    private static boolean isRedisDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** Records on the recorder threads, not on a timer or consumer thread that others wait for. */
    private void recordLater(Delivery d, String task, Step step) {
        try {
            recorder.execute(() -> record(d, task, step));
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            done(); // unacknowledged: the broker requeues it
        }
    }

    /** Runs the recording step, then acknowledges; a failure is classified (see the class comment). */
    private void record(Delivery d, String task, Step step) {
        record(d, task, step, 1);
    }

    private void record(Delivery d, String task, Step step, int attempt) {
        try (LogContext log = LogContext.task(CeleryMessage.idOf(d.props()), settings.queue())) {
            recordLogged(d, task, step, attempt);
        }
    }

    private void recordLogged(Delivery d, String task, Step step, int attempt) {
        try {
            try {
                step.run();
            } catch (Handed handed) {
                return; // the pool, a timer or the hold owns the delivery now
            } catch (Exception e) {
                if (e instanceof Permanent || isPermanent(e) || !isTransient(e) && attempt >= 2) {
                    settlePermanent(d, task, e instanceof Permanent p ? p.getCause() : e);
                    return;
                }
                if (d.generation() != generation.get()) {
                    done(); // the channel recovered: the broker delivers the message again
                    return;
                }
                if (isRedisDown(e)) {
                    backendReachable = false;
                }
                retryLater(d, task, step, attempt, e);
                return;
            }
            ack(d);
        } catch (RuntimeException unexpected) {
            LOG.error("unexpected error while settling delivery {} on {}", d.tag(), settings.queue(), unexpected);
            done();
        }
    }

    private static String idOf(Delivery d) {
        String id = CeleryMessage.idOf(d.props());
        return id == null ? "" : id;
    }

    private void retryLater(Delivery d, String task, Step step, int attempt, Exception e) {
        String id = idOf(d);
        if (attempt >= settings.transientAttempts() || stopping) {
            if (logs.allow("requeue:" + id)) {
                LOG.error("could not record the outcome of {}[{}] after {} attempts ({}); it goes back to {}", task, id,
                        attempt, e.toString(), settings.queue());
            }
            nack(d, true);
            return;
        }
        long delay = Math.min(settings.transientMaxMs(), settings.transientMinMs() << Math.min(20, attempt - 1));
        if (logs.allow("transient:" + id)) {
            LOG.warn("could not record the outcome of {}[{}] ({}); attempt {} of {}, next in {} ms (further lines for"
                    + " this message are suppressed for 30 s)", task, id, e.toString(), attempt,
                    settings.transientAttempts(), delay);
        }
        try {
            timers.schedule(() -> recorder.execute(() -> record(d, task, step, attempt + 1)), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            done();
        }
    }

    /** Dead-letters the message with a FAILURE result; if even that is impossible now, retries it as transient. */
    private void settlePermanent(Delivery d, String task, Throwable error) {
        String id = CeleryMessage.idOf(d.props());
        if (logs.allow("permanent:" + id)) {
            LOG.error("dead-lettering {}[{}] from {}: {}", task, id, settings.queue(), error.toString());
        }
        CeleryMessage message = null;
        try {
            message = CeleryMessage.decode(d.props(), d.body(), broker.maxMessageBytes());
        } catch (RuntimeException undecodable) {
            // stored under the id alone
        }
        CeleryMessage m = message;
        record(d, task, () -> {
            try {
                try {
                    deadLetterWithFailure(d, task, id, m, error);
                } catch (ResultBackend.CorruptResultKeyException | MessageTooLargeException e) {
                    deadLetter(d, task, error); // the FAILURE cannot be stored; the message is kept anyway
                }
            } catch (RuntimeException e) {
                // dead-lettering itself is refused (the dead-letter queue gone?): bounded retries, then requeue
                throw new IOException("could not dead-letter: " + e, e);
            }
        }, 1);
    }

    /**
     * The message's outcome is recorded (stored, sent on, dead-lettered): it may be acknowledged. The ack goes
     * out with others ({@link AckBatcher}): when its batch is full, at once when the queue is idle, and otherwise
     * by the rescue timer within {@link #ACK_RESCUE_DELAY_MS}.
     */
    private void ack(Delivery d) {
        try {
            synchronized (channelLock) {
                if (d.generation() == generation.get() && channel != null && channel.isOpen()) {
                    if (acks.ready(d.tag(), System.nanoTime()) && !ackFlushScheduled) {
                        scheduleAckFlush();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // channel gone: the broker requeues the message, and the stored SUCCESS stops a second run
        } finally {
            done();
        }
    }

    private void scheduleAckFlush() { // under channelLock
        try {
            timers.schedule(this::flushDueAcks, ACK_RESCUE_DELAY_MS, TimeUnit.MILLISECONDS);
            ackFlushScheduled = true;
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // shutdown() flushes every ready ack before it closes the channel
        }
    }

    private void flushDueAcks() {
        synchronized (channelLock) {
            ackFlushScheduled = false;
            try {
                if (acks.flushDue(System.nanoTime())) {
                    scheduleAckFlush();
                }
            } catch (IOException | RuntimeException e) {
                // channel gone: the broker requeues what was not acked
            }
        }
    }

    /** Sent at once, never batched: a multiple ack sent later does not cover a nacked tag. */
    private void nack(Delivery d, boolean requeue) {
        try {
            synchronized (channelLock) {
                if (d.generation() == generation.get() && channel != null && channel.isOpen()) {
                    acks.nack(d.tag(), requeue);
                }
            }
        } catch (IOException | RuntimeException e) {
            // channel gone: the broker requeues it anyway
        } finally {
            done();
        }
    }

    /** Deliveries this worker has not acknowledged to the broker yet (running, held, or waiting for their batch). */
    public int unacknowledged() {
        synchronized (channelLock) {
            return acks.unacknowledged();
        }
    }

    private void done() {
        inFlight.decrementAndGet();
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * SIGTERM: stop taking messages, let in-flight tasks finish for up to {@code grace}, then close
     * the channel (what is still unacknowledged, held eta messages included, goes back to the queue).
     */
    public void shutdown(Duration grace) {
        stopping = true;
        synchronized (channelLock) {
            if (channel != null && consumerTag != null && channel.isOpen()) {
                try {
                    channel.basicCancel(consumerTag);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("could not cancel the consumer: {}", e.getMessage());
                }
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() - held.get() > 0 && System.nanoTime() < deadline) {
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
        recorder.shutdownNow();
        revoked.close();
        synchronized (channelLock) {
            if (channel != null && channel.isOpen()) {
                try {
                    acks.flushAll(); // what is recorded is acknowledged before the channel goes
                } catch (IOException | RuntimeException e) {
                    LOG.warn("could not send the last acknowledgements ({}); the broker redelivers those messages",
                            e.getMessage());
                }
                try {
                    channel.close();
                } catch (IOException | TimeoutException | RuntimeException e) {
                    // already closing
                }
            }
        }
        LOG.info("worker {} stopped ({} tasks were still running)", settings.service(), inFlight.get() - held.get());
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
