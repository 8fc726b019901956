package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Scales the pods automatically, in one of two modes. The autoscaler then owns the replica count: the
 * Deployment carries no {@code spec.replicas}.
 *
 * <ul>
 *   <li>CPU (the default): a HorizontalPodAutoscaler ({@code autoscaling/v2}) holding
 *       {@link #targetCpuUtilization()}. For REST services and workers.</li>
 *   <li>Queue length (workers only, {@link #queueLength()} &gt; 0): a KEDA {@code ScaledObject} with a
 *       {@code rabbitmq} trigger on the worker's queue, authenticated through a
 *       {@code TriggerAuthentication} that reads the broker URL from its Secret.</li>
 * </ul>
 *
 * <p>Overridable as {@code api.<rest|async>.<name>.autoscaling.{enabled,minReplicas,maxReplicas,
 * targetCpuUtilization,queueLength}}.
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

    /**
     * Ready messages per pod to aim for on the worker's queue; 0 (the default) means CPU mode.
     * Above 0 the worker is scaled by KEDA on its RabbitMQ queue length instead of CPU: becomes the
     * trigger's {@code value} ({@code mode: QueueLength}). Workers only; cannot be combined with an
     * explicit {@link #targetCpuUtilization()}.
     */
    int queueLength() default 0;
}
