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
import java.util.ArrayList;
import java.util.List;

/**
 * How the runtime is started inside the container: the launcher's command line and the pod's
 * shutdown timing. The one place that knows them, so that manifests and image cannot drift apart.
 */
public final class WorkloadRuntime {

    public static final String CLASSPATH = "/app/resources:/app/classes:/app/libs/*";
    /** Every container: a JVM out of memory exits (and is restarted) rather than limping on. */
    public static final String EXIT_ON_OOM = "-XX:+ExitOnOutOfMemoryError";
    /** Memory limits up to this size get {@link #SMALL_LIMIT_OPTIONS}. */
    public static final int SMALL_LIMIT_MIB = 256;
    /** Memory limits above {@link #SMALL_LIMIT_MIB} and up to this size get {@link #MEDIUM_LIMIT_OPTIONS}. */
    public static final int MEDIUM_LIMIT_MIB = 512;
    /**
     * Up to 256Mi (the seed's users, auth and rag): the serial collector; C1 only, which needs no C2
     * compiler arenas and a third of the code cache; a heap of 35 % of the limit, given both as the
     * small-memory and the large-memory percentage (below about 512 MB the JVM sizes the heap with
     * {@code MinRAMPercentage}, 50 % by default, and ignores {@code MaxRAMPercentage}); ceilings for
     * thread stacks, code cache, metaspace and direct buffers, so that their sum with the heap stays
     * inside the limit. Measured in bench/memory.sh (docs/benchmarks.md, "Memory").
     */
    public static final List<String> SMALL_LIMIT_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-XX:MinRAMPercentage=35.0", "-XX:MaxRAMPercentage=35.0", "-Xss512k", "-XX:ReservedCodeCacheSize=32m",
            "-XX:MaxMetaspaceSize=64m", "-XX:MaxDirectMemorySize=32m");
    /** Up to 512Mi (waste and the other workers): as above with C2, a heap of 50 % and larger ceilings. */
    public static final List<String> MEDIUM_LIMIT_OPTIONS = List.of("-XX:+UseSerialGC",
            "-XX:MinRAMPercentage=50.0", "-XX:MaxRAMPercentage=50.0", "-Xss512k", "-XX:ReservedCodeCacheSize=64m",
            "-XX:MaxMetaspaceSize=96m", "-XX:MaxDirectMemorySize=64m");
    /** Above 512Mi: the JVM's own choices, with three quarters of the limit for the heap. */
    public static final List<String> LARGE_LIMIT_OPTIONS = List.of("-XX:MaxRAMPercentage=75.0");
    /** How long a REST pod keeps serving after its endpoints are removed, so the load balancer stops first. */
    public static final int REST_DRAIN_SECONDS = 10;
    /** preStop pause plus time for in-flight requests to finish. */
    public static final int REST_GRACE_SECONDS = 45;
    /** Added to a worker's task time limit: time to ack or requeue and close connections. */
    public static final int WORKER_SHUTDOWN_SECONDS = 30;

    private WorkloadRuntime() {}

    /**
     * {@code java <jvm options> -cp <classpath> app.growbin.runtime.Launcher}: {@link #EXIT_ON_OOM}; one
     * processor below one core; the options of the memory limit's bracket.
     */
    static Node command(SettingsView view, Workload workload) {
        Expr<String> memory = view.get(workload, Settings.MEMORY_LIMIT);
        Expr<Boolean> small = Ops.memoryAtMost(memory, SMALL_LIMIT_MIB);
        Expr<Boolean> upToMedium = Ops.memoryAtMost(memory, MEDIUM_LIMIT_MIB);
        Expr<Boolean> medium = Ops.and(Ops.not(small), upToMedium);
        Expr<Boolean> large = Ops.not(upToMedium);
        List<Object> items = new ArrayList<>();
        items.add("java");
        items.add(EXIT_ON_OOM);
        items.add(when(Ops.belowOneCpu(view.get(workload, Settings.CPU_LIMIT)), "-XX:ActiveProcessorCount=1"));
        SMALL_LIMIT_OPTIONS.forEach(option -> items.add(when(small, option)));
        MEDIUM_LIMIT_OPTIONS.forEach(option -> items.add(when(medium, option)));
        LARGE_LIMIT_OPTIONS.forEach(option -> items.add(when(large, option)));
        items.add("-cp");
        items.add(CLASSPATH);
        items.add(Launch.LAUNCHER_CLASS);
        return list(items);
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
