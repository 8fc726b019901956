package app.growbin.runtime.celery;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the runtime declares every durable queue it uses (the work queues, the dead-letter queue, the
 * retry and eta delay queues), from {@code CELERY_QUEUE_TYPE}. {@link #CLASSIC} is what Celery 5.2
 * declares (no arguments), and lives on one broker node. {@link #QUORUM} ({@code x-queue-type:
 * quorum}) is replicated over the cluster and survives the loss of a minority of nodes; Python peers
 * must then declare the same queues with {@code queue_arguments={'x-queue-type': 'quorum'}} (see
 * docs/runtime.md), since RabbitMQ refuses a declaration whose arguments differ.
 */
public enum QueueType {
    CLASSIC,
    QUORUM;

    public static QueueType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CELERY_QUEUE_TYPE must be classic or quorum, got '" + value + "'", e);
        }
    }

    /** The arguments of a work or dead-letter queue: none for classic (as Celery), the queue type for quorum. */
    public Map<String, Object> queueArguments() {
        if (this == CLASSIC) {
            return null;
        }
        Map<String, Object> args = new HashMap<>();
        args.put("x-queue-type", "quorum");
        return args;
    }

    /**
     * A delay queue: messages wait {@code ttlMs}, then are dead-lettered back to {@code target} through
     * the default exchange. Quorum delay queues dead-letter at-least-once (which needs
     * {@code x-overflow: reject-publish}), so a message is not lost if the target is briefly away.
     */
    public Map<String, Object> delayQueueArguments(long ttlMs, String target) {
        Map<String, Object> args = new HashMap<>();
        args.put("x-message-ttl", ttlMs);
        args.put("x-dead-letter-exchange", "");
        args.put("x-dead-letter-routing-key", target);
        if (this == QUORUM) {
            args.put("x-queue-type", "quorum");
            args.put("x-dead-letter-strategy", "at-least-once");
            args.put("x-overflow", "reject-publish");
        }
        return args;
    }
}
