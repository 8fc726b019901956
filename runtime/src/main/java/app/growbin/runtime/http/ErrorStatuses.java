package app.growbin.runtime.http;

import app.growbin.runtime.HttpException;
import app.growbin.runtime.celery.MessageTooLargeException;
import app.growbin.runtime.celery.UnroutableMessageException;
import app.growbin.runtime.db.Database;
import java.sql.SQLTransientConnectionException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which status an exception thrown by a handler is answered with. {@link HttpException} carries its
 * own; a service's {@code Routes.mapError} mappings come next; then the runtime's: a dependency that
 * cannot be reached (a database connection that could not be had, Redis down) is a 503 the client
 * may retry; a task too large for the broker is a 413 (the request's content is too large to pass
 * on), and a task the broker could route to no queue a 503. Anything else is a 500 whose details
 * stay in the log.
 */
public final class ErrorStatuses {

    /** The runtime's mappings, by class name so that a missing optional library costs nothing. */
    static final Map<String, Integer> RUNTIME = Map.of(
            SQLTransientConnectionException.class.getName(), 503,
            "redis.clients.jedis.exceptions.JedisConnectionException", 503,
            MessageTooLargeException.class.getName(), 413,
            UnroutableMessageException.class.getName(), 503);

    private final Map<Class<? extends Throwable>, Integer> service;

    public ErrorStatuses(Map<Class<? extends Throwable>, Integer> service) {
        this.service = new LinkedHashMap<>(service);
    }

    /** The status for an exception or one of its causes; 500 when none is mapped. */
    public int statusOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException) {
                return ((HttpException) t).status();
            }
            for (Map.Entry<Class<? extends Throwable>, Integer> e : service.entrySet()) {
                if (e.getKey().isInstance(t)) {
                    return e.getValue();
                }
            }
            if (t instanceof java.sql.SQLException && Database.isConnectionProblem((java.sql.SQLException) t)) {
                return 503;
            }
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                Integer s = RUNTIME.get(c.getName());
                if (s != null) {
                    return s;
                }
            }
        }
        return 500;
    }

    /** The HttpException in the chain, if any (its message and headers go to the client). */
    public static HttpException httpException(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException) {
                return (HttpException) t;
            }
        }
        return null;
    }
}
