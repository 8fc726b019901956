package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Scales the pods with a HorizontalPodAutoscaler ({@code autoscaling/v2}) on CPU utilization. The
 * HPA then owns the replica count: the Deployment carries no {@code spec.replicas}. Overridable as
 * {@code api.<rest|async>.<name>.autoscaling.{enabled,minReplicas,maxReplicas,targetCpuUtilization}}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Autoscaling {

    /** Fewest pods, at least 1. Default 1. Becomes the HPA's {@code spec.minReplicas}. */
    int minReplicas() default 1;

    /** Most pods, at least {@link #minReplicas()}. Required. Becomes the HPA's {@code spec.maxReplicas}. */
    int maxReplicas();

    /**
     * Average CPU utilization to hold, in percent of the CPU request, at least 1. Default 70. Becomes
     * the HPA's {@code averageUtilization} of the {@code cpu} resource metric.
     */
    int targetCpuUtilization() default 70;
}
