package app.growbin.annotations;

import app.growbin.contract.Endpoints;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a synchronous REST API. The class must be a concrete class; the runtime launcher starts it
 * with {@code rest <name>}.
 *
 * <p>Generated per environment: a Deployment {@code <app>-api-rest-<name>}, a Service of the same
 * name, a path in the shared Ingress, a ServiceMonitor endpoint and error-rate and latency alerts.
 *
 * <pre>{@code
 * @RestService(path = "/api/v1/waste", replicas = 3)
 * public final class WasteApi implements RestApi { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface RestService {

    /**
     * The URL path prefix the service owns, such as {@code /api/v1/waste}. Must start with {@code /}
     * and contain only letters, digits and {@code - _ . /}. Required. Becomes the Ingress path
     * ({@code pathType: Prefix}) and the prefix of the service's routes. Contract: values files
     * cannot change it.
     */
    String path();

    /**
     * The service name, a DNS-1123 label. Default: the last segment of {@link #path()}
     * ({@code /api/v1/waste} gives {@code waste}). Becomes the {@code app.kubernetes.io/name} label,
     * the suffix of the object names ({@code <app>-api-rest-<name>}) and the key
     * {@code api.rest.<name>} in the values files. Contract.
     */
    String name() default "";

    /**
     * Number of pods. Default 1; 0 keeps the Deployment but scales it to nothing. Becomes
     * {@code spec.replicas} of the Deployment, or the HPA's {@code minReplicas} when
     * {@link Autoscaling} is present. Overridable as {@code api.rest.<name>.replicas}.
     */
    int replicas() default 1;

    /**
     * The TCP port the service listens on. Default 8080, range 1..65535. Becomes the container port
     * named {@code http}, the Service port, the probes' port and the {@code HTTP_PORT} environment
     * variable. Contract.
     */
    int port() default Endpoints.DEFAULT_HTTP_PORT;

    /**
     * Whether anything is generated for this service. Default {@code true}; {@code false} keeps the
     * code but emits no manifest. Overridable as {@code api.rest.<name>.enabled}.
     */
    boolean enabled() default true;
}
