package app.growbin.processor.render;

import app.growbin.contract.Endpoints;
import app.growbin.contract.Launch;
import app.growbin.processor.model.Workload;
import app.growbin.processor.read.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * How the runtime is started inside the container: the command line of the launcher and its
 * environment contract. Kept in one place so manifests and runtime cannot drift apart.
 */
public final class WorkloadRuntime {

    public static final String LAUNCHER = Launch.LAUNCHER_CLASS;
    public static final String CLASSPATH = "/app/resources:/app/classes:/app/libs/*";
    public static final int MAX_RAM_PERCENTAGE = 75;
    public static final String HEALTH_PATH = Endpoints.HEALTH_PATH;
    public static final String READY_PATH = Endpoints.READY_PATH;
    public static final String METRICS_PATH = Endpoints.METRICS_PATH;
    public static final int REST_DRAIN_SECONDS = 10;
    /** preStop pause plus time for in-flight requests to finish. */
    public static final long REST_GRACE_SECONDS = 45L;
    /** Added to a worker's task time limit: time to ack or requeue and close connections. */
    public static final long WORKER_SHUTDOWN_SECONDS = 30L;

    private WorkloadRuntime() {}

    /** {@code java <jvm options> -cp <classpath> app.growbin.runtime.Launcher}. */
    public static List<String> command(Workload workload) {
        List<String> command = new ArrayList<>();
        command.add("java");
        command.add("-XX:MaxRAMPercentage=" + MAX_RAM_PERCENTAGE + ".0");
        command.add("-XX:+ExitOnOutOfMemoryError");
        Quantity.parse(workload.resources().cpuLimit())
                .filter(cores -> cores.compareTo(BigDecimal.ONE) < 0)
                .ifPresent(below -> command.add("-XX:ActiveProcessorCount=1"));
        command.add("-cp");
        command.add(CLASSPATH);
        command.add(LAUNCHER);
        return command;
    }

    /** REST: drain behind the load balancer; workers: let the longest task finish, then requeue. */
    public static long gracePeriodSeconds(Workload workload) {
        return workload instanceof app.growbin.processor.model.WorkerModel worker
                ? worker.timeLimitSeconds() + WORKER_SHUTDOWN_SECONDS
                : REST_GRACE_SECONDS;
    }

    /** {@code rest <name>} or {@code worker <name>}. */
    public static List<String> args(Workload workload) {
        return List.of(workload.kind() == app.growbin.processor.model.WorkloadKind.REST ? Launch.REST : Launch.WORKER, workload.name());
    }
}
