package app.growbin.processor.read;

import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The operational settings of one declared workload in one environment: each value from the highest
 * layer that sets it (values-&lt;env&gt;.yaml, values.yaml, the annotation, the settings table's
 * default), with the place it came from. Values of the wrong type are skipped here (the validator
 * reports them) and the lower layer wins.
 */
public final class WorkloadSettings {

    private static final String SLO_MEMBER = "@Slo.";

    private final DeclaredWorkload workload;
    private final ValuesLayers layers;

    public WorkloadSettings(DeclaredWorkload workload, ValuesLayers layers) {
        this.workload = workload;
        this.layers = layers;
    }

    public DeclaredWorkload workload() {
        return workload;
    }

    /** The value of {@code setting} in the values files, if one sets it. */
    public <T> Optional<Located<T>> fromValues(Setting<T> setting) {
        return layers.get(setting, workload.kind(), workload.name().value());
    }

    public Located<Boolean> enabled() {
        return fromValues(Settings.ENABLED).orElse(workload.enabled());
    }

    public Located<Integer> replicas() {
        return fromValues(Settings.REPLICAS).orElse(workload.replicas());
    }

    public Optional<Located<Integer>> concurrency() {
        return workload.concurrency().map(declared -> fromValues(Settings.CONCURRENCY).orElse(declared));
    }

    public Located<String> cpuRequest() {
        return fromValues(Settings.CPU_REQUEST).orElse(workload.resources().cpu());
    }

    public Located<String> memoryRequest() {
        return fromValues(Settings.MEMORY_REQUEST).orElse(workload.resources().memory());
    }

    public Located<String> cpuLimit() {
        return fromValues(Settings.CPU_LIMIT).orElse(workload.resources().cpuLimit());
    }

    public Located<String> memoryLimit() {
        return fromValues(Settings.MEMORY_LIMIT).orElse(workload.resources().memoryLimit());
    }

    /** Node selector entries; a values map replaces the annotations' entries as a whole. */
    public List<DeclaredWorkload.DeclaredPair> nodeSelector() {
        return fromValues(Settings.NODE_SELECTOR)
                .map(WorkloadSettings::pairs)
                .orElse(workload.nodeSelector());
    }

    /** The values' environment variables ({@code env}); they add to or replace the annotations' {@code @Env}. */
    public List<DeclaredWorkload.DeclaredPair> valuesEnv() {
        return fromValues(Settings.ENV).map(WorkloadSettings::pairs).orElse(List.of());
    }

    /** Literal environment variables: the annotations', then the values' (a values entry replaces one of the same name). */
    public List<DeclaredWorkload.DeclaredPair> env() {
        Map<String, DeclaredWorkload.DeclaredPair> byName = new LinkedHashMap<>();
        List<DeclaredWorkload.DeclaredPair> result = new ArrayList<>(workload.env());
        for (DeclaredWorkload.DeclaredPair pair : valuesEnv()) {
            byName.put(pair.key().value(), pair);
        }
        result.removeIf(pair -> byName.containsKey(pair.key().value()));
        result.addAll(byName.values());
        return result;
    }

    /** A REST service's objective ({@code slo.*}): the values', or {@code @Slo}'s member that the row names. */
    public Located<Double> slo(Setting<Double> setting) {
        String member = setting.annotationMember().filter(m -> m.startsWith(SLO_MEMBER))
                .orElseThrow(() -> new IllegalArgumentException(setting.key() + " is no @Slo member")).substring(SLO_MEMBER.length());
        return fromValues(setting).orElse(workload.slo().member(member));
    }

    public Optional<Located<Integer>> queueDepthThreshold() {
        return fromValues(Settings.WORKER_QUEUE_DEPTH_THRESHOLD);
    }

    /** The autoscaler, when the annotation or the values ask for one and the values do not turn it off. */
    public Optional<AutoscalingSettings> autoscaling() {
        Optional<Located<Boolean>> enabled = fromValues(Settings.AUTOSCALING_ENABLED);
        Optional<DeclaredWorkload.DeclaredAutoscaling> declared = workload.autoscaling();
        boolean wanted = enabled.map(Located::value).orElse(declared.isPresent());
        if (!wanted) {
            return Optional.empty();
        }
        Site enabledAt = enabled.map(Located::site).orElse(workload.site());
        DeclaredWorkload.AutoscalingDefaults defaults = workload.autoscalingDefaults();
        Located<Integer> min = fromValues(Settings.MIN_REPLICAS)
                .or(() -> declared.map(DeclaredWorkload.DeclaredAutoscaling::minReplicas))
                .orElse(defaults.minReplicas());
        Optional<Located<Integer>> max = fromValues(Settings.MAX_REPLICAS)
                .or(() -> declared.map(DeclaredWorkload.DeclaredAutoscaling::maxReplicas));
        Optional<Located<Integer>> valuesTarget = fromValues(Settings.TARGET_CPU_UTILIZATION);
        Located<Integer> target = valuesTarget
                .or(() -> declared.map(DeclaredWorkload.DeclaredAutoscaling::targetCpuUtilization))
                .orElse(defaults.targetCpuUtilization());
        boolean targetExplicit = valuesTarget.isPresent() || declared.map(DeclaredWorkload.DeclaredAutoscaling::cpuTargetExplicit).orElse(false);
        Located<Integer> queueLength = fromValues(Settings.QUEUE_LENGTH)
                .or(() -> declared.map(DeclaredWorkload.DeclaredAutoscaling::queueLength))
                .orElse(defaults.queueLength());
        return Optional.of(new AutoscalingSettings(min, max, target, targetExplicit, queueLength, enabledAt));
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
        return workload.timeLimitSeconds().map(declared -> fromValues(Settings.TIME_LIMIT_SECONDS).orElse(declared));
    }

    public Optional<Located<Integer>> runAsUser() {
        return fromValues(Settings.RUN_AS_USER);
    }

    public Optional<Located<Integer>> runAsGroup() {
        return fromValues(Settings.RUN_AS_GROUP);
    }

    public Optional<Located<Boolean>> readOnlyRootFilesystem() {
        return fromValues(Settings.READ_ONLY_ROOT_FILESYSTEM);
    }

    public Optional<Located<String>> serviceAccountName() {
        return fromValues(Settings.SERVICE_ACCOUNT_NAME);
    }

    public Optional<Located<Boolean>> automountServiceAccountToken() {
        return fromValues(Settings.AUTOMOUNT_TOKEN);
    }

    private static List<DeclaredWorkload.DeclaredPair> pairs(Located<SortedMap<String, String>> map) {
        List<DeclaredWorkload.DeclaredPair> pairs = new ArrayList<>();
        new TreeMap<>(map.value()).forEach((key, value) -> pairs.add(
                new DeclaredWorkload.DeclaredPair(new Located<>(key, map.site()), new Located<>(value, map.site()))));
        return pairs;
    }
}
