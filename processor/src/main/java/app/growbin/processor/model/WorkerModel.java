package app.growbin.processor.model;

import app.growbin.annotations.Pool;
import app.growbin.contract.Endpoints;
import app.growbin.processor.settings.SettingValues;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;
import java.util.List;
import java.util.Optional;

/** An {@code @AsyncWorker}: its contract (queue, pool, tasks) and its settings in one environment. */
public record WorkerModel(
        String name,
        String sourceClass,
        String queue,
        Pool pool,
        List<TaskModel> tasks,
        List<EnvVar> declaredEnv,
        List<SecretEnvVar> secretEnv,
        SettingValues settings)
        implements Workload {

    public WorkerModel {
        tasks = List.copyOf(tasks);
        declaredEnv = List.copyOf(declaredEnv);
        secretEnv = List.copyOf(secretEnv);
    }

    @Override
    public WorkloadKind kind() {
        return WorkloadKind.ASYNC;
    }

    public int concurrency() {
        return get(Settings.CONCURRENCY);
    }

    public int timeLimitSeconds() {
        return get(Settings.TIME_LIMIT_SECONDS);
    }

    /** This worker's queue alert threshold, when it sets its own. */
    public Optional<Integer> queueDepthThreshold() {
        return settings().find(Settings.WORKER_QUEUE_DEPTH_THRESHOLD);
    }

    @Override
    public int probePort() {
        return Endpoints.WORKER_METRICS_PORT;
    }

    @Override
    public String probePortName() {
        return Endpoints.METRICS_PORT_NAME;
    }
}
