package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.forEach;
import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.mapOf;
import static app.growbin.processor.render.tree.Nodes.resource;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.contract.Endpoints;
import app.growbin.contract.EnvVars;
import app.growbin.processor.model.EnvVar;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.SecretEnvVar;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/** A workload's Deployment: the launcher, its ports, probes, resources and a locked-down pod. */
final class DeploymentRenderer {

    /** Changes with the shared ConfigMap's data, so that a config change rolls the pods that read it. */
    static final String CONFIG_HASH = "growbin.app/config-hash";

    Node render(SettingsView view, Workload workload) {
        Node selector = Labels.selector(view, workload);
        Expr<Boolean> autoscaled = view.get(workload, Settings.AUTOSCALING_ENABLED);
        Expr<Integer> minimumReplicas = Ops.choose(autoscaled, view.get(workload, Settings.MIN_REPLICAS), view.get(workload, Settings.REPLICAS));
        Expr<String> serviceAccount = view.get(workload, Settings.SERVICE_ACCOUNT_NAME);
        Expr<SortedMap<String, String>> nodeSelector = view.get(workload, Settings.NODE_SELECTOR);
        Expr<Integer> group = view.get(workload, Settings.RUN_AS_GROUP);
        return resource("apps/v1", "Deployment", map("name", Labels.objectName(view, workload), "labels", Labels.of(view, workload)),
                "spec", map(
                        "replicas", when(Ops.not(autoscaled), view.get(workload, Settings.REPLICAS)),
                        "revisionHistoryLimit", 5,
                        "selector", map("matchLabels", selector),
                        "strategy", map("type", "RollingUpdate", "rollingUpdate", map("maxSurge", "25%", "maxUnavailable", 0)),
                        "template", map(
                                "metadata", map(
                                        "labels", Labels.of(view, workload),
                                        "annotations", map(CONFIG_HASH, Ops.configHash(view.configData()))),
                                "spec", map(
                                        "serviceAccountName", when(Ops.nonEmpty(serviceAccount), serviceAccount),
                                        "automountServiceAccountToken", view.get(workload, Settings.AUTOMOUNT_TOKEN),
                                        "enableServiceLinks", false,
                                        "terminationGracePeriodSeconds", WorkloadRuntime.gracePeriodSeconds(view, workload),
                                        "securityContext", map(
                                                "runAsNonRoot", true,
                                                "runAsUser", view.get(workload, Settings.RUN_AS_USER),
                                                "runAsGroup", group,
                                                "fsGroup", group,
                                                "seccompProfile", map("type", "RuntimeDefault")),
                                        "nodeSelector", when(Ops.nonEmpty(nodeSelector), mapOf(nodeSelector)),
                                        "topologySpreadConstraints", when(Ops.greaterThan(minimumReplicas, 1), list(
                                                spread("topology.kubernetes.io/zone", selector),
                                                spread("kubernetes.io/hostname", selector))),
                                        "containers", list(container(view, workload)),
                                        "volumes", list(map("name", "tmp", "emptyDir", map()))))));
    }

    private static Node container(SettingsView view, Workload workload) {
        return map(
                "name", workload.name(),
                "image", Ops.image(view.get(Settings.IMAGE_REGISTRY), view.get(Settings.IMAGE_REPOSITORY), view.get(Settings.IMAGE_TAG)),
                "imagePullPolicy", view.get(Settings.IMAGE_PULL_POLICY),
                "command", WorkloadRuntime.command(view, workload),
                "args", WorkloadRuntime.args(workload),
                "ports", list(map("name", workload.probePortName(), "containerPort", workload.probePort(), "protocol", "TCP")),
                "env", environment(view, workload),
                "envFrom", list(map("configMapRef", map("name", Labels.applicationObject(view, "-config")))),
                "resources", map(
                        "requests", map("cpu", view.get(workload, Settings.CPU_REQUEST), "memory", view.get(workload, Settings.MEMORY_REQUEST)),
                        "limits", map("cpu", view.get(workload, Settings.CPU_LIMIT), "memory", view.get(workload, Settings.MEMORY_LIMIT))),
                "startupProbe", probe(workload, Endpoints.HEALTH_PATH, 2, 30),
                "livenessProbe", probe(workload, Endpoints.HEALTH_PATH, 10, 3),
                "readinessProbe", probe(workload, Endpoints.READY_PATH, 5, 3),
                "securityContext", map(
                        "allowPrivilegeEscalation", false,
                        "privileged", false,
                        "readOnlyRootFilesystem", view.get(workload, Settings.READ_ONLY_ROOT_FILESYSTEM),
                        "runAsNonRoot", true,
                        "capabilities", map("drop", list("ALL"))),
                "volumeMounts", list(map("name", "tmp", "mountPath", "/tmp")),
                "lifecycle", workload instanceof RestServiceModel
                        ? map("preStop", map("sleep", map("seconds", WorkloadRuntime.REST_DRAIN_SECONDS)))
                        : null);
    }

    /**
     * The contract's variables, the settings that become variables (when they have a value), the
     * Celery Secrets, the annotations' {@code @Env} that the values' {@code env} does not replace, the
     * values' {@code env} sorted by name, then {@code @SecretEnv}.
     */
    private static Node environment(SettingsView view, Workload workload) {
        List<Object> env = new ArrayList<>();
        env.add(literal(EnvVars.SERVICE_NAME, workload.name()));
        if (workload instanceof RestServiceModel service) {
            env.add(literal(EnvVars.HTTP_PORT, String.valueOf(service.port())));
        } else if (workload instanceof WorkerModel worker) {
            Expr<String> timeLimit = Ops.string(view.get(worker, Settings.TIME_LIMIT_SECONDS));
            env.add(literal(EnvVars.QUEUE_NAME, worker.queue()));
            env.add(literal(EnvVars.WORKER_POOL, worker.pool().name()));
            env.add(literal(EnvVars.WORKER_CONCURRENCY, Ops.string(view.get(worker, Settings.CONCURRENCY))));
            env.add(literal(EnvVars.METRICS_PORT, String.valueOf(worker.probePort())));
            env.add(literal(EnvVars.TASK_TIME_LIMIT_SECONDS, timeLimit));
            env.add(literal(EnvVars.SHUTDOWN_GRACE_SECONDS, timeLimit));
        }
        for (Setting<?> setting : Settings.workload(workload.kind())) {
            setting.envVar().ifPresent(name -> {
                Expr<?> value = view.get(workload, setting);
                env.add(when(Ops.nonEmpty(value), literal(name, Ops.string(value))));
            });
        }
        env.add(fromSecret(EnvVars.CELERY_BROKER_URL, view.get(Settings.BROKER_SECRET_NAME), view.get(Settings.BROKER_SECRET_KEY)));
        env.add(fromSecret(EnvVars.CELERY_RESULT_BACKEND, view.get(Settings.BACKEND_SECRET_NAME), view.get(Settings.BACKEND_SECRET_KEY)));
        Expr<SortedMap<String, String>> fromValues = view.get(workload, Settings.ENV);
        for (EnvVar declared : workload.declaredEnv()) {
            env.add(when(Ops.not(Ops.hasKey(fromValues, declared.name())), literal(declared.name(), declared.value())));
        }
        env.add(forEach(fromValues, (name, value) -> literal(name, value)));
        for (SecretEnvVar secret : workload.secretEnv()) {
            env.add(fromSecret(secret.name(), Expr.text(secret.secret()), Expr.text(secret.key())));
        }
        return list(env);
    }

    private static Node literal(Object name, Object value) {
        return map("name", name, "value", value);
    }

    private static Node fromSecret(String name, Expr<String> secret, Expr<String> key) {
        return map("name", name, "valueFrom", map("secretKeyRef", map("name", secret, "key", key)));
    }

    private static Node probe(Workload workload, String path, int periodSeconds, int failureThreshold) {
        return map(
                "httpGet", map("path", path, "port", workload.probePortName()),
                "periodSeconds", periodSeconds,
                "timeoutSeconds", 2,
                "failureThreshold", failureThreshold);
    }

    private static Node spread(String topologyKey, Node selector) {
        return map(
                "maxSkew", 1,
                "topologyKey", topologyKey,
                "whenUnsatisfiable", "ScheduleAnyway",
                "labelSelector", map("matchLabels", selector));
    }
}
