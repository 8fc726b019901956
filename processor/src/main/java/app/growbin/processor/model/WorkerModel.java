package app.growbin.processor.model;

import app.growbin.annotations.Pool;
import app.growbin.contract.Endpoints;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/** One enabled queue worker in one environment, every value final. */
public record WorkerModel(
        String name,
        String sourceClass,
        String queue,
        Pool pool,
        int concurrency,
        int replicas,
        ResourceSpec resources,
        SortedMap<String, String> nodeSelector,
        Optional<AutoscalingSpec> autoscaling,
        List<EnvVar> env,
        List<SecretEnvVar> secretEnv,
        PodSecurity security,
        int timeLimitSeconds,
        List<TaskModel> tasks)
        implements Workload {

    /** The port a worker serves {@code /health}, {@code /ready} and {@code /metrics} on. */
    public static final int METRICS_PORT = Endpoints.WORKER_METRICS_PORT;

    public WorkerModel {
        nodeSelector = Workload.sorted(nodeSelector);
        env = List.copyOf(env);
        secretEnv = List.copyOf(secretEnv);
        tasks = List.copyOf(tasks);
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.ASYNC;
    }

    @Override
    public int probePort() {
        return METRICS_PORT;
    }

    @Override
    public String probePortName() {
        return Endpoints.METRICS_PORT_NAME;
    }
}
