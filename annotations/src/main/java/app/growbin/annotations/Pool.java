package app.growbin.annotations;

/**
 * How a worker runs its tasks concurrently; mirrors Celery's {@code --pool} choices. Becomes the
 * {@code WORKER_POOL} environment variable of the worker's container.
 */
public enum Pool {
    /** Celery's prefork: a bounded pool of platform threads, one per unit of concurrency. For CPU-bound tasks. */
    PROCESSES,
    /** Celery's threads pool: a bounded pool of platform threads. For mixed work and blocking libraries. */
    THREADS,
    /** Celery's gevent: virtual threads (platform threads before Java 21). For I/O-bound tasks at high concurrency. */
    GEVENT,
    /** Celery's solo: one task at a time on the consumer thread. Concurrency must be 1. */
    SOLO
}
