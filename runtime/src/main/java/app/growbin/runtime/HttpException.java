package app.growbin.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer: its status, a message that goes to the client as {@code {"error": ...}}, and
 * optional headers ({@code Retry-After}, {@code WWW-Authenticate}).
 */
public class HttpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final Map<String, String> headers;

    public HttpException(int status, String message) {
        this(status, message, Map.of());
    }

    public HttpException(int status, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The same error with one more header. */
    public HttpException withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpException(status, getMessage(), h);
    }

    public static HttpException badRequest(String message) {
        return new HttpException(400, message);
    }

    public static HttpException notFound(String message) {
        return new HttpException(404, message);
    }

    /** 401: no token, or one that does not verify. */
    public static HttpException unauthorized(String message) {
        return new HttpException(401, message, Map.of("WWW-Authenticate", "Bearer"));
    }

    /** 403: a valid token without the right to this resource. */
    public static HttpException forbidden(String message) {
        return new HttpException(403, message);
    }

    public static HttpException conflict(String message) {
        return new HttpException(409, message);
    }

    /** 429 with {@code Retry-After} in whole seconds (at least 1). */
    public static HttpException tooManyRequests(String message, long retryAfterSeconds) {
        return new HttpException(429, message, Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    /** 503: a dependency (the database, Redis) cannot be reached; the client may retry. */
    public static HttpException unavailable(String message) {
        return new HttpException(503, message, Map.of("Retry-After", "1"));
    }
}
