package app.growbin.runtime;

import app.growbin.annotations.Pool;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Executors for the Celery pool kinds. Virtual threads when the JVM has them (21+, found at run
 * time: the code is compiled for 17), platform threads otherwise.
 */
public final class Pools {

    private static final MethodHandle NEW_VIRTUAL_EXECUTOR = findVirtualExecutor();

    private Pools() {}

    private static MethodHandle findVirtualExecutor() {
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    public static boolean virtualThreadsAvailable() {
        return NEW_VIRTUAL_EXECUTOR != null;
    }

    /**
     * Whether to run on virtual threads: the JVM has them and at least two CPUs to carry them. With one
     * CPU (a pod limited to 1000m or less) there is a single carrier thread, and one virtual thread
     * pinned in a library's synchronized block (JedisPool's connection creation, measured in
     * docs/benchmarks.md) stalls every request; platform threads cannot stall that way.
     */
    public static boolean useVirtualThreads() {
        return NEW_VIRTUAL_EXECUTOR != null && Runtime.getRuntime().availableProcessors() >= 2;
    }

    /** One virtual thread per task (see {@link #useVirtualThreads()}), else a cached pool of daemon platform threads. */
    public static ExecutorService virtualOrCached(String name) {
        if (useVirtualThreads()) {
            try {
                return (ExecutorService) NEW_VIRTUAL_EXECUTOR.invoke();
            } catch (Throwable e) {
                // fall through to platform threads
            }
        }
        return Executors.newCachedThreadPool(threads(name));
    }

    /** The executor that runs a worker's tasks. Concurrency is bounded by the prefetch either way. */
    public static ExecutorService forPool(Pool pool, int concurrency, String name) {
        int n = Math.max(1, concurrency);
        switch (pool) {
            case SOLO:
                return Executors.newSingleThreadExecutor(threads(name));
            case GEVENT:
                return virtualOrCached(name);
            case THREADS:
            case PROCESSES:
            default:
                return Executors.newFixedThreadPool(n, threads(name));
        }
    }

    /**
     * Tasks a worker takes from the broker at once (AMQP prefetch). SOLO: 1. GEVENT: its concurrency
     * (its executor is unbounded, so the prefetch is what bounds it). PROCESSES and THREADS: 4 x the
     * concurrency, like Celery's worker_prefetch_multiplier, so that a thread that finishes finds the
     * next message already here instead of waiting a broker round trip for it; the fixed pool still
     * runs only {@code concurrency} at once.
     */
    public static int prefetch(Pool pool, int concurrency) {
        int n = Math.max(1, concurrency);
        switch (pool) {
            case SOLO:
                return 1;
            case GEVENT:
                return n;
            default:
                return n * PREFETCH_MULTIPLIER;
        }
    }

    static final int PREFETCH_MULTIPLIER = 4;

    public static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
