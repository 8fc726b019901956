package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every caller gets its own operation's outcome, from its own round or another's, and nobody waits forever. */
class GroupCommitTest {

    private static final class Op extends GroupCommit.Op {
        final int n;
        boolean ranInRound;

        Op(int n) {
            this.n = n;
        }
    }

    @Test
    void manyCallersEachGetTheirOwnOutcomeAndShareRounds() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        AtomicInteger inRound = new AtomicInteger();
        GroupCommit<Op> commit = new GroupCommit<>(batch -> {
            assertEquals(1, inRound.incrementAndGet(), "one round at a time");
            rounds.incrementAndGet();
            try {
                if (batch.stream().anyMatch(o -> o.n % 997 == 0)) {
                    throw new IllegalStateException("the connection failed");
                }
                for (Op o : batch) {
                    o.ranInRound = true;
                    if (o.n % 7 == 0) {
                        o.fail(new IllegalArgumentException("op " + o.n));
                    } else {
                        o.done();
                    }
                }
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inRound.decrementAndGet();
            }
        });
        ExecutorService threads = Executors.newFixedThreadPool(32);
        int total = 32 * 300;
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (int i = 1; i <= total; i++) {
                Op op = new Op(i);
                outcomes.add(threads.submit(() -> {
                    try {
                        commit.submit(op);
                        return "done";
                    } catch (IllegalArgumentException own) {
                        return own.getMessage();
                    } catch (IllegalStateException roundFailed) {
                        return "round failed";
                    }
                }));
            }
            for (int i = 1; i <= total; i++) {
                String outcome = outcomes.get(i - 1).get(60, TimeUnit.SECONDS);
                if (outcome.equals("round failed")) {
                    continue; // its batch held a multiple of 997
                }
                assertEquals(i % 7 == 0 ? "op " + i : "done", outcome, "op " + i);
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(rounds.get() < total, rounds.get() + " rounds for " + total + " operations: none shared");
    }

    @Test
    void aWaitingCallerThatIsInterruptedStillGetsItsOutcomeAndKeepsTheInterrupt() throws Exception {
        CountDownLatch inFirstRound = new CountDownLatch(1);
        CountDownLatch finishFirstRound = new CountDownLatch(1);
        GroupCommit<Op> commit = new GroupCommit<>(batch -> {
            if (batch.get(0).n == 1) {
                inFirstRound.countDown();
                try {
                    finishFirstRound.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            batch.forEach(o -> o.fail(new IllegalArgumentException("op " + o.n)));
        });
        Thread first = new Thread(() -> assertThrows(IllegalArgumentException.class, () -> commit.submit(new Op(1))));
        first.start();
        assertTrue(inFirstRound.await(30, TimeUnit.SECONDS));
        AtomicBoolean keptInterrupt = new AtomicBoolean();
        List<String> outcome = new ArrayList<>();
        Thread second = new Thread(() -> {
            try {
                commit.submit(new Op(2));
            } catch (IllegalArgumentException e) {
                outcome.add(e.getMessage());
            }
            keptInterrupt.set(Thread.currentThread().isInterrupted());
        });
        second.start();
        while (second.getState() != Thread.State.WAITING) {
            Thread.sleep(5);
        }
        second.interrupt();
        Thread.sleep(50); // the interrupted caller keeps waiting (it does not spin or return early)
        assertTrue(second.isAlive());
        finishFirstRound.countDown();
        first.join(30_000);
        second.join(30_000);
        assertEquals(List.of("op 2"), outcome);
        assertTrue(keptInterrupt.get());
    }

    @Test
    void anErrorInARoundDoesNotLeaveTheNextCallersWithoutALeader() {
        AtomicInteger calls = new AtomicInteger();
        GroupCommit<Op> commit = new GroupCommit<>(batch -> {
            if (calls.incrementAndGet() == 1) {
                throw new StackOverflowError("simulated");
            }
            batch.forEach(GroupCommit.Op::done);
        });
        assertThrows(StackOverflowError.class, () -> commit.submit(new Op(1)));
        Op next = new Op(2);
        commit.submit(next);
        assertSame(null, next.error);
    }
}
