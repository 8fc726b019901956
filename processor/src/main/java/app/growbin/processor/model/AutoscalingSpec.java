package app.growbin.processor.model;

/** A CPU-utilization HorizontalPodAutoscaler. */
public record AutoscalingSpec(int minReplicas, int maxReplicas, int targetCpuUtilization) {}
