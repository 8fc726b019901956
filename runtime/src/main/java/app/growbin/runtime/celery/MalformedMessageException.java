package app.growbin.runtime.celery;

/**
 * A message, signature or stored value that is not what Celery's protocol v2 says: retrying cannot
 * fix it, so a worker dead-letters the message at once (stored as {@code kombu.exceptions.DecodeError}).
 */
public class MalformedMessageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
