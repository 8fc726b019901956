package app.growbin.processor.model;

/**
 * An autoscaler: a CPU HorizontalPodAutoscaler, or for workers with {@code queueLength > 0} a KEDA
 * ScaledObject on the RabbitMQ queue length.
 *
 * @param queueLength ready messages per pod to aim for; 0 for CPU mode
 */
public record AutoscalingSpec(int minReplicas, int maxReplicas, int targetCpuUtilization, int queueLength) {

    public boolean onQueueLength() {
        return queueLength > 0;
    }
}
