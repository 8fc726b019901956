package app.growbin.runtime.celery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit without waiting for others: callers hand in an operation and a continuation. The first caller that
 * finds no round under way runs rounds itself, each with every operation queued meanwhile, until the queue is
 * empty, and hands each continuation its operation's outcome (null when done, else its error); the callers that
 * come meanwhile go on at once. No thread waits to be woken for a write: under load one caller runs the rounds
 * back to back while the others keep queuing.
 */
final class BackgroundRounds<T extends GroupCommit.Op> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundRounds.class);

    private record Pending<T>(T op, Consumer<RuntimeException> then) {}

    private final Object lock = new Object();
    private final Consumer<List<T>> round;
    private List<Pending<T>> queued = new ArrayList<>(); // guarded by lock
    private boolean running; // guarded by lock
    private boolean closed; // guarded by lock

    BackgroundRounds(Consumer<List<T>> round) {
        this.round = round;
    }

    /**
     * Queues {@code op}; {@code then} runs once it is written or failed, on this thread or on the caller that
     * runs the rounds now.
     *
     * @throws IllegalStateException when closed (nothing was queued)
     */
    void submit(T op, Consumer<RuntimeException> then) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            queued.add(new Pending<>(op, then));
            if (running) {
                return;
            }
            running = true;
        }
        while (true) {
            List<Pending<T>> batch;
            synchronized (lock) {
                if (queued.isEmpty()) {
                    running = false;
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

    /** Stops taking operations. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
    }
}
