package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every continuation gets its own operation's outcome once its round ran (rounds shared between callers); a failing one stops nothing. */
class BackgroundRoundsTest {

    private static final class Op extends GroupCommit.Op {
        final int n;

        Op(int n) {
            this.n = n;
        }
    }

    @Test
    void eachContinuationGetsItsOwnOutcomeAndRoundsAreShared() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        int total = 5_000;
        try (BackgroundRounds<Op> background = new BackgroundRounds<>(batch -> {
            rounds.incrementAndGet();
            if (batch.stream().anyMatch(o -> o.n == 4_999)) {
                throw new IllegalStateException("connection lost");
            }
            try {
                Thread.sleep(0, 100_000); // a round trip: the other callers queue meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (Op o : batch) {
                if (o.n % 7 == 0) {
                    o.fail(new IllegalArgumentException("op " + o.n));
                } else {
                    o.done();
                }
            }
        })) {
            Map<Integer, String> outcomes = new ConcurrentHashMap<>();
            CountDownLatch all = new CountDownLatch(total);
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(16);
            try {
                for (int i = 1; i <= total; i++) {
                    int n = i;
                    callers.execute(() -> background.submit(new Op(n), error -> {
                        outcomes.put(n, error == null ? "done" : error.getMessage());
                        all.countDown();
                        if (n == 3) {
                            throw new IllegalStateException("a continuation that fails");
                        }
                    }));
                }
                assertTrue(all.await(60, TimeUnit.SECONDS), "every continuation ran");
            } finally {
                callers.shutdownNow();
            }
            for (int i = 1; i <= total; i++) {
                String o = outcomes.get(i);
                if (!o.equals("connection lost")) {
                    assertEquals(i % 7 == 0 ? "op " + i : "done", o, "op " + i);
                }
            }
            assertEquals("connection lost", outcomes.get(4_999));
            assertTrue(rounds.get() < total, rounds.get() + " rounds for " + total + " operations");
        }
    }

    @Test
    void afterCloseNothingIsQueued() {
        BackgroundRounds<Op> background = new BackgroundRounds<>(batch -> batch.forEach(GroupCommit.Op::done));
        CountDownLatch done = new CountDownLatch(1);
        RuntimeException[] seen = {new IllegalStateException("not run")};
        background.submit(new Op(1), e -> {
            seen[0] = e;
            done.countDown();
        });
        assertTrue(assertDoesNotThrowAwait(done));
        assertNull(seen[0]);
        background.close();
        assertThrows(IllegalStateException.class, () -> background.submit(new Op(2), e -> { }));
    }

    private static boolean assertDoesNotThrowAwait(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
