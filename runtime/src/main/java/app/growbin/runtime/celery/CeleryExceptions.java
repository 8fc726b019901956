package app.growbin.runtime.celery;

import app.growbin.runtime.TaskArguments;
import app.growbin.runtime.TaskDispatcher;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The exceptions a Celery worker stores, under the module and class names Celery 5.2 itself stores,
 * so that a Python caller's {@code except celery.exceptions.TimeLimitExceeded} (or
 * {@code TypeError}, {@code TaskRevokedError}, ...) catches them: Celery rebuilds an exception from
 * {@code exc_module} and {@code exc_type} when the module is loaded, and {@code billiard.exceptions},
 * {@code celery.exceptions} and {@code kombu.exceptions} always are in a Celery client.
 *
 * <table>
 * <caption>Java → stored</caption>
 * <tr><td>{@link TimeLimitExceeded}</td><td>{@code billiard.exceptions.TimeLimitExceeded(limit)}, what Celery's
 * hard limit stores (re-exported as {@code celery.exceptions.TimeLimitExceeded}, the same class)</td></tr>
 * <tr><td>{@link SoftTimeLimitExceeded}</td><td>{@code billiard.exceptions.SoftTimeLimitExceeded()}</td></tr>
 * <tr><td>{@link TaskRevokedError}</td><td>{@code celery.exceptions.TaskRevokedError(reason)}: revoked, expired, terminated</td></tr>
 * <tr><td>{@link ChordError}</td><td>{@code celery.exceptions.ChordError}</td></tr>
 * <tr><td>{@link WorkerLostError}</td><td>{@code billiard.exceptions.WorkerLostError}</td></tr>
 * <tr><td>{@link TaskDispatcher.NotRegistered}</td><td>{@code celery.exceptions.NotRegistered(name)}</td></tr>
 * <tr><td>{@link TaskArguments.TaskArgumentException}</td><td>{@code builtins.TypeError}</td></tr>
 * <tr><td>{@link MalformedMessageException}</td><td>{@code kombu.exceptions.DecodeError}</td></tr>
 * <tr><td>{@link ContentDisallowed}</td><td>{@code kombu.exceptions.ContentDisallowed}</td></tr>
 * <tr><td>{@link MessageTooLargeException}</td><td>{@code kombu.exceptions.EncodeError}</td></tr>
 * <tr><td>any other</td><td>simple class name, Java package as the module (Python creates a class of that name)</td></tr>
 * </table>
 */
public final class CeleryExceptions {

    private CeleryExceptions() {}

    /** How an exception is stored: {@code {"exc_type", "exc_message", "exc_module"}}. */
    public record Stored(String module, String type, ArrayNode args) {
        public ObjectNode toJson() {
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            e.put("exc_type", type);
            e.set("exc_message", args);
            e.put("exc_module", module);
            return e;
        }
    }

    public static Stored stored(Throwable error) {
        if (error instanceof CeleryError c) {
            return new Stored(c.pythonModule(), c.pythonType(), c.pythonArgs());
        }
        if (error instanceof TaskArguments.TaskArgumentException) {
            return new Stored("builtins", "TypeError", message(error));
        }
        if (error instanceof TaskDispatcher.NotRegistered n) {
            return new Stored("celery.exceptions", "NotRegistered", JsonNodeFactory.instance.arrayNode().add(n.task()));
        }
        if (error instanceof MalformedMessageException) {
            return new Stored("kombu.exceptions", "DecodeError", message(error));
        }
        if (error instanceof MessageTooLargeException) {
            return new Stored("kombu.exceptions", "EncodeError", message(error));
        }
        return new Stored(error.getClass().getPackageName(), error.getClass().getSimpleName(), message(error));
    }

    private static ArrayNode message(Throwable error) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        if (error.getMessage() != null) {
            a.add(error.getMessage());
        }
        return a;
    }

    /** An exception Celery defines, with the module, class and arguments Python sees. */
    public abstract static class CeleryError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        protected CeleryError(String message) {
            super(message);
        }

        public abstract String pythonModule();

        public String pythonType() {
            return getClass().getSimpleName();
        }

        public ArrayNode pythonArgs() {
            return message(this);
        }
    }

    /** The hard time limit passed: the task was abandoned and stored as FAILURE. */
    public static final class TimeLimitExceeded extends CeleryError {
        private static final long serialVersionUID = 1L;
        private final double limitSeconds;

        public TimeLimitExceeded(double limitSeconds) {
            super("TimeLimitExceeded(" + limitSeconds + ")");
            this.limitSeconds = limitSeconds;
        }

        @Override public String pythonModule() { return "billiard.exceptions"; }

        @Override public ArrayNode pythonArgs() {
            return JsonNodeFactory.instance.arrayNode().add(limitSeconds);
        }
    }

    /**
     * The soft time limit passed. The worker interrupts the task's thread when it does; the task sees
     * an {@link InterruptedException} from a blocking call, or this exception from
     * {@link #checkpoint()}. A task that catches it and returns normally succeeds, as in Celery; one
     * that lets it (or the interrupt) escape is stored as {@code SoftTimeLimitExceeded}.
     */
    public static final class SoftTimeLimitExceeded extends CeleryError {
        private static final long serialVersionUID = 1L;
        private static final ThreadLocal<java.util.concurrent.atomic.AtomicBoolean> CURRENT = new ThreadLocal<>();

        public SoftTimeLimitExceeded() {
            super("SoftTimeLimitExceeded()");
        }

        @Override public String pythonModule() { return "billiard.exceptions"; }

        @Override public ArrayNode pythonArgs() {
            return JsonNodeFactory.instance.arrayNode();
        }

        /** For CPU-bound task code: throws when the running task's soft time limit has passed. */
        public static void checkpoint() {
            java.util.concurrent.atomic.AtomicBoolean flag = CURRENT.get();
            if (flag != null && flag.get()) {
                throw new SoftTimeLimitExceeded();
            }
        }

        /** Whether the running task's soft time limit has passed. */
        public static boolean exceeded() {
            java.util.concurrent.atomic.AtomicBoolean flag = CURRENT.get();
            return flag != null && flag.get();
        }

        static void bind(java.util.concurrent.atomic.AtomicBoolean flag) {
            if (flag == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(flag);
            }
        }
    }

    /** The task was revoked, expired or terminated (Celery's reasons: {@code revoked}, {@code expired}, {@code terminated}). */
    public static final class TaskRevokedError extends CeleryError {
        private static final long serialVersionUID = 1L;

        public TaskRevokedError(String reason) {
            super(reason);
        }

        @Override public String pythonModule() { return "celery.exceptions"; }
    }

    /** A chord's header task failed, or its body could not be sent. */
    public static final class ChordError extends CeleryError {
        private static final long serialVersionUID = 1L;

        public ChordError(String message) {
            super(message);
        }

        @Override public String pythonModule() { return "celery.exceptions"; }
    }

    /** The message was delivered more often than the bound allows: its workers keep dying on it. */
    public static final class WorkerLostError extends CeleryError {
        private static final long serialVersionUID = 1L;

        public WorkerLostError(String message) {
            super(message);
        }

        @Override public String pythonModule() { return "billiard.exceptions"; }
    }

    /** A content type or compression this worker does not accept (kombu's ContentDisallowed). */
    public static final class ContentDisallowed extends CeleryError {
        private static final long serialVersionUID = 1L;

        public ContentDisallowed(String message) {
            super(message);
        }

        @Override public String pythonModule() { return "kombu.exceptions"; }
    }
}
