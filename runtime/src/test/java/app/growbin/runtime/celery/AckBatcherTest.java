package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The ack batching rules, against a model of what the broker holds unacknowledged: a multiple ack settles
 * every unacknowledged tag up to its own, so the model checks that it never covers a delivery whose outcome
 * is not recorded, that a nack is never swallowed, and that every recorded delivery is acked in the end.
 */
class AckBatcherTest {

    private static final long DELAY = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(CeleryWorker.ACK_RESCUE_DELAY_MS);

    /** What the broker sees: the tags still unacknowledged, and every frame sent. */
    private final TreeSet<Long> brokerUnacked = new TreeSet<>();
    private final TreeSet<Long> recorded = new TreeSet<>();
    private final List<String> frames = new ArrayList<>();
    private final List<Long> nacked = new ArrayList<>();

    private final AckBatcher acks = new AckBatcher(new AckBatcher.Sender() {
        @Override
        public void ack(long tag, boolean multiple) {
            frames.add("ack " + tag + (multiple ? " multiple" : ""));
            TreeSet<Long> covered = multiple ? new TreeSet<>(brokerUnacked.headSet(tag, true)) : new TreeSet<>(List.of(tag));
            for (long t : covered) {
                assertTrue(recorded.contains(t), "ack " + tag + (multiple ? " multiple" : "") + " covers " + t
                        + ", whose outcome is not recorded");
                assertTrue(brokerUnacked.remove(t), t + " acknowledged twice; frames " + frames.subList(Math.max(0, frames.size() - 12), frames.size()));
            }
        }

        @Override
        public void nack(long tag, boolean requeue) {
            frames.add("nack " + tag);
            assertTrue(brokerUnacked.remove(tag), "nack of " + tag + " after it was acked: the requeue is swallowed");
            nacked.add(tag);
        }
    }, 4, DELAY);

    private void deliver(long... tags) {
        for (long t : tags) {
            brokerUnacked.add(t);
            acks.delivered(t);
        }
    }

    private boolean ready(long tag, long now) throws Exception {
        recorded.add(tag);
        return acks.ready(tag, now);
    }

    @Test
    void contiguousReadyTagsGoInOneMultipleAckOnceTheBatchIsFull() throws Exception {
        deliver(1, 2, 3, 4, 5, 6, 7, 8);
        assertTrue(ready(1, 0));
        assertTrue(ready(2, 0));
        assertTrue(ready(3, 0));
        assertTrue(frames.isEmpty(), "nothing sent before the batch is full: " + frames);
        assertFalse(ready(4, 0));
        assertEquals(List.of("ack 4 multiple"), frames);
        assertEquals(new TreeSet<>(List.of(5L, 6L, 7L, 8L)), brokerUnacked);
        assertEquals(4, acks.unacknowledged());
    }

    @Test
    void aMultipleAckNeverCoversARunningTaskAndTagsAboveItAreAckedOneByOneAfterTheDelay() throws Exception {
        deliver(1, 2, 3, 4, 5, 6);
        ready(2, 0);
        ready(3, 0);
        ready(5, 0);
        ready(6, 0); // 4 ready: the batch is full, but 1 still runs
        assertTrue(frames.isEmpty(), "1 is still running, nothing may be acked together: " + frames);
        assertTrue(acks.flushDue(DELAY / 2), "not due yet");
        assertTrue(frames.isEmpty());
        assertFalse(acks.flushDue(DELAY));
        assertEquals(List.of("ack 2", "ack 3", "ack 5", "ack 6"), frames);
        assertEquals(new TreeSet<>(List.of(1L, 4L)), brokerUnacked, "the running tasks stay unacknowledged");
    }

    @Test
    void theRescueFlushSendsAPrefixThatStoppedFillingAtOnceAndStuckTagsOnlyAfterTheDelay() throws Exception {
        deliver(1, 2, 3, 4, 5);
        assertTrue(ready(1, 0)); // waits for its batch
        assertTrue(ready(3, 0)); // stuck behind 2, a long task
        assertTrue(frames.isEmpty(), "below the batch and 2, 4, 5 still run: the completing thread sends nothing");
        assertTrue(acks.flushDue(1), "3 is still waiting");
        assertEquals(List.of("ack 1"), frames, "the prefix no completion will fill goes with the first rescue");
        assertFalse(acks.flushDue(DELAY));
        assertEquals(List.of("ack 1", "ack 3"), frames, "3 is acked on its own once it waited the delay");
        assertEquals(new TreeSet<>(List.of(2L, 4L, 5L)), brokerUnacked);
    }

    @Test
    void batchesAreAQuarterOfThePrefetchUnlessEverySlotIsARunningTask() {
        assertEquals(2, CeleryWorker.ackBatch(8, 2), "PROCESSES 2: prefetch 8");
        assertEquals(4, CeleryWorker.ackBatch(16, 4), "THREADS 4: prefetch 16");
        assertEquals(100, CeleryWorker.ackBatch(400, 100), "GEVENT 100: prefetch 400");
        assertEquals(4, CeleryWorker.ackBatch(100, 100), "every slot runs a task");
        assertEquals(1, CeleryWorker.ackBatch(1, 1), "SOLO");
    }

    @Test
    void aNackGoesOutAtOnceAndAMultipleAckAboveItDoesNotSwallowIt() throws Exception {
        deliver(1, 2, 3, 4);
        ready(1, 0);
        acks.nack(2, true); // a message that could not be recorded goes back to the queue
        assertEquals(List.of("nack 2"), frames);
        ready(3, 0);
        assertFalse(ready(4, 0)); // nothing unsettled: idle, flushed at once
        assertEquals(List.of("nack 2", "ack 4 multiple"), frames);
        assertEquals(List.of(2L), nacked);
        assertTrue(brokerUnacked.isEmpty());
    }

    @Test
    void whenNothingIsUnsettledTheReadyTagsAreFlushedAtOnce() throws Exception {
        deliver(1, 2);
        ready(2, 0);
        assertTrue(frames.isEmpty());
        assertFalse(ready(1, 0), "the queue went idle: nothing may wait");
        assertEquals(List.of("ack 2 multiple"), frames);
        deliver(3);
        assertFalse(ready(3, 0));
        assertEquals(List.of("ack 2 multiple", "ack 3"), frames);
    }

    @Test
    void flushAllAcksEveryRecordedTagBeforeTheChannelClosesAndNoOther() throws Exception {
        deliver(1, 2, 3, 4, 5);
        ready(1, 0);
        ready(2, 0);
        ready(4, 0); // 3 is abandoned (shutdown grace over): it must stay unacknowledged and go back to the queue
        acks.flushAll();
        assertEquals(List.of("ack 2 multiple", "ack 4"), frames);
        assertEquals(new TreeSet<>(List.of(3L, 5L)), brokerUnacked);
    }

    @Test
    void afterARecoveryTheOldTagsAreForgotten() throws Exception {
        deliver(1, 2, 3);
        ready(1, 0);
        acks.reset();
        brokerUnacked.clear(); // the broker requeued them with the old channel
        recorded.clear();
        assertEquals(0, acks.unacknowledged());
        deliver(1);
        ready(1, 0);
        assertEquals(List.of("ack 1"), frames);
    }

    @Test
    void aTagReadyTwiceOrNeverDeliveredIsNotAcked() throws Exception {
        deliver(1, 2);
        ready(1, 0);
        ready(1, 0);
        ready(7, 0);
        assertTrue(frames.isEmpty(), "2 still runs; the repeats and the unknown tag are ignored: " + frames);
        ready(2, 0);
        assertEquals(List.of("ack 2 multiple"), frames);
    }

    @Test
    void randomInterleavingsKeepEveryRule() throws Exception {
        java.util.Random random = new java.util.Random(15);
        for (int round = 0; round < 200; round++) {
            brokerUnacked.clear();
            recorded.clear();
            frames.clear();
            nacked.clear();
            acks.reset();
            List<Long> running = new ArrayList<>();
            long next = 1;
            long now = 0;
            for (int step = 0; step < 300; step++) {
                now += random.nextInt((int) DELAY);
                int op = random.nextInt(10);
                if (op < 4 && running.size() < 20) {
                    deliver(next);
                    running.add(next++);
                } else if (op < 8 && !running.isEmpty()) {
                    ready(running.remove(random.nextInt(running.size())), now);
                } else if (op == 8 && !running.isEmpty()) {
                    acks.nack(running.remove(random.nextInt(running.size())), true);
                } else {
                    acks.flushDue(now);
                }
            }
            for (long t : running) {
                ready(t, now);
            }
            acks.flushDue(now + DELAY);
            assertTrue(brokerUnacked.isEmpty(), "every recorded delivery is acked in the end: " + brokerUnacked);
            assertEquals(0, acks.unacknowledged());
        }
    }
}
