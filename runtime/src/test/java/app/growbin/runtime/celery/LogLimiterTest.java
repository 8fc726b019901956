package app.growbin.runtime.celery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Repeated log lines about one message are let through once per interval; other messages are not held back. */
class LogLimiterTest {

    @Test
    void oneLinePerKeyAndInterval() {
        LogLimiter limiter = new LogLimiter(60_000, 100);
        assertTrue(limiter.allow("transient:a"));
        int more = 0;
        for (int i = 0; i < 10_000; i++) {
            more += limiter.allow("transient:a") ? 1 : 0;
        }
        assertEquals(0, more, "10,000 repeats of one message's line within the interval");
        assertTrue(limiter.allow("transient:b"));
        assertTrue(limiter.allow("failed:a"));
    }

    @Test
    void linesComeBackAfterTheInterval() throws InterruptedException {
        LogLimiter limiter = new LogLimiter(1, 100);
        assertTrue(limiter.allow("k"));
        Thread.sleep(5);
        assertTrue(limiter.allow("k"));
    }

    @Test
    void memoryIsBounded() {
        LogLimiter limiter = new LogLimiter(60_000, 10);
        for (int i = 0; i < 1_000; i++) {
            assertTrue(limiter.allow("k" + i));
            assertTrue(limiter.size() <= 10);
        }
    }
}
