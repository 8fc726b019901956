package app.growbin.runtime.celery;

/**
 * The broker returned a mandatory message: no queue is bound for its routing key. The runtime
 * declares the queues it publishes to before it sends, so this means a name no declaration can make
 * (a worker dead-letters the message that produced it).
 */
public class UnroutableMessageException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public UnroutableMessageException(String message) {
        super(message);
    }
}
