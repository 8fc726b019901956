package app.growbin.processor.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The operational settings of one declared workload in one environment: each value from the highest
 * layer that sets it (values-&lt;env&gt;.yaml, values.yaml, the annotation), with the place it came from.
 * Values of the wrong type are skipped here (the validator reports them) and the lower layer wins.
 */
public final class WorkloadSettings {

    private final DeclaredWorkload workload;
    private final ValuesLayers layers;
    private final String prefix;

    public WorkloadSettings(DeclaredWorkload workload, ValuesLayers layers) {
        this.workload = workload;
        this.layers = layers;
        this.prefix = workload.valuesKey() + ".";
    }

    public DeclaredWorkload workload() {
        return workload;
    }

    public Located<Boolean> enabled() {
        return layers.bool(prefix + "enabled").orElse(workload.enabled());
    }

    public Located<Integer> replicas() {
        return layers.integer(prefix + "replicas").orElse(workload.replicas());
    }

    public Optional<Located<Integer>> concurrency() {
        return workload.concurrency().map(declared -> layers.integer(prefix + "concurrency").orElse(declared));
    }

    public Located<String> cpuRequest() {
        return layers.scalar(prefix + "resources.requests.cpu").orElse(workload.resources().cpu());
    }

    public Located<String> memoryRequest() {
        return layers.scalar(prefix + "resources.requests.memory").orElse(workload.resources().memory());
    }

    public Located<String> cpuLimit() {
        return layers.scalar(prefix + "resources.limits.cpu").orElse(workload.resources().cpuLimit());
    }

    public Located<String> memoryLimit() {
        return layers.scalar(prefix + "resources.limits.memory").orElse(workload.resources().memoryLimit());
    }

    /** Node selector entries; a values map replaces the annotations' entries as a whole. */
    public List<DeclaredWorkload.DeclaredPair> nodeSelector() {
        return layers.map(prefix + "nodeSelector")
                .map(WorkloadSettings::pairs)
                .orElse(workload.nodeSelector());
    }

    /** Literal environment variables: the annotations', then the values' (a values entry replaces one of the same name). */
    public List<DeclaredWorkload.DeclaredPair> env() {
        Map<String, DeclaredWorkload.DeclaredPair> byName = new LinkedHashMap<>();
        List<DeclaredWorkload.DeclaredPair> result = new ArrayList<>(workload.env());
        layers.map(prefix + "env").ifPresent(values -> {
            for (DeclaredWorkload.DeclaredPair pair : pairs(values)) {
                byName.put(pair.key().value(), pair);
            }
        });
        result.removeIf(pair -> byName.containsKey(pair.key().value()));
        result.addAll(byName.values());
        return result;
    }

    public Optional<Located<Integer>> queueDepthThreshold() {
        return layers.integer(prefix + "queueDepthThreshold");
    }

    /** The autoscaler, when the annotation or the values ask for one and the values do not turn it off. */
    public Optional<AutoscalingSettings> autoscaling() {
        Optional<Located<Boolean>> enabled = layers.bool(prefix + "autoscaling.enabled");
        Optional<DeclaredWorkload.DeclaredAutoscaling> declared = workload.autoscaling();
        boolean wanted = enabled.map(Located::value).orElse(declared.isPresent());
        if (!wanted) {
            return Optional.empty();
        }
        Site fallback = enabled.map(Located::site).orElse(Site.InSource.of(workload.type()));
        Located<Integer> min = layers.integer(prefix + "autoscaling.minReplicas")
                .or(() -> declared.map(DeclaredWorkload.DeclaredAutoscaling::minReplicas))
                .orElse(new Located<>(1, fallback));
        Optional<Located<Integer>> max = layers.integer(prefix + "autoscaling.maxReplicas")
                .or(() -> declared.map(DeclaredWorkload.DeclaredAutoscaling::maxReplicas));
        Optional<Located<Integer>> valuesTarget = layers.integer(prefix + "autoscaling.targetCpuUtilization");
        Located<Integer> target = valuesTarget
                .or(() -> declared.map(DeclaredWorkload.DeclaredAutoscaling::targetCpuUtilization))
                .orElse(new Located<>(70, fallback));
        boolean targetExplicit = valuesTarget.isPresent() || declared.map(DeclaredWorkload.DeclaredAutoscaling::cpuTargetExplicit).orElse(false);
        Located<Integer> queueLength = layers.integer(prefix + "autoscaling.queueLength")
                .or(() -> declared.map(DeclaredWorkload.DeclaredAutoscaling::queueLength))
                .orElse(new Located<>(0, fallback));
        return Optional.of(new AutoscalingSettings(min, max, target, targetExplicit, queueLength, fallback));
    }

    /**
     * Effective autoscaler settings; {@code maxReplicas} is empty when values turn autoscaling on
     * for a class without {@code @Autoscaling} and do not say the maximum.
     *
     * @param cpuTargetExplicit whether the CPU target was written out (annotation member or values key)
     * @param queueLength ready messages per pod for KEDA; 0 for CPU mode
     */
    public record AutoscalingSettings(Located<Integer> minReplicas, Optional<Located<Integer>> maxReplicas,
                                      Located<Integer> targetCpuUtilization, boolean cpuTargetExplicit,
                                      Located<Integer> queueLength, Site enabledAt) {}

    /** Workers only: the task time limit in seconds. */
    public Optional<Located<Integer>> timeLimitSeconds() {
        return workload.timeLimitSeconds().map(declared -> layers.integer(prefix + "timeLimitSeconds").orElse(declared));
    }

    public Optional<Located<Integer>> runAsUser() {
        return layers.integer(prefix + "securityContext.runAsUser");
    }

    public Optional<Located<Integer>> runAsGroup() {
        return layers.integer(prefix + "securityContext.runAsGroup");
    }

    public Optional<Located<Boolean>> readOnlyRootFilesystem() {
        return layers.bool(prefix + "securityContext.readOnlyRootFilesystem");
    }

    public Optional<Located<String>> serviceAccountName() {
        return layers.scalar(prefix + "serviceAccount.name");
    }

    public Optional<Located<Boolean>> automountServiceAccountToken() {
        return layers.bool(prefix + "serviceAccount.automountToken");
    }

    private static List<DeclaredWorkload.DeclaredPair> pairs(Located<SortedMap<String, String>> map) {
        List<DeclaredWorkload.DeclaredPair> pairs = new ArrayList<>();
        new TreeMap<>(map.value()).forEach((key, value) -> pairs.add(
                new DeclaredWorkload.DeclaredPair(new Located<>(key, map.site()), new Located<>(value, map.site()))));
        return pairs;
    }
}
