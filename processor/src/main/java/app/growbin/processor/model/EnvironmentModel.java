package app.growbin.processor.model;

import app.growbin.contract.EnvVars;
import app.growbin.processor.settings.ScalarText;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.SettingValues;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The whole application as deployed to one environment: the application settings and every declared
 * workload (disabled ones included, with {@code enabled: false}), each list sorted by name.
 *
 * @param name the environment, from {@code values-<name>.yaml}
 */
public record EnvironmentModel(String name, SettingValues settings, List<RestServiceModel> declaredRestServices,
                               List<WorkerModel> declaredWorkers) {

    public EnvironmentModel {
        declaredRestServices = List.copyOf(declaredRestServices);
        declaredWorkers = List.copyOf(declaredWorkers);
    }

    public <T> T get(Setting<T> setting) {
        return settings.get(setting);
    }

    /** The REST services enabled here. */
    public List<RestServiceModel> restServices() {
        return declaredRestServices.stream().filter(Workload::enabled).toList();
    }

    /** The workers enabled here. */
    public List<WorkerModel> workers() {
        return declaredWorkers.stream().filter(Workload::enabled).toList();
    }

    /** Every declared workload, REST services first. */
    public List<Workload> declaredWorkloads() {
        return Stream.concat(declaredRestServices.stream(), declaredWorkers.stream()).map(Workload.class::cast).toList();
    }

    /** Declared workloads left out here, as {@code rest/<name>} or {@code async/<name>}, sorted. */
    public List<String> disabled() {
        List<String> disabled = new ArrayList<>();
        declaredWorkloads().stream().filter(w -> !w.enabled()).forEach(w -> disabled.add(w.kind().valuesKey() + "/" + w.name()));
        disabled.sort(null);
        return disabled;
    }

    public String appName() {
        return get(Settings.APP_NAME);
    }

    /** {@code global.environment}, such as {@code production}. */
    public String environment() {
        return get(Settings.ENVIRONMENT);
    }

    /** {@code registry/repository:tag}, the registry left out when empty. */
    public String imageReference() {
        String registry = get(Settings.IMAGE_REGISTRY);
        return (registry.isEmpty() ? "" : registry + "/") + get(Settings.IMAGE_REPOSITORY) + ":" + get(Settings.IMAGE_TAG);
    }

    /** {@code <app>-api-rest-<name>} or {@code <app>-api-async-<name>}. */
    public String objectName(Workload workload) {
        return appName() + "-" + workload.kind().component() + "-" + workload.name();
    }

    public String configMapName() {
        return appName() + "-config";
    }

    /**
     * The shared ConfigMap's data, read by every container: each application setting that names a
     * variable and has a value (not empty), and {@code OPENAI_MODEL_<KEY>} per model.
     */
    public SortedMap<String, String> config() {
        SortedMap<String, String> config = new TreeMap<>();
        for (Setting<?> setting : Settings.application()) {
            setting.envVar().ifPresent(name -> settings.find(setting).map(ScalarText::of)
                    .filter(text -> !text.isEmpty())
                    .ifPresent(text -> config.put(name, text)));
        }
        get(Settings.OPENAI_MODELS).forEach((key, model) -> config.put(modelVariable(key), model));
        return config;
    }

    /** {@code OPENAI_MODEL_<KEY>}: the key in upper case, other characters than letters and digits as '_'. */
    public static String modelVariable(String key) {
        return EnvVars.OPENAI_MODEL_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The queue alert threshold of {@code worker}: its own, or the application's. */
    public int queueDepthThreshold(WorkerModel worker) {
        return worker.queueDepthThreshold().orElse(get(Settings.QUEUE_DEPTH_THRESHOLD));
    }

    /** Where Argo CD finds this environment's manifests in the GitOps repository. */
    public String gitOpsPath() {
        String path = get(Settings.GITOPS_PATH);
        return path.isEmpty() ? name : path + "/" + name;
    }
}
