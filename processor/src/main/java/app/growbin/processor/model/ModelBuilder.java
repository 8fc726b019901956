package app.growbin.processor.model;

import app.growbin.contract.EnvVars;
import app.growbin.processor.read.BuildOptions;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.read.Located;
import app.growbin.processor.read.ValuesFile;
import app.growbin.processor.read.ValuesFileReader;
import app.growbin.processor.read.ValuesLayers;
import app.growbin.processor.read.WorkloadSettings;
import app.growbin.processor.read.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Applies the precedence annotation → values.yaml → values-&lt;env&gt;.yaml → build option and builds
 * the immutable model. Runs only on input the validator accepted.
 */
public final class ModelBuilder {

    static final String DEFAULT_SECRET = "celery-secrets";
    static final String DEFAULT_RUNBOOKS = "https://github.com/growbin/growbin/blob/main/docs/runbooks.md";

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
        ValuesLayers annotationsOnly = new ValuesLayers(none, none);
        List<RestServiceModel> rest = new ArrayList<>();
        List<WorkerModel> workers = new ArrayList<>();
        for (DeclaredWorkload workload : declarations.workloads()) {
            Workload model = workload(new WorkloadSettings(workload, annotationsOnly));
            if (model instanceof RestServiceModel r) {
                rest.add(r);
            } else {
                workers.add((WorkerModel) model);
            }
        }
        rest.sort(Comparator.comparing(RestServiceModel::name));
        workers.sort(Comparator.comparing(WorkerModel::name));
        return new Catalog(commonPackage(declarations), rest, workers);
    }

    private EnvironmentModel environment(String name, ValuesLayers values, Declarations declarations, BuildOptions options) {
        List<RestServiceModel> rest = new ArrayList<>();
        List<WorkerModel> workers = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        Map<String, Integer> queueThresholds = new TreeMap<>();
        for (DeclaredWorkload declared : declarations.workloads()) {
            WorkloadSettings settings = new WorkloadSettings(declared, values);
            if (!settings.enabled().value()) {
                disabled.add(declared.kind().valuesKey() + "/" + declared.name().value());
                continue;
            }
            Workload model = workload(settings);
            if (model instanceof RestServiceModel r) {
                rest.add(r);
            } else {
                workers.add((WorkerModel) model);
                settings.queueDepthThreshold().ifPresent(t -> queueThresholds.put(model.name(), t.value()));
            }
        }
        rest.sort(Comparator.comparing(RestServiceModel::name));
        workers.sort(Comparator.comparing(WorkerModel::name));
        disabled.sort(Comparator.naturalOrder());

        String appName = text(values, "global.appName", "app");
        String environment = text(values, "global.environment", name);
        String domain = text(values, "global.domain", "");
        ImageSpec image = new ImageSpec(
                text(values, "global.image.registry", ""),
                text(values, "global.image.repository", appName),
                options.imageTag().orElseGet(() -> text(values, "global.image.tag", "latest")),
                text(values, "global.image.pullPolicy", "IfNotPresent"));
        IngressSpec ingress = new IngressSpec(
                flag(values, "ingress.enabled", true),
                text(values, "ingress.className", ""),
                text(values, "ingress.host", domain.isEmpty() ? "" : "api." + domain),
                values.map("ingress.annotations").map(Located::value).orElse(new TreeMap<>()),
                flag(values, "ingress.tls.enabled", false),
                values.scalar("ingress.tls.secretName").map(Located::value));
        MonitoringSpec monitoring = new MonitoringSpec(
                text(values, "monitoring.interval", "30s"),
                text(values, "monitoring.scrapeTimeout", "10s"),
                values.number("monitoring.alerts.errorRateThreshold").map(Located::value).orElse(0.05),
                values.number("monitoring.alerts.latencyP95Seconds").map(Located::value).orElse(1.0),
                values.integer("monitoring.alerts.queueDepthThreshold").map(Located::value).orElse(1000),
                text(values, "monitoring.alerts.deadLetterQueue", "q.dlq"),
                values.integer("monitoring.alerts.deadLetterThreshold").map(Located::value).orElse(0),
                text(values, "monitoring.alerts.for", "5m"),
                text(values, "monitoring.runbookBaseUrl", DEFAULT_RUNBOOKS));
        NetworkPolicySpec networkPolicy = new NetworkPolicySpec(
                flag(values, "networkPolicy.enabled", false),
                text(values, "networkPolicy.ingressNamespace", "kube-system"),
                text(values, "networkPolicy.monitoringNamespace", "monitoring"));
        return new EnvironmentModel(name, appName, environment, domain, image,
                new SecretRef(text(values, "celery.brokerSecret.name", DEFAULT_SECRET), text(values, "celery.brokerSecret.key", "broker-url")),
                new SecretRef(text(values, "celery.backendSecret.name", DEFAULT_SECRET), text(values, "celery.backendSecret.key", "result-backend")),
                ingress, monitoring, networkPolicy,
                new GitOpsSpec(text(values, "gitops.repoUrl", ""), text(values, "gitops.targetRevision", "HEAD"),
                        text(values, "gitops.path", "k8s-out"), text(values, "gitops.namespace", appName + "-" + name)),
                config(values, appName, environment, domain), rest, workers, queueThresholds, disabled);
    }

    private static SortedMap<String, String> config(ValuesLayers values, String appName, String environment, String domain) {
        SortedMap<String, String> config = new TreeMap<>();
        config.put(EnvVars.APP_NAME, appName);
        config.put(EnvVars.ENVIRONMENT, environment);
        if (!domain.isEmpty()) {
            config.put(EnvVars.DOMAIN, domain);
        }
        values.scalar("openai.baseUrl").ifPresent(url -> config.put(EnvVars.OPENAI_BASE_URL, url.value()));
        values.map("openai.models").ifPresent(models -> models.value().forEach((key, model) ->
                config.put(EnvVars.OPENAI_MODEL_PREFIX + key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), model)));
        return config;
    }

    private static Workload workload(WorkloadSettings settings) {
        DeclaredWorkload declared = settings.workload();
        ResourceSpec resources = new ResourceSpec(settings.cpuRequest().value(), settings.memoryRequest().value(),
                settings.cpuLimit().value(), settings.memoryLimit().value());
        Map<String, String> nodeSelector = new LinkedHashMap<>();
        settings.nodeSelector().forEach(pair -> nodeSelector.put(pair.key().value(), pair.value().value()));
        Optional<AutoscalingSpec> autoscaling = settings.autoscaling().map(a -> new AutoscalingSpec(
                a.minReplicas().value(), a.maxReplicas().map(Located::value).orElse(a.minReplicas().value()),
                a.targetCpuUtilization().value(), a.queueLength().value()));
        PodSecurity security = new PodSecurity(
                settings.runAsUser().map(Located::value).map(Integer::longValue).orElse(PodSecurity.DEFAULT_USER),
                settings.runAsGroup().map(Located::value).map(Integer::longValue).orElse(PodSecurity.DEFAULT_USER),
                settings.readOnlyRootFilesystem().map(Located::value).orElse(true),
                settings.serviceAccountName().map(Located::value),
                settings.automountServiceAccountToken().map(Located::value).orElse(false));
        List<EnvVar> env = settings.env().stream().map(p -> new EnvVar(p.key().value(), p.value().value())).toList();
        List<SecretEnvVar> secretEnv = declared.secretEnv().stream()
                .map(s -> new SecretEnvVar(s.name().value(), s.secret().value(), s.key().value())).toList();
        int replicas = settings.replicas().value();
        if (declared.kind() == WorkloadKind.REST) {
            return new RestServiceModel(declared.name().value(), declared.className(), declared.address().value(),
                    declared.port().orElseThrow().value(), replicas, resources, new TreeMap<>(nodeSelector), autoscaling, env, secretEnv, security);
        }
        List<TaskModel> tasks = declared.tasks().stream().map(t -> {
            List<TaskModel.TaskParameter> parameters = new ArrayList<>();
            for (int i = 0; i < t.parameterNames().size(); i++) {
                parameters.add(new TaskModel.TaskParameter(t.parameterNames().get(i), t.parameterTypes().get(i)));
            }
            return new TaskModel(t.name().value(), t.methodName(), parameters, t.returnType());
        }).toList();
        return new WorkerModel(declared.name().value(), declared.className(), declared.address().value(),
                declared.pool().orElseThrow().value(), settings.concurrency().orElseThrow().value(), replicas, resources,
                new TreeMap<>(nodeSelector), autoscaling, env, secretEnv, security,
                settings.timeLimitSeconds().orElseThrow().value(), tasks);
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

    private static String text(ValuesLayers values, String key, String fallback) {
        return values.scalar(key).map(Located::value).orElse(fallback);
    }

    private static boolean flag(ValuesLayers values, String key, boolean fallback) {
        return values.bool(key).map(Located::value).orElse(fallback);
    }
}
