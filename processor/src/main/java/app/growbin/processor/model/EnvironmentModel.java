package app.growbin.processor.model;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * The whole application as deployed to one environment: every value final, every list sorted.
 *
 * @param name the environment, from {@code values-<name>.yaml}
 * @param environment {@code global.environment}, such as {@code production}
 * @param config the non-secret settings of the shared ConfigMap
 * @param queueDepthThresholds per worker name
 * @param disabled names of declared workloads left out in this environment, as {@code rest/<name>}
 */
public record EnvironmentModel(
        String name,
        String appName,
        String environment,
        String domain,
        ImageSpec image,
        SecretRef brokerSecret,
        SecretRef backendSecret,
        IngressSpec ingress,
        MonitoringSpec monitoring,
        NetworkPolicySpec networkPolicy,
        GitOpsSpec gitOps,
        SortedMap<String, String> config,
        List<RestServiceModel> restServices,
        List<WorkerModel> workers,
        Map<String, Integer> queueDepthThresholds,
        List<String> disabled) {

    public EnvironmentModel {
        config = Workload.sorted(config);
        restServices = List.copyOf(restServices);
        workers = List.copyOf(workers);
        queueDepthThresholds = Map.copyOf(queueDepthThresholds);
        disabled = List.copyOf(disabled);
    }

    /** {@code <app>-api-rest-<name>} or {@code <app>-api-async-<name>}. */
    public String objectName(Workload workload) {
        return appName + "-" + workload.kind().component() + "-" + workload.name();
    }

    public String configMapName() {
        return appName + "-config";
    }

    public int queueDepthThreshold(WorkerModel worker) {
        return queueDepthThresholds.getOrDefault(worker.name(), monitoring.queueDepthThreshold());
    }
}
