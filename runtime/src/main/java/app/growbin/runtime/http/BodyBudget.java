package app.growbin.runtime.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all request bodies together may hold in memory. A body reserves its Content-Length (or
 * the cap when it is chunked) before it is read and gives it back when its request is answered; when
 * the budget is spent the request gets a 503 instead of the heap running out.
 */
final class BodyBudget {

    private final AtomicLong available;

    BodyBudget(long bytes) {
        this.available = new AtomicLong(bytes);
    }

    boolean reserve(long bytes) {
        while (true) {
            long now = available.get();
            if (now < bytes) {
                return false;
            }
            if (available.compareAndSet(now, now - bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        if (bytes > 0) {
            available.addAndGet(bytes);
        }
    }

    long available() {
        return available.get();
    }
}
