package app.growbin.runtime.celery;

/**
 * A message the broker would refuse: its AMQP headers do not fit in one frame (the connection's
 * {@code frame_max}, 128 KiB by default on RabbitMQ), or its body is above
 * {@code CELERY_MAX_MESSAGE_BYTES} (RabbitMQ's {@code max_message_size}, 128 MiB by default). Thrown
 * before anything is sent, so the connection and its confirm tracking stay as they were. A REST layer
 * answers it with 413; a worker dead-letters the message that produced it.
 */
public class MessageTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long size;
    private final long limit;

    public MessageTooLargeException(String what, long size, long limit) {
        super(what + " is " + size + " bytes, above the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
