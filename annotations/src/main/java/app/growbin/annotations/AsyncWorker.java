package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a Celery-style worker that consumes one RabbitMQ queue and runs the class's {@link Task}
 * methods. The class must be a concrete class; the runtime launcher starts it with
 * {@code worker <name>}.
 *
 * <p>Generated per environment: a Deployment {@code <app>-api-async-<name>}, a PodMonitor endpoint,
 * a queue-depth alert for its queue, and an HPA when {@link Autoscaling} is present.
 *
 * <pre>{@code
 * @AsyncWorker(queue = "q.vision", pool = Pool.GEVENT, concurrency = 20, replicas = 5)
 * public final class VisionWorker { @Task("vision.classify") public Classification classify(String imageRef) { ... } }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface AsyncWorker {

    /**
     * The RabbitMQ queue the worker consumes, such as {@code q.vision}. Required, non-empty; letters,
     * digits and {@code . _ -}. Becomes the {@code QUEUE_NAME} environment variable and the queue
     * named in the queue-depth alert. Contract: values files cannot change it.
     */
    String queue();

    /**
     * The worker name, a DNS-1123 label. Default: the queue without its {@code q.} prefix
     * ({@code q.vision} gives {@code vision}). Becomes the {@code app.kubernetes.io/name} label, the
     * suffix of the object names ({@code <app>-api-async-<name>}) and the key {@code api.async.<name>}
     * in the values files. Contract.
     */
    String name() default "";

    /**
     * How tasks run concurrently. Default {@link Pool#PROCESSES} (Celery's prefork). Becomes the
     * {@code WORKER_POOL} environment variable. Contract.
     */
    Pool pool() default Pool.PROCESSES;

    /**
     * How many tasks one pod runs at once. Default 4, at least 1 ({@link Pool#SOLO} requires 1). The
     * RabbitMQ prefetch count is 4 × this for {@link Pool#PROCESSES}, {@link Pool#THREADS} and {@link Pool#GEVENT}
     * (as Celery's {@code worker_prefetch_multiplier}), 1 for {@link Pool#SOLO}. Becomes the {@code WORKER_CONCURRENCY} environment variable.
     * Overridable as {@code api.async.<name>.concurrency}.
     */
    int concurrency() default 4;

    /**
     * Number of pods. Default 1; 0 keeps the Deployment but scales it to nothing. Becomes
     * {@code spec.replicas}, or the HPA's {@code minReplicas} when {@link Autoscaling} is present.
     * Overridable as {@code api.async.<name>.replicas}.
     */
    int replicas() default 1;

    /**
     * The longest one task may run, in seconds. Default 300, at least 1. Becomes the
     * {@code TASK_TIME_LIMIT_SECONDS} environment variable (the runtime stops waiting for a task after
     * it and requeues or fails it) and sets the pod's {@code terminationGracePeriodSeconds} to this
     * plus 30 s, so a pod being stopped lets in-flight tasks finish. Overridable as
     * {@code api.async.<name>.timeLimitSeconds}.
     */
    int timeLimitSeconds() default 300;

    /**
     * Whether anything is generated for this worker. Default {@code true}. Overridable as
     * {@code api.async.<name>.enabled}.
     */
    boolean enabled() default true;
}
