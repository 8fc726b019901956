package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a REST service accepts from its clients. Every member left at 0 keeps the runtime's default
 * (in brackets); each becomes an environment variable of the Deployment and is overridable as
 * {@code api.rest.<name>.http.<member>}. A service whose requests are small should say so: a login
 * form needs kilobytes, not the default megabyte.
 *
 * <pre>{@code
 * @RestService(path = "/api/v1/auth")
 * @HttpLimits(maxBodyBytes = 16 * 1024)
 * public final class AuthApi implements RestApi { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface HttpLimits {

    /** Largest request body, in bytes; a larger one is answered 413 [1 MiB]. {@code HTTP_MAX_BODY_BYTES}. */
    int maxBodyBytes() default 0;

    /** Longest request target (path and query), in bytes; 414 beyond [8192]. {@code HTTP_MAX_URL_BYTES}. */
    int maxUrlBytes() default 0;

    /** Largest request line plus headers, in bytes; 431 beyond [16384]. {@code HTTP_MAX_HEADER_BYTES}. */
    int maxHeaderBytes() default 0;

    /** A connection with no byte moving for this long is closed, in seconds [30]. {@code HTTP_IDLE_TIMEOUT_SECONDS}. */
    int idleTimeoutSeconds() default 0;

    /** The whole body must arrive within this time, in seconds; 408 otherwise [10]. {@code HTTP_BODY_TIMEOUT_SECONDS}. */
    int bodyTimeoutSeconds() default 0;

    /** Open connections at most [512]. {@code HTTP_MAX_CONNECTIONS}. */
    int maxConnections() default 0;

    /** Handler threads at most when not on virtual threads [64]. {@code HTTP_MAX_THREADS}. */
    int maxThreads() default 0;

    /**
     * Proxies in front of the pod that append to {@code X-Forwarded-For}, such as the ingress (1);
     * 0 [the default] uses the connection's peer address. Login throttling per client address needs
     * the right number behind a load balancer. {@code HTTP_TRUSTED_PROXY_HOPS}.
     */
    int trustedProxyHops() default 0;
}
