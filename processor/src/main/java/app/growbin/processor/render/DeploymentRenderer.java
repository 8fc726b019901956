package app.growbin.processor.render;

import app.growbin.contract.EnvVars;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.EnvVar;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.SecretEnvVar;
import app.growbin.processor.model.SecretRef;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A workload's Deployment: the launcher, its ports, probes, resources and a locked-down pod. */
final class DeploymentRenderer {

    /** Changes with the shared ConfigMap's data, so that a config change rolls the pods that read it. */
    static final String CONFIG_HASH = "growbin.app/config-hash";

    Deployment render(EnvironmentModel environment, Workload workload) {
        Map<String, String> selector = Labels.selector(environment, workload);
        boolean spread = workload.minimumReplicas() > 1;
        return new DeploymentBuilder()
                .withNewMetadata()
                    .withName(environment.objectName(workload))
                    .withLabels(Labels.of(environment, workload))
                .endMetadata()
                .withNewSpec()
                    .withReplicas(workload.autoscaling().isPresent() ? null : workload.replicas())
                    .withRevisionHistoryLimit(5)
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            .withMaxSurge(new IntOrString("25%"))
                            .withMaxUnavailable(new IntOrString(0))
                        .endRollingUpdate()
                    .endStrategy()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(Labels.of(environment, workload))
                            .addToAnnotations(CONFIG_HASH, configHash(environment))
                        .endMetadata()
                        .withNewSpec()
                            .withServiceAccountName(workload.security().serviceAccountName().orElse(null))
                            .withAutomountServiceAccountToken(workload.security().automountToken())
                            .withEnableServiceLinks(false)
                            .withTerminationGracePeriodSeconds(WorkloadRuntime.gracePeriodSeconds(workload))
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(workload.security().runAsUser())
                                .withRunAsGroup(workload.security().runAsGroup())
                                .withFsGroup(workload.security().runAsGroup())
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .withNodeSelector(workload.nodeSelector().isEmpty() ? null : workload.nodeSelector())
                            .withTopologySpreadConstraints(spread ? spreadConstraints(selector) : List.of())
                            .withContainers(container(environment, workload))
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private Container container(EnvironmentModel environment, Workload workload) {
        boolean rest = workload instanceof RestServiceModel;
        ContainerBuilder container = new ContainerBuilder()
                .withName(workload.name())
                .withImage(environment.image().reference())
                .withImagePullPolicy(environment.image().pullPolicy())
                .withCommand(WorkloadRuntime.command(workload))
                .withArgs(WorkloadRuntime.args(workload))
                .addNewPort().withName(workload.probePortName()).withContainerPort(workload.probePort()).withProtocol("TCP").endPort()
                .withEnv(environment(environment, workload))
                .addNewEnvFrom().withNewConfigMapRef().withName(environment.configMapName()).endConfigMapRef().endEnvFrom()
                .withNewResources()
                    .addToRequests("cpu", new Quantity(workload.resources().cpuRequest()))
                    .addToRequests("memory", new Quantity(workload.resources().memoryRequest()))
                    .addToLimits("cpu", new Quantity(workload.resources().cpuLimit()))
                    .addToLimits("memory", new Quantity(workload.resources().memoryLimit()))
                .endResources()
                .withStartupProbe(probe(workload, WorkloadRuntime.HEALTH_PATH, 2, 30))
                .withLivenessProbe(probe(workload, WorkloadRuntime.HEALTH_PATH, 10, 3))
                .withReadinessProbe(probe(workload, WorkloadRuntime.READY_PATH, 5, 3))
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withPrivileged(false)
                    .withReadOnlyRootFilesystem(workload.security().readOnlyRootFilesystem())
                    .withRunAsNonRoot(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount();
        if (rest) {
            container.withNewLifecycle()
                    .withNewPreStop().withNewSleep().withSeconds((long) WorkloadRuntime.REST_DRAIN_SECONDS).endSleep().endPreStop()
                    .endLifecycle();
        }
        return container.build();
    }

    static String configHash(EnvironmentModel environment) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            environment.config().forEach((key, value) -> {
                digest.update(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Probe probe(Workload workload, String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(workload.probePortName())).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }

    private static List<io.fabric8.kubernetes.api.model.EnvVar> environment(EnvironmentModel environment, Workload workload) {
        List<io.fabric8.kubernetes.api.model.EnvVar> env = new ArrayList<>();
        env.add(literal(EnvVars.SERVICE_NAME, workload.name()));
        if (workload instanceof RestServiceModel rest) {
            env.add(literal(EnvVars.HTTP_PORT, String.valueOf(rest.port())));
        } else if (workload instanceof WorkerModel worker) {
            env.add(literal(EnvVars.QUEUE_NAME, worker.queue()));
            env.add(literal(EnvVars.WORKER_POOL, worker.pool().name()));
            env.add(literal(EnvVars.WORKER_CONCURRENCY, String.valueOf(worker.concurrency())));
            env.add(literal(EnvVars.METRICS_PORT, String.valueOf(WorkerModel.METRICS_PORT)));
            env.add(literal(EnvVars.TASK_TIME_LIMIT_SECONDS, String.valueOf(worker.timeLimitSeconds())));
            env.add(literal(EnvVars.SHUTDOWN_GRACE_SECONDS, String.valueOf(worker.timeLimitSeconds())));
        }
        env.add(fromSecret(EnvVars.CELERY_BROKER_URL, environment.brokerSecret()));
        env.add(fromSecret(EnvVars.CELERY_RESULT_BACKEND, environment.backendSecret()));
        for (EnvVar variable : workload.env()) {
            env.add(literal(variable.name(), variable.value()));
        }
        for (SecretEnvVar variable : workload.secretEnv()) {
            env.add(fromSecret(variable.name(), new SecretRef(variable.secret(), variable.key())));
        }
        return env;
    }

    private static io.fabric8.kubernetes.api.model.EnvVar literal(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static io.fabric8.kubernetes.api.model.EnvVar fromSecret(String name, SecretRef secret) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret.name()).withKey(secret.key()).endSecretKeyRef().endValueFrom()
                .build();
    }

    private static List<TopologySpreadConstraint> spreadConstraints(Map<String, String> selector) {
        List<TopologySpreadConstraint> constraints = new ArrayList<>();
        for (String topologyKey : List.of("topology.kubernetes.io/zone", "kubernetes.io/hostname")) {
            constraints.add(new TopologySpreadConstraintBuilder()
                    .withMaxSkew(1)
                    .withTopologyKey(topologyKey)
                    .withWhenUnsatisfiable("ScheduleAnyway")
                    .withNewLabelSelector().withMatchLabels(selector).endLabelSelector()
                    .build());
        }
        return constraints;
    }
}
