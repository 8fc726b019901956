package app.growbin.processor.render.helm;

import app.growbin.contract.EnvVars;
import app.growbin.processor.model.AutoscalingSpec;
import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.EnvVar;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.IngressSpec;
import app.growbin.processor.model.MonitoringSpec;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The chart's values as trees with the keys of the seed ({@code global.*}, {@code celery.*},
 * {@code openai.*}, {@code ingress.*}, {@code monitoring.*}, {@code networkPolicy.*},
 * {@code api.rest.<name>.*}, {@code api.async.<name>.*}): the effective operational values of one
 * {@link EnvironmentModel}. The contract (paths, ports, queues, pools, task names, secret env) is not
 * in the values: the templates carry it, as the code owns it.
 *
 * <p>{@code values.yaml} is the tree of the defaults model; {@code values-<env>.yaml} is
 * {@link #difference} of the environment's tree and that one (a {@code null} deletes a key that the
 * environment does not have, as Helm merges maps key by key).
 */
final class ChartValues {

    static final String CONFIG_MODEL_PREFIX = EnvVars.OPENAI_MODEL_PREFIX;
    static final String CONFIG_BASE_URL = EnvVars.OPENAI_BASE_URL;

    private final Catalog catalog;
    /** Workers whose chart has a ScaledObject template (queue-length autoscaling somewhere). */
    private final Set<String> kedaWorkers;

    ChartValues(Catalog catalog, Set<String> kedaWorkers) {
        this.catalog = catalog;
        this.kedaWorkers = Set.copyOf(kedaWorkers);
    }

    /**
     * The full values of {@code environment}. Settings that do not matter in it (those of a disabled
     * service, or an autoscaler that is off) are taken from {@code defaults} when given, so that an
     * environment's file lists only what it really changes.
     *
     * @param instance the {@code app.kubernetes.io/instance} label, or null to leave it to the release name
     */
    Map<String, Object> tree(EnvironmentModel environment, Map<String, Object> defaults, String instance) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> global = new LinkedHashMap<>();
        global.put("appName", environment.appName());
        if (instance != null) {
            global.put("instance", instance);
        }
        global.put("environment", environment.environment());
        global.put("domain", environment.domain());
        global.put("image", map(
                "registry", environment.image().registry(),
                "repository", environment.image().repository(),
                "tag", environment.image().tag(),
                "pullPolicy", environment.image().pullPolicy()));
        values.put("global", global);
        values.put("celery", map(
                "brokerSecret", map("name", environment.brokerSecret().name(), "key", environment.brokerSecret().key()),
                "backendSecret", map("name", environment.backendSecret().name(), "key", environment.backendSecret().key())));
        values.put("openai", openAi(environment.config()));
        values.put("ingress", ingress(environment.ingress()));
        values.put("monitoring", monitoring(environment.monitoring()));
        values.put("networkPolicy", map(
                "enabled", environment.networkPolicy().enabled(),
                "ingressNamespace", environment.networkPolicy().ingressNamespace(),
                "monitoringNamespace", environment.networkPolicy().monitoringNamespace()));
        Map<String, Object> rest = new LinkedHashMap<>();
        for (RestServiceModel declared : catalog.restServices()) {
            Object enabled = environment.restServices().stream().filter(s -> s.name().equals(declared.name())).findFirst()
                    .map(s -> (Object) s).orElse(null);
            rest.put(declared.name(), service(environment, declared, (Workload) enabled, at(defaults, "api", "rest", declared.name())));
        }
        Map<String, Object> async = new LinkedHashMap<>();
        for (WorkerModel declared : catalog.workers()) {
            Object enabled = environment.workers().stream().filter(w -> w.name().equals(declared.name())).findFirst()
                    .map(w -> (Object) w).orElse(null);
            async.put(declared.name(), service(environment, declared, (Workload) enabled, at(defaults, "api", "async", declared.name())));
        }
        values.put("api", map("rest", rest, "async", async));
        return values;
    }

    /** What {@code environment} changes in {@code defaults}: changed leaves, and null for removed keys. */
    static Map<String, Object> difference(Map<String, Object> environment, Map<String, Object> defaults) {
        Map<String, Object> difference = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : environment.entrySet()) {
            Object mine = entry.getValue();
            Object theirs = defaults.get(entry.getKey());
            if (mine instanceof Map<?, ?> mineMap && theirs instanceof Map<?, ?> theirsMap) {
                Map<String, Object> nested = difference(cast(mineMap), cast(theirsMap));
                if (!nested.isEmpty()) {
                    difference.put(entry.getKey(), nested);
                }
            } else if (!defaults.containsKey(entry.getKey()) || !Objects.equals(mine, theirs)) {
                difference.put(entry.getKey(), mine);
            }
        }
        for (String key : defaults.keySet()) {
            if (!environment.containsKey(key)) {
                difference.put(key, null);
            }
        }
        return difference;
    }

    /**
     * One service. {@code effective} is null when the service is disabled here; its settings then
     * come from {@code defaults}, or from the annotations when there are none.
     */
    private Map<String, Object> service(EnvironmentModel environment, Workload declared, Workload effective, Map<String, Object> defaults) {
        if (effective == null) {
            Map<String, Object> off = defaults != null ? deepCopy(defaults) : settings(environment, declared, null, false);
            off.put("enabled", false);
            return off;
        }
        return settings(environment, effective, defaults, true);
    }

    private Map<String, Object> settings(EnvironmentModel environment, Workload workload, Map<String, Object> defaults, boolean enabled) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("enabled", enabled);
        service.put("replicas", workload.replicas());
        if (workload instanceof WorkerModel worker) {
            service.put("concurrency", worker.concurrency());
            service.put("timeLimitSeconds", worker.timeLimitSeconds());
        }
        service.put("resources", map(
                "requests", map("cpu", workload.resources().cpuRequest(), "memory", workload.resources().memoryRequest()),
                "limits", map("cpu", workload.resources().cpuLimit(), "memory", workload.resources().memoryLimit())));
        service.put("nodeSelector", new LinkedHashMap<>(workload.nodeSelector()));
        service.put("autoscaling", autoscaling(workload, defaults));
        service.put("env", new LinkedHashMap<>(valuesEnv(declaredEnv(workload), workload.env())));
        service.put("securityContext", map(
                "runAsUser", workload.security().runAsUser(),
                "runAsGroup", workload.security().runAsGroup(),
                "readOnlyRootFilesystem", workload.security().readOnlyRootFilesystem()));
        service.put("serviceAccount", map(
                "name", workload.security().serviceAccountName().orElse(""),
                "automountToken", workload.security().automountToken()));
        if (workload instanceof WorkerModel && environment.queueDepthThresholds().containsKey(workload.name())) {
            service.put("queueDepthThreshold", environment.queueDepthThresholds().get(workload.name()));
        }
        return service;
    }

    private Map<String, Object> autoscaling(Workload workload, Map<String, Object> defaults) {
        if (workload.autoscaling().isEmpty()) {
            Object inherited = defaults == null ? null : defaults.get("autoscaling");
            Map<String, Object> off = inherited instanceof Map<?, ?> map ? deepCopy(cast(map)) : new LinkedHashMap<>();
            off.put("enabled", false);
            return off;
        }
        AutoscalingSpec spec = workload.autoscaling().get();
        Map<String, Object> on = map(
                "enabled", true,
                "minReplicas", spec.minReplicas(),
                "maxReplicas", spec.maxReplicas(),
                "targetCpuUtilization", spec.targetCpuUtilization());
        if (kedaWorkers.contains(workload.name()) && workload instanceof WorkerModel) {
            on.put("queueLength", spec.queueLength());
        }
        return on;
    }

    /** The annotations' own {@code @Env} variables of a workload (the catalog holds them without values applied). */
    List<EnvVar> declaredEnv(Workload workload) {
        List<? extends Workload> all = workload instanceof WorkerModel ? catalog.workers() : catalog.restServices();
        return all.stream().filter(w -> w.name().equals(workload.name())).findFirst().map(Workload::env).orElse(List.of());
    }

    /**
     * The variables that values files add or replace. The model's list is the annotations'
     * variables that no values entry replaces, in their order, then the values entries sorted by
     * name; the template writes it back the same way. The shortest such suffix is taken.
     */
    static SortedMap<String, String> valuesEnv(List<EnvVar> declared, List<EnvVar> effective) {
        for (int split = effective.size(); split >= 0; split--) {
            List<EnvVar> suffix = effective.subList(split, effective.size());
            Set<String> names = new HashSet<>();
            boolean sorted = true;
            for (int i = 0; i < suffix.size(); i++) {
                names.add(suffix.get(i).name());
                if (i > 0 && suffix.get(i - 1).name().compareTo(suffix.get(i).name()) >= 0) {
                    sorted = false;
                }
            }
            List<EnvVar> kept = declared.stream().filter(v -> !names.contains(v.name())).toList();
            if (sorted && kept.equals(effective.subList(0, split))) {
                SortedMap<String, String> values = new TreeMap<>();
                suffix.forEach(v -> values.put(v.name(), v.value()));
                return values;
            }
        }
        throw new IllegalStateException("environment variables " + effective + " do not extend the declared " + declared);
    }

    private static Map<String, Object> openAi(SortedMap<String, String> config) {
        Map<String, Object> openAi = new LinkedHashMap<>();
        if (config.containsKey(CONFIG_BASE_URL)) {
            openAi.put("baseUrl", config.get(CONFIG_BASE_URL));
        }
        // The model keeps OPENAI_MODEL_<KEY>; its key in lower case gives the same variable back.
        Map<String, Object> models = new LinkedHashMap<>();
        config.forEach((name, model) -> {
            if (name.startsWith(CONFIG_MODEL_PREFIX)) {
                models.put(name.substring(CONFIG_MODEL_PREFIX.length()).toLowerCase(Locale.ROOT), model);
            }
        });
        openAi.put("models", models);
        return openAi;
    }

    private static Map<String, Object> ingress(IngressSpec ingress) {
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("enabled", ingress.tls());
        ingress.tlsSecret().ifPresent(secret -> tls.put("secretName", secret));
        return map(
                "enabled", ingress.enabled(),
                "className", ingress.className(),
                "host", ingress.host(),
                "annotations", new LinkedHashMap<>(ingress.annotations()),
                "tls", tls);
    }

    private static Map<String, Object> monitoring(MonitoringSpec monitoring) {
        return map(
                "interval", monitoring.interval(),
                "scrapeTimeout", monitoring.scrapeTimeout(),
                "alerts", map(
                        "errorRateThreshold", monitoring.errorRateThreshold(),
                        "latencyP95Seconds", monitoring.latencyP95Seconds(),
                        "queueDepthThreshold", monitoring.queueDepthThreshold(),
                        "deadLetterQueue", monitoring.deadLetterQueue(),
                        "deadLetterThreshold", monitoring.deadLetterThreshold(),
                        "for", monitoring.alertFor()),
                "runbookBaseUrl", monitoring.runbookBaseUrl());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> tree, String... path) {
        Object node = tree;
        for (String key : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static Map<String, Object> deepCopy(Map<String, Object> tree) {
        Map<String, Object> copy = new LinkedHashMap<>();
        tree.forEach((key, value) -> copy.put(key, value instanceof Map<?, ?> map ? deepCopy(cast(map)) : value));
        return copy;
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static List<String> names(List<? extends Workload> workloads) {
        List<String> names = new ArrayList<>();
        workloads.forEach(w -> names.add(w.name()));
        return names;
    }
}
