package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.contract.Launch;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;

/**
 * How the runtime is started inside the container: the launcher's command line and the pod's
 * shutdown timing. The one place that knows them, so that manifests and image cannot drift apart.
 */
public final class WorkloadRuntime {

    public static final String CLASSPATH = "/app/resources:/app/classes:/app/libs/*";
    public static final int MAX_RAM_PERCENTAGE = 75;
    /** How long a REST pod keeps serving after its endpoints are removed, so the load balancer stops first. */
    public static final int REST_DRAIN_SECONDS = 10;
    /** preStop pause plus time for in-flight requests to finish. */
    public static final int REST_GRACE_SECONDS = 45;
    /** Added to a worker's task time limit: time to ack or requeue and close connections. */
    public static final int WORKER_SHUTDOWN_SECONDS = 30;

    private WorkloadRuntime() {}

    /** {@code java <jvm options> -cp <classpath> app.growbin.runtime.Launcher}; one processor below one core. */
    static Node command(SettingsView view, Workload workload) {
        return list("java",
                "-XX:MaxRAMPercentage=" + MAX_RAM_PERCENTAGE + ".0",
                "-XX:+ExitOnOutOfMemoryError",
                when(Ops.belowOneCpu(view.get(workload, Settings.CPU_LIMIT)), "-XX:ActiveProcessorCount=1"),
                "-cp",
                CLASSPATH,
                Launch.LAUNCHER_CLASS);
    }

    /** {@code rest <name>} or {@code worker <name>}. */
    static Node args(Workload workload) {
        return list(workload.kind() == WorkloadKind.REST ? Launch.REST : Launch.WORKER, workload.name());
    }

    /** REST: drain behind the load balancer; workers: let the longest task finish, then requeue. */
    static Expr<Integer> gracePeriodSeconds(SettingsView view, Workload workload) {
        return workload instanceof WorkerModel
                ? Ops.add(view.get(workload, Settings.TIME_LIMIT_SECONDS), WORKER_SHUTDOWN_SECONDS)
                : Expr.number(REST_GRACE_SECONDS);
    }
}
