package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * CPU and memory of each pod of a REST service or worker. Quantities use Kubernetes syntax: CPU in
 * cores or millicores ({@code 500m}, {@code 1}), memory in bytes with a suffix ({@code 256Mi},
 * {@code 1Gi}). A request may not exceed its limit. Overridable as
 * {@code api.<rest|async>.<name>.resources.{requests,limits}.{cpu,memory}}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Resources {

    /** CPU request. Default {@code 100m}. Becomes {@code resources.requests.cpu}. */
    String cpu() default "100m";

    /** Memory request. Default {@code 256Mi}. Becomes {@code resources.requests.memory}. */
    String memory() default "256Mi";

    /** CPU limit. Default {@code 1000m}. Becomes {@code resources.limits.cpu}. */
    String cpuLimit() default "1000m";

    /**
     * Memory limit. Default {@code 512Mi}. Becomes {@code resources.limits.memory}; the launcher's JVM
     * options follow it: up to 256Mi a heap of 35 % with C1 only, up to 512Mi 50 %, above 75 %.
     */
    String memoryLimit() default "512Mi";
}
