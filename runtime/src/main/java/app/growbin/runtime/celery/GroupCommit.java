package app.growbin.runtime.celery;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Group commit: callers hand in an operation and wait until it is done; one caller at a time (the first
 * that finds no round under way) runs every queued operation in one round, and the callers that come
 * meanwhile queue theirs for the next round. Under load each round takes what arrived during the last one,
 * so the round trips per operation fall; alone, an operation runs at once, with no added delay.
 *
 * <p>The round settles each operation: {@link Op#done()}, or {@link Op#fail} with that operation's own error.
 * If the round itself throws (the connection failed), every operation it did not settle fails with it.
 */
final class GroupCommit<T extends GroupCommit.Op> {

    /** One operation; its fields are written by the round and read by its caller once {@link #submit} returns. */
    abstract static class Op {
        boolean completed;
        RuntimeException error;
        boolean settled; // guarded by the GroupCommit's lock

        /** Done without error. */
        final void done() {
            completed = true;
        }

        /** Failed with its own error (the other operations of the round are not affected). */
        final void fail(RuntimeException e) {
            error = e;
        }

        final boolean failed() {
            return error != null;
        }
    }

    private final Object lock = new Object();
    private final Consumer<List<T>> round;
    private List<T> queued = new ArrayList<>(); // guarded by lock
    private boolean running; // guarded by lock

    GroupCommit(Consumer<List<T>> round) {
        this.round = round;
    }

    /** Runs {@code op} (in this thread's round or another's) and returns when it is done; throws its error. */
    void submit(T op) {
        List<T> batch = null;
        boolean interrupted = false;
        synchronized (lock) {
            queued.add(op);
            while (!op.settled) {
                if (!running) {
                    running = true;
                    batch = queued;
                    queued = new ArrayList<>();
                    break;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the operation is in a round already: wait for its outcome
                }
            }
        }
        if (batch != null) {
            RuntimeException failure = null;
            try {
                round.accept(batch);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                synchronized (lock) {
                    for (T o : batch) {
                        if (!o.completed && o.error == null) {
                            o.error = failure == null ? new IllegalStateException("the operation was not settled by its round")
                                    : o == op ? failure : copy(failure);
                        }
                        o.settled = true;
                    }
                    running = false;
                    lock.notifyAll();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (op.error != null) {
            throw op.error;
        }
    }

    /** The round's failure for another caller: its own instance (its stack is the caller's), of the same kind. */
    private static RuntimeException copy(RuntimeException e) {
        if (e instanceof JedisConnectionException) {
            return new JedisConnectionException(e.getMessage(), e);
        }
        if (e instanceof JedisDataException) {
            return new JedisDataException(e.getMessage(), e);
        }
        return new IllegalStateException(e.getMessage(), e);
    }
}
