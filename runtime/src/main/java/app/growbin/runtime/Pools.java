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
    /** {@code Thread.ofVirtual().factory()} (JDK 21+), found at run time like the executor. */
    private static final MethodHandle VIRTUAL_THREAD_FACTORY = findVirtualThreadFactory();

    private Pools() {}

    private static MethodHandle findVirtualExecutor() {
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    private static MethodHandle findVirtualThreadFactory() {
        try {
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            MethodHandle newBuilder = MethodHandles.publicLookup().findStatic(Thread.class, "ofVirtual",
                    MethodType.methodType(ofVirtual));
            MethodHandle factory = MethodHandles.publicLookup().findVirtual(builder, "factory",
                    MethodType.methodType(ThreadFactory.class));
            return MethodHandles.filterReturnValue(newBuilder, factory.asType(MethodType.methodType(ThreadFactory.class, ofVirtual)));
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
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

    /**
     * The executor that runs a worker's tasks: at most {@code concurrency} at once, the deliveries prefetched beyond
     * that wait in its queue. GEVENT runs them on virtual threads where {@link #useVirtualThreads()}, else on
     * platform threads, as the other pools do.
     */
    public static ExecutorService forPool(Pool pool, int concurrency, String name) {
        int n = Math.max(1, concurrency);
        switch (pool) {
            case SOLO:
                return Executors.newSingleThreadExecutor(threads(name));
            case GEVENT:
                return Executors.newFixedThreadPool(n, useVirtualThreads() ? virtualThreads(name) : threads(name));
            case THREADS:
            case PROCESSES:
            default:
                return Executors.newFixedThreadPool(n, threads(name));
        }
    }

    /** {@link #prefetch(Pool, int, int)} with Celery's default multiplier, {@link #DEFAULT_PREFETCH_MULTIPLIER}. */
    public static int prefetch(Pool pool, int concurrency) {
        return prefetch(pool, concurrency, DEFAULT_PREFETCH_MULTIPLIER);
    }

    /**
     * Tasks a worker takes from the broker at once (AMQP prefetch). SOLO: 1. PROCESSES, THREADS and GEVENT:
     * {@code multiplier} (at least 1) x the concurrency, like Celery's worker_prefetch_multiplier, so that a thread
     * that finishes finds the next message already here instead of waiting for its result write, its ack and a
     * broker round trip; the executor ({@link #forPool}) still runs only {@code concurrency} at once.
     */
    public static int prefetch(Pool pool, int concurrency, int multiplier) {
        int n = Math.max(1, concurrency);
        return pool == Pool.SOLO ? 1 : (int) Math.min(MAX_PREFETCH, (long) n * Math.max(1, multiplier));
    }

    /** Celery's {@code worker_prefetch_multiplier} default. */
    public static final int DEFAULT_PREFETCH_MULTIPLIER = 4;
    /** AMQP's prefetch count is an unsigned short; 0 would mean no limit. */
    static final int MAX_PREFETCH = 65_535;

    /** Virtual threads named {@code name-<n>}; {@link #threads} where the JVM has none (before 21). */
    static ThreadFactory virtualThreads(String name) {
        if (VIRTUAL_THREAD_FACTORY != null) {
            try {
                ThreadFactory virtual = (ThreadFactory) VIRTUAL_THREAD_FACTORY.invoke();
                AtomicInteger n = new AtomicInteger();
                return r -> {
                    Thread t = virtual.newThread(r);
                    t.setName(name + "-" + n.incrementAndGet());
                    return t;
                };
            } catch (Throwable e) {
                // fall through to platform threads
            }
        }
        return threads(name);
    }

    public static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
