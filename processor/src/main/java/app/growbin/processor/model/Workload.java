package app.growbin.processor.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/** What REST services and workers share: one pattern for {@code api.rest.*} and {@code api.async.*}. */
public sealed interface Workload permits RestServiceModel, WorkerModel {

    WorkloadKind kind();

    /** The DNS-1123 name, such as {@code waste}. */
    String name();

    /** The fully qualified name of the annotated class. */
    String sourceClass();

    /** Pods when no autoscaler owns the count. */
    int replicas();

    ResourceSpec resources();

    SortedMap<String, String> nodeSelector();

    Optional<AutoscalingSpec> autoscaling();

    List<EnvVar> env();

    List<SecretEnvVar> secretEnv();

    PodSecurity security();

    /** The container port that serves {@code /health}, {@code /ready} and {@code /metrics}. */
    int probePort();

    /** The name of {@link #probePort()}: {@code http} for REST, {@code metrics} for workers. */
    String probePortName();

    /** Replicas the cluster keeps at least: the HPA minimum when autoscaled. */
    default int minimumReplicas() {
        return autoscaling().map(AutoscalingSpec::minReplicas).orElse(replicas());
    }

    static SortedMap<String, String> sorted(Map<String, String> map) {
        return java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(map));
    }
}
