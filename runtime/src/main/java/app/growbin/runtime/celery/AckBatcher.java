package app.growbin.runtime.celery;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The acknowledgements of one consumer channel, sent together where that is safe.
 *
 * <p>A delivery is <em>unsettled</em> from its arrival until its outcome is known. A message whose outcome is
 * recorded (result stored, next steps sent, dead-letter copy confirmed) becomes <em>ready</em>: it may be
 * acknowledged. One {@code basic.ack(tag, multiple=true)} acknowledges every still unacknowledged delivery up to
 * {@code tag}, so it is only sent for the highest ready tag below the lowest unsettled one: every delivery it
 * covers is a completed one (or was already settled on its own by a nack, which a multiple ack does not touch).
 * A nack is never batched: it is sent at once, before any later multiple ack could cover its tag, so a
 * requeue is never swallowed. Ready tags above an unsettled one (a long task, a held eta message) are acked one
 * by one once they have waited {@code maxDelayNanos}; the caller runs {@link #flushDue} on a timer for that, which
 * also sends a ready prefix whose batch stopped filling. That timer is only the rescue: under load the batches
 * fill, and the completing threads send them.
 *
 * <p>A flush is due at once when {@code batch} tags are ready, or when nothing is unsettled any more (the
 * queue is idle, so nothing would come to join the batch). A delivery left unacknowledged on purpose (the
 * worker shutting down) stays unsettled for good, so no multiple ack ever covers it. Not thread-safe on its own: the worker calls it
 * under its channel lock, which also orders the acks and nacks on the channel.
 */
final class AckBatcher {

    /** Where the acks go: the channel, or a recording fake in tests. */
    interface Sender {
        void ack(long tag, boolean multiple) throws IOException;

        void nack(long tag, boolean requeue) throws IOException;
    }

    private final Sender sender;
    private final int batch;
    private final long maxDelayNanos;
    private final TreeSet<Long> unsettled = new TreeSet<>();
    /** Ready tag → when it became ready (System.nanoTime). */
    private final TreeMap<Long, Long> ready = new TreeMap<>();
    private long acksSent;
    private long tagsAcked;

    AckBatcher(Sender sender, int batch, long maxDelayNanos) {
        this.sender = sender;
        this.batch = Math.max(1, batch);
        this.maxDelayNanos = maxDelayNanos;
    }

    /** A delivery arrived. */
    void delivered(long tag) {
        unsettled.add(tag);
    }

    /**
     * The message's outcome is recorded; acks what may be acked now.
     *
     * @return whether ready tags are left waiting (the caller makes sure {@link #flushDue} runs within the delay)
     */
    boolean ready(long tag, long now) throws IOException {
        if (!unsettled.remove(tag)) {
            // not delivered on this channel generation (or settled already): nothing to ack here
            return !ready.isEmpty();
        }
        ready.put(tag, now);
        if (ready.size() >= batch || unsettled.isEmpty()) {
            flushContiguous();
        }
        return !ready.isEmpty();
    }

    /** Sends a nack for the tag at once (never batched). Ready tags below it stay ready. */
    void nack(long tag, boolean requeue) throws IOException {
        if (unsettled.remove(tag) || ready.remove(tag) != null) {
            sender.nack(tag, requeue);
        }
    }

    /**
     * Acks the contiguous ready prefix, and the other ready tags one by one if they waited {@code maxDelayNanos}.
     *
     * @return whether ready tags are still waiting
     */
    boolean flushDue(long now) throws IOException {
        flushContiguous();
        for (Iterator<Map.Entry<Long, Long>> it = ready.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, Long> e = it.next();
            long tag = e.getKey(); // before remove(): TreeMap reuses the entry for its successor
            if (now - e.getValue() >= maxDelayNanos) {
                it.remove();
                send(tag, false, 1);
            }
        }
        return !ready.isEmpty();
    }

    /** Acks every ready tag (before the channel closes): the prefix together, the rest one by one. */
    void flushAll() throws IOException {
        flushContiguous();
        while (!ready.isEmpty()) {
            send(ready.pollFirstEntry().getKey(), false, 1);
        }
    }

    /** The channel was replaced (recovery): its tags mean nothing on the new one, the broker redelivers them. */
    void reset() {
        unsettled.clear();
        ready.clear();
    }

    private void flushContiguous() throws IOException {
        if (ready.isEmpty()) {
            return;
        }
        Long lowestUnsettled = unsettled.isEmpty() ? null : unsettled.first();
        Map<Long, Long> prefix = lowestUnsettled == null ? ready : ready.headMap(lowestUnsettled, false);
        if (prefix.isEmpty()) {
            return;
        }
        int n = prefix.size();
        long highest = lowestUnsettled == null ? ready.lastKey() : ready.lowerKey(lowestUnsettled);
        prefix.clear();
        send(highest, n > 1, n);
    }

    private void send(long tag, boolean multiple, int count) throws IOException {
        acksSent++;
        tagsAcked += count;
        sender.ack(tag, multiple);
    }

    /** Deliveries not acknowledged yet: still running, or ready and waiting for their batch. */
    int unacknowledged() {
        return unsettled.size() + ready.size();
    }

    int readyCount() {
        return ready.size();
    }

    long acksSent() {
        return acksSent;
    }

    long tagsAcked() {
        return tagsAcked;
    }
}
