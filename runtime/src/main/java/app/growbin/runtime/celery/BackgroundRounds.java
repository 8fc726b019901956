package app.growbin.runtime.celery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit without waiting: callers hand in an operation and a continuation and go on; one thread runs
 * every queued operation in one round, then hands each continuation its operation's outcome (null when done,
 * else its error). Under load each round takes what arrived during the last one; alone, an operation runs as
 * soon as the thread wakes up.
 */
final class BackgroundRounds<T extends GroupCommit.Op> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRounds.class);

    private record Pending<T>(T op, Consumer<RuntimeException> then) {}

    private final Object lock = new Object();
    private final Consumer<List<T>> round;
    private final String threadName;
    private List<Pending<T>> queued = new ArrayList<>(); // guarded by lock
    private Thread thread; // guarded by lock; started on first use
    private boolean closed; // guarded by lock

    BackgroundRounds(Consumer<List<T>> round, String threadName) {
        this.round = round;
        this.threadName = threadName;
    }

    /**
     * Queues {@code op}; {@code then} runs on the round's thread once it is written or failed.
     *
     * @throws IllegalStateException when closed (nothing was queued)
     */
    void submit(T op, Consumer<RuntimeException> then) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            queued.add(new Pending<>(op, then));
            if (thread == null) {
                thread = new Thread(this::loop, threadName);
                thread.setDaemon(true);
                thread.start();
            } else if (queued.size() == 1) {
                lock.notify(); // the thread waits only for an empty queue
            }
        }
    }

    private void loop() {
        while (true) {
            List<Pending<T>> batch;
            synchronized (lock) {
                while (queued.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (queued.isEmpty()) {
                    return;
                }
                batch = queued;
                queued = new ArrayList<>();
            }
            runRound(batch);
        }
    }

    private void runRound(List<Pending<T>> batch) {
        List<T> ops = new ArrayList<>(batch.size());
        for (Pending<T> p : batch) {
            ops.add(p.op());
        }
        RuntimeException failure = null;
        try {
            round.accept(ops);
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new IllegalStateException("the round failed: " + e, e);
        }
        for (Pending<T> p : batch) {
            T op = p.op();
            RuntimeException outcome = op.completed ? null : op.error != null ? op.error
                    : failure != null ? failure : new IllegalStateException("the operation was not settled by its round");
            try {
                p.then().accept(outcome);
            } catch (RuntimeException e) {
                LOG.error("a continuation of a background write failed", e);
            }
        }
    }

    /** Stops taking operations; those queued still run (and fail if what they need is closed too). */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
