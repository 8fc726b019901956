package app.growbin.processor.model;

import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.SettingValues;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * What REST services and workers share: one pattern for {@code api.rest.*} and {@code api.async.*}.
 * The code's contract is in the record components; the operational settings of one environment are
 * in {@link #settings()}, one value per row of {@link Settings}.
 */
public sealed interface Workload permits RestServiceModel, WorkerModel {

    WorkloadKind kind();

    /** The DNS-1123 name, such as {@code waste}. */
    String name();

    /** The fully qualified name of the annotated class. */
    String sourceClass();

    /** The annotations' {@code @Env} variables, in declaration order (the values' {@code env} may replace them). */
    List<EnvVar> declaredEnv();

    /** The annotations' {@code @SecretEnv} variables. */
    List<SecretEnvVar> secretEnv();

    /** The effective operational settings. */
    SettingValues settings();

    /** The container port that serves {@code /health}, {@code /ready} and {@code /metrics}. */
    int probePort();

    /** The name of {@link #probePort()}: {@code http} for REST, {@code metrics} for workers. */
    String probePortName();

    default <T> T get(Setting<T> setting) {
        return settings().get(setting);
    }

    default boolean enabled() {
        return get(Settings.ENABLED);
    }

    /** Pods when no autoscaler owns the count. */
    default int replicas() {
        return get(Settings.REPLICAS);
    }

    default ResourceSpec resources() {
        return new ResourceSpec(get(Settings.CPU_REQUEST), get(Settings.MEMORY_REQUEST), get(Settings.CPU_LIMIT), get(Settings.MEMORY_LIMIT));
    }

    default SortedMap<String, String> nodeSelector() {
        return get(Settings.NODE_SELECTOR);
    }

    default Optional<AutoscalingSpec> autoscaling() {
        if (!get(Settings.AUTOSCALING_ENABLED)) {
            return Optional.empty();
        }
        return Optional.of(new AutoscalingSpec(get(Settings.MIN_REPLICAS), get(Settings.MAX_REPLICAS),
                get(Settings.TARGET_CPU_UTILIZATION), get(Settings.QUEUE_LENGTH)));
    }

    /** Replicas the cluster keeps at least: the autoscaler's minimum when autoscaled. */
    default int minimumReplicas() {
        return autoscaling().map(AutoscalingSpec::minReplicas).orElse(replicas());
    }

    /**
     * The literal environment variables of the container: the annotations' {@code @Env} that no values
     * entry replaces, in their order, then the values' {@code env} sorted by name.
     */
    default List<EnvVar> env() {
        SortedMap<String, String> fromValues = get(Settings.ENV);
        List<EnvVar> env = new ArrayList<>();
        declaredEnv().stream().filter(v -> !fromValues.containsKey(v.name())).forEach(env::add);
        fromValues.forEach((name, value) -> env.add(new EnvVar(name, value)));
        return env;
    }
}
