package app.growbin.runtime.celery;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one log line per key (a message id and what happened to it) through per interval, so a
 * message that fails again and again, or an outage that touches every message, cannot flood the log.
 * Holds at most {@code maxKeys} keys (it forgets them all when full).
 */
final class LogLimiter {

    private final long intervalNanos;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

    LogLimiter(long intervalMillis, int maxKeys) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.maxKeys = maxKeys;
    }

    /** Keys remembered now (at most {@code maxKeys}). */
    int size() {
        return last.size();
    }

    /** Whether a line for {@code key} may be written now. */
    boolean allow(String key) {
        long now = System.nanoTime();
        if (last.size() >= maxKeys) {
            last.clear();
        }
        boolean[] allowed = {false};
        last.compute(key, (k, previous) -> {
            if (previous == null || now - previous >= intervalNanos) {
                allowed[0] = true;
                return now;
            }
            return previous;
        });
        return allowed[0];
    }
}
