package app.growbin.runtime.celery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Group commit: callers hand in an operation and wait until it is done; one caller at a time (the leader) runs
 * every queued operation in one round, and the callers that come meanwhile queue theirs for the next round.
 * Under load each round takes what arrived during the last one, so the round trips per operation fall; alone,
 * an operation runs at once, with no added delay.
 *
 * <p>Each waiting caller is woken exactly once: when its operation is settled, or when it becomes the leader of
 * the next round (the last leader hands over to the first queued caller). No wake-up of every waiter per round:
 * with a hundred tasks finishing together that herd cost more than the round trip it saved.
 *
 * <p>The round settles each operation: {@link Op#done()}, or {@link Op#fail} with that operation's own error.
 * If the round itself throws (the connection failed), every operation it did not settle fails with it.
 */
final class GroupCommit<T extends GroupCommit.Op> {

    /** One operation; its fields are written by the round and read by its caller once {@link #submit} returns. */
    abstract static class Op {
        boolean completed;
        RuntimeException error;
        /** Written after completed and error, read by the waiting caller: what it reads after it sees true is final. */
        volatile boolean settled;
        /** The caller leads the next round. */
        volatile boolean leader;
        Thread waiter;

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
    private boolean running; // guarded by lock: a leader is running a round or about to take the queue

    GroupCommit(Consumer<List<T>> round) {
        this.round = round;
    }

    /** Runs {@code op} (in this thread's round or another's) and returns when it is done; throws its error. */
    void submit(T op) {
        op.waiter = Thread.currentThread();
        List<T> batch = null;
        synchronized (lock) {
            queued.add(op);
            if (!running) {
                running = true;
                batch = takeQueued();
            }
        }
        boolean interrupted = false;
        while (batch == null && !op.settled) {
            if (op.leader) {
                synchronized (lock) {
                    batch = takeQueued(); // holds op: only a leader takes the queue, and op was queued
                }
                break;
            }
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true; // the operation is queued or in a round already: wait for its outcome
            }
        }
        if (batch != null) {
            try {
                runRound(batch, op);
            } finally {
                handOver(); // also after an Error: the next caller must not wait for a leader that is gone
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (op.error != null) {
            throw op.error;
        }
    }

    private List<T> takeQueued() { // under lock
        List<T> batch = queued;
        queued = new ArrayList<>();
        return batch;
    }

    private void runRound(List<T> batch, T own) {
        RuntimeException failure = null;
        try {
            round.accept(batch);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            settle(batch, own, failure);
        }
    }

    private void settle(List<T> batch, T own, RuntimeException failure) {
        for (T o : batch) {
            if (!o.completed && o.error == null) {
                o.error = failure == null ? new IllegalStateException("the operation was not settled by its round")
                        : o == own ? failure : copy(failure);
            }
            o.settled = true;
            if (o != own) {
                LockSupport.unpark(o.waiter);
            }
        }
    }

    /** The next round's leader is the first caller queued meanwhile; none: the next caller leads. */
    private void handOver() {
        synchronized (lock) {
            if (queued.isEmpty()) {
                running = false;
            } else {
                T next = queued.get(0);
                next.leader = true;
                LockSupport.unpark(next.waiter);
            }
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
