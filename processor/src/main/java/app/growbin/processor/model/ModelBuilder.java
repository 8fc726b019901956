package app.growbin.processor.model;

import app.growbin.processor.read.BuildOptions;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.read.ValuesFile;
import app.growbin.processor.read.ValuesFileReader;
import app.growbin.processor.read.ValuesLayers;
import app.growbin.processor.read.WorkloadSettings;
import app.growbin.processor.read.YamlNode;
import app.growbin.processor.settings.Default;
import app.growbin.processor.settings.Owner;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.SettingValues;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;
import app.growbin.processor.site.Located;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Applies the precedence table default → annotation → values.yaml → values-&lt;env&gt;.yaml → build
 * option to every row of {@link Settings} and builds the immutable model. Runs only on input the
 * validator accepted.
 */
public final class ModelBuilder {

    private static final String HTTP_LIMITS = "@HttpLimits.";

    public ApplicationModel build(Declarations declarations, ValuesFileReader.Result values, BuildOptions options) {
        List<EnvironmentModel> environments = new ArrayList<>();
        for (ValuesFile overlay : values.overlays()) {
            environments.add(environment(overlay.environment(), new ValuesLayers(overlay, values.base()), declarations, options));
        }
        environments.sort(Comparator.comparing(EnvironmentModel::name));
        ValuesFile noOverlay = new ValuesFile(Path.of("none"), ApplicationModel.DEFAULTS, YamlNode.Mapping.empty());
        EnvironmentModel defaults = environment(ApplicationModel.DEFAULTS, new ValuesLayers(noOverlay, values.base()), declarations, options);
        return new ApplicationModel(catalog(declarations), environments, defaults);
    }

    /** The catalog alone, from the annotations: all the generated Java sources need. */
    public Catalog catalog(Declarations declarations) {
        ValuesFile none = new ValuesFile(Path.of("none"), "none", YamlNode.Mapping.empty());
        Workloads workloads = workloads(declarations, new ValuesLayers(none, none));
        return new Catalog(commonPackage(declarations), workloads.rest(), workloads.workers(), calls(declarations));
    }

    /** The {@code @SendsTasks} declarations as calls between names; validated: every target is a worker. */
    private static List<TaskCall> calls(Declarations declarations) {
        Map<String, String> workerNames = new HashMap<>();
        for (DeclaredWorkload workload : declarations.workloads()) {
            if (workload.kind() == WorkloadKind.ASYNC) {
                workerNames.put(workload.className(), workload.name().value());
            }
        }
        List<TaskCall> calls = new ArrayList<>();
        for (DeclaredWorkload workload : declarations.workloads()) {
            String from = workload.name().value();
            for (Located<String> target : workload.sendsTo()) {
                calls.add(new TaskCall(workload.kind(), from, workerNames.get(target.value()), false));
            }
            WorkloadKind senderKind = workload.kind();
            String sender = from;
            for (Located<String> step : workload.chain()) {
                String worker = workerNames.get(step.value());
                calls.add(new TaskCall(senderKind, sender, worker, true));
                senderKind = WorkloadKind.ASYNC;
                sender = worker;
            }
        }
        return calls;
    }

    private EnvironmentModel environment(String name, ValuesLayers values, Declarations declarations, BuildOptions options) {
        Workloads workloads = workloads(declarations, values);
        return new EnvironmentModel(name, application(name, values, options), workloads.rest(), workloads.workers());
    }

    private record Workloads(List<RestServiceModel> rest, List<WorkerModel> workers) {}

    private static Workloads workloads(Declarations declarations, ValuesLayers values) {
        List<RestServiceModel> rest = new ArrayList<>();
        List<WorkerModel> workers = new ArrayList<>();
        for (DeclaredWorkload declared : declarations.workloads()) {
            Workload model = workload(new WorkloadSettings(declared, values));
            if (model instanceof RestServiceModel r) {
                rest.add(r);
            } else {
                workers.add((WorkerModel) model);
            }
        }
        rest.sort(Comparator.comparing(RestServiceModel::name));
        workers.sort(Comparator.comparing(WorkerModel::name));
        return new Workloads(rest, workers);
    }

    /** Every application row: the build option, the values files, or the row's default. */
    private static SettingValues application(String environment, ValuesLayers values, BuildOptions options) {
        SettingValues.Builder resolved = SettingValues.builder();
        Default.Resolved soFar = new Default.Resolved() {
            @Override
            public <T> T get(Setting<T> setting) {
                return resolved.find(setting).orElseThrow(() -> new IllegalStateException(setting.key() + " is resolved later in the table"));
            }

            @Override
            public String environment() {
                return environment;
            }
        };
        for (Setting<?> setting : Settings.application()) {
            if (setting.inValuesFiles()) {
                resolve(setting, values, options, resolved, soFar);
            }
        }
        return resolved.build();
    }

    private static <T> void resolve(Setting<T> setting, ValuesLayers values, BuildOptions options, SettingValues.Builder resolved,
                                    Default.Resolved soFar) {
        Optional<Located<T>> given = setting == Settings.IMAGE_TAG
                ? options.imageTag(values).map(tag -> new Located<>(setting.javaType().cast(tag.value()), tag.site()))
                : values.get(setting);
        T value = given.map(Located::value).orElseGet(() -> defaultValue(setting, soFar));
        resolved.put(setting, value);
    }

    private static <T> T defaultValue(Setting<T> setting, Default.Resolved soFar) {
        return setting.defaultValue().valueWhenUnset(setting.key(), soFar);
    }

    private static Workload workload(WorkloadSettings settings) {
        DeclaredWorkload declared = settings.workload();
        SettingValues values = workloadSettings(settings);
        List<EnvVar> declaredEnv = declared.env().stream().map(p -> new EnvVar(p.key().value(), p.value().value())).toList();
        List<SecretEnvVar> secretEnv = declared.secretEnv().stream()
                .map(s -> new SecretEnvVar(s.name().value(), s.secret().value(), s.key().value())).toList();
        if (declared.kind() == WorkloadKind.REST) {
            return new RestServiceModel(declared.name().value(), declared.className(), declared.address().value(),
                    declared.port().orElseThrow().value(), declaredEnv, secretEnv, values);
        }
        List<TaskModel> tasks = declared.tasks().stream().map(t -> {
            List<TaskModel.TaskParameter> parameters = new ArrayList<>();
            for (int i = 0; i < t.parameterNames().size(); i++) {
                parameters.add(new TaskModel.TaskParameter(t.parameterNames().get(i), t.parameterTypes().get(i)));
            }
            return new TaskModel(t.name().value(), t.methodName(), parameters, t.returnType());
        }).toList();
        return new WorkerModel(declared.name().value(), declared.className(), declared.address().value(),
                declared.pool().orElseThrow().value(), tasks, declaredEnv, secretEnv, values);
    }

    /**
     * A workload's rows: those whose default an annotation gives come from {@link WorkloadSettings}
     * (which applies the values files over the annotation); the others are the values' or the table's.
     */
    private static SettingValues workloadSettings(WorkloadSettings settings) {
        SettingValues.Builder values = SettingValues.builder();
        Set<Setting<?>> fromCode = new HashSet<>();
        put(values, fromCode, Settings.ENABLED, settings.enabled().value());
        put(values, fromCode, Settings.REPLICAS, settings.replicas().value());
        settings.concurrency().ifPresent(c -> put(values, fromCode, Settings.CONCURRENCY, c.value()));
        settings.timeLimitSeconds().ifPresent(t -> put(values, fromCode, Settings.TIME_LIMIT_SECONDS, t.value()));
        put(values, fromCode, Settings.CPU_REQUEST, settings.cpuRequest().value());
        put(values, fromCode, Settings.MEMORY_REQUEST, settings.memoryRequest().value());
        put(values, fromCode, Settings.CPU_LIMIT, settings.cpuLimit().value());
        put(values, fromCode, Settings.MEMORY_LIMIT, settings.memoryLimit().value());
        SortedMap<String, String> nodeSelector = new TreeMap<>();
        settings.nodeSelector().forEach(pair -> nodeSelector.put(pair.key().value(), pair.value().value()));
        put(values, fromCode, Settings.NODE_SELECTOR, java.util.Collections.unmodifiableSortedMap(nodeSelector));
        Optional<WorkloadSettings.AutoscalingSettings> autoscaling = settings.autoscaling();
        put(values, fromCode, Settings.AUTOSCALING_ENABLED, autoscaling.isPresent());
        // An autoscaler that is off has no bounds: the rows stay empty.
        fromCode.addAll(List.of(Settings.MIN_REPLICAS, Settings.MAX_REPLICAS, Settings.TARGET_CPU_UTILIZATION, Settings.QUEUE_LENGTH));
        autoscaling.ifPresent(a -> {
            values.put(Settings.MIN_REPLICAS, a.minReplicas().value());
            values.put(Settings.MAX_REPLICAS, a.maxReplicas().map(Located::value).orElse(a.minReplicas().value()));
            values.put(Settings.TARGET_CPU_UTILIZATION, a.targetCpuUtilization().value());
            values.put(Settings.QUEUE_LENGTH, a.queueLength().value());
        });
        for (Setting<?> setting : Settings.workload(settings.workload().kind())) {
            Optional<Located<Integer>> limit = setting.annotationMember().filter(m -> m.startsWith(HTTP_LIMITS))
                    .map(m -> settings.workload().httpLimits().get(m.substring(HTTP_LIMITS.length())));
            if (limit.isPresent()) {
                // 0 is the runtime's default: the row then has no value, and the Deployment no variable.
                Setting<Integer> integer = Settings.integer(setting);
                int value = settings.fromValues(integer).orElse(limit.get()).value();
                put(values, fromCode, integer, value > 0 ? value : null);
            }
        }
        if (settings.workload().kind() == WorkloadKind.REST) {
            for (Setting<Double> objective : List.of(Settings.SLO_AVAILABILITY, Settings.SLO_LATENCY_PERCENTILE, Settings.SLO_LATENCY_THRESHOLD_SECONDS)) {
                put(values, fromCode, objective, settings.slo(objective).value());
            }
        }
        for (Setting<?> setting : Settings.workload(settings.workload().kind())) {
            if (setting.owner() == Owner.OPERATIONS && !fromCode.contains(setting)) {
                fromValuesOrTable(values, settings, setting);
            }
        }
        return values.build();
    }

    private static <T> void put(SettingValues.Builder values, Set<Setting<?>> fromCode, Setting<T> setting, T value) {
        values.put(setting, value);
        fromCode.add(setting);
    }

    private static <T> void fromValuesOrTable(SettingValues.Builder values, WorkloadSettings settings, Setting<T> setting) {
        if (setting.defaultValue() instanceof Default.FromAnnotation) {
            throw new IllegalStateException(setting.key() + ": a workload row with a default from the code needs its source in "
                    + "ModelBuilder.workloadSettings");
        }
        T value = settings.fromValues(setting).map(Located::value).orElseGet(() -> setting.defaultValue().valueWhenUnset(setting.key(), null));
        values.put(setting, value);
    }

    private static String commonPackage(Declarations declarations) {
        String common = null;
        for (DeclaredWorkload workload : declarations.workloads()) {
            String className = workload.className();
            String pkg = className.contains(".") ? className.substring(0, className.lastIndexOf('.')) : "";
            common = common == null ? pkg : commonPrefix(common, pkg);
        }
        return common == null ? "" : common;
    }

    private static String commonPrefix(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < Math.min(left.length, right.length) && left[i].equals(right[i]); i++) {
            prefix.append(prefix.length() == 0 ? "" : ".").append(left[i]);
        }
        return prefix.toString();
    }
}
