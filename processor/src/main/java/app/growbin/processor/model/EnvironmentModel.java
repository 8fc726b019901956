package app.growbin.processor.model;

import app.growbin.contract.EnvVars;
import app.growbin.processor.settings.ScalarText;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.SettingValues;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /**
     * By name only (equal environments have equal names): an environment keys the map of its files,
     * and the record's own hashCode would hash every workload model in it, through a bootstrap per
     * record class that a compilation in a fresh JVM pays for.
     */
    @Override
    public int hashCode() {
        return name.hashCode();
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
     * variable and has a value (not empty), with its companion variables, and {@code OPENAI_MODEL_<KEY>} per model.
     */
    public SortedMap<String, String> config() {
        SortedMap<String, String> config = new TreeMap<>();
        for (Setting<?> setting : Settings.application()) {
            setting.envVar().ifPresent(name -> settings.find(setting).map(ScalarText::of)
                    .filter(text -> !text.isEmpty())
                    .ifPresent(text -> {
                        config.put(name, text);
                        config.putAll(setting.companionVariables());
                    }));
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

    /**
     * Every Secret the manifests of this environment read, with its keys: the Celery broker and result
     * backend Secrets (every Deployment reads them), each {@code @SecretEnv} of an enabled workload,
     * and the Ingress's TLS Secret when the cluster serves the certificate from it (not with
     * {@code className: alb}, which takes it from ACM, nor when cert-manager writes it). In order: the
     * broker's, the backend's, the {@code @SecretEnv} ones by Secret and key, the TLS one; a Secret
     * named twice appears once, where it is first named. The ExternalSecrets ({@code secrets.externalStore})
     * and the prerequisites list of the overview are made of this list.
     */
    public List<ReferencedSecret> referencedSecrets() {
        record KeyRead(String secret, String key, String readBy) {}
        List<KeyRead> reads = new ArrayList<>();
        if (declaredWorkloads().stream().anyMatch(Workload::enabled)) {
            reads.add(new KeyRead(get(Settings.BROKER_SECRET_NAME), get(Settings.BROKER_SECRET_KEY), EnvVars.CELERY_BROKER_URL + " (every workload)"));
            reads.add(new KeyRead(get(Settings.BACKEND_SECRET_NAME), get(Settings.BACKEND_SECRET_KEY), EnvVars.CELERY_RESULT_BACKEND + " (every workload)"));
        }
        SortedMap<String, SortedMap<String, List<String>>> fromCode = new TreeMap<>();
        for (Workload workload : declaredWorkloads()) {
            if (workload.enabled()) {
                for (SecretEnvVar variable : workload.secretEnv()) {
                    fromCode.computeIfAbsent(variable.secret(), s -> new TreeMap<>()).computeIfAbsent(variable.key(), k -> new ArrayList<>())
                            .add(variable.name() + " (" + workload.kind().valuesKey() + "/" + workload.name() + ")");
                }
            }
        }
        fromCode.forEach((secret, keys) -> keys.forEach((key, readers) -> readers.forEach(reader -> reads.add(new KeyRead(secret, key, reader)))));
        boolean tlsFromSecret = tlsSecretReferenced();
        if (tlsFromSecret) {
            String secret = get(Settings.INGRESS_TLS_SECRET);
            reads.add(new KeyRead(secret, "tls.crt", "TLS of the Ingress"));
            reads.add(new KeyRead(secret, "tls.key", "TLS of the Ingress"));
        }
        Map<String, List<KeyRead>> bySecret = new LinkedHashMap<>();
        reads.forEach(read -> bySecret.computeIfAbsent(read.secret(), s -> new ArrayList<>()).add(read));
        List<ReferencedSecret> secrets = new ArrayList<>();
        bySecret.forEach((secret, secretReads) -> secrets.add(new ReferencedSecret(secret,
                secretReads.stream().map(KeyRead::key).distinct().toList(),
                tlsFromSecret && secret.equals(get(Settings.INGRESS_TLS_SECRET)),
                secretReads.stream().map(KeyRead::readBy).distinct().toList())));
        return secrets;
    }

    /**
     * Whether the Ingress reads its certificate from {@code ingress.tls.secretName}: an Ingress is written
     * (enabled, {@code kind: ingress}, some REST service), TLS is on for a host, the class is not
     * {@code alb}, and no cert-manager ClusterIssuer writes the Secret.
     */
    public boolean tlsSecretReferenced() {
        return get(Settings.INGRESS_ENABLED) && "ingress".equals(get(Settings.INGRESS_KIND)) && !restServices().isEmpty()
                && get(Settings.INGRESS_TLS_ENABLED) && !get(Settings.INGRESS_HOST).isEmpty()
                && !"alb".equals(get(Settings.INGRESS_CLASS_NAME))
                && settings.find(Settings.INGRESS_TLS_SECRET).filter(name -> !name.isEmpty()).isPresent()
                && settings.find(Settings.INGRESS_TLS_CLUSTER_ISSUER).filter(issuer -> !issuer.isEmpty()).isEmpty();
    }

    /** Where Argo CD finds this environment's manifests in the GitOps repository. */
    public String gitOpsPath() {
        String path = get(Settings.GITOPS_PATH);
        return path.isEmpty() ? name : path + "/" + name;
    }
}
