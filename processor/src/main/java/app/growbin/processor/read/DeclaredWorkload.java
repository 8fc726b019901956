package app.growbin.processor.read;

import app.growbin.annotations.Pool;
import app.growbin.processor.settings.WorkloadKind;
import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@code @RestService} or {@code @AsyncWorker} class says, value by value, each with the
 * place it was written. Nothing here is checked yet.
 *
 * @param site the class itself: its element when this compilation compiles it, else its declaration record
 * @param instantiable a public class with a public no-argument constructor, which generated code can create
 * @param implementsRestApi for REST services when the runtime is on the classpath: whether the class is a {@code RestApi}
 * @param address the REST path or the worker queue
 * @param name the explicit name, or the one derived from the address (then its site is the address)
 * @param port REST only, else empty
 * @param pool workers only, else empty
 * @param concurrency workers only, else empty
 * @param timeLimitSeconds workers only, else empty
 * @param autoscalingDefaults where an autoscaler that only the values files turn on starts
 * @param httpLimits REST only: {@code @HttpLimits} by member name (0: the runtime's default), else empty
 * @param misplacedHttpLimits workers only: where an {@code @HttpLimits} stands that a worker cannot use
 * @param sendsTo {@code @SendsTasks.value}: the workers (class names) this class sends tasks to
 * @param chain {@code @SendsTasks.chain}: the workers of the chain this class sends, in order
 * @param slo {@code @Slo}'s members, or its defaults (no objective) when the class has none
 */
public record DeclaredWorkload(
        WorkloadKind kind,
        Site site,
        String className,
        boolean concrete,
        boolean instantiable,
        Optional<Boolean> implementsRestApi,
        Located<String> address,
        Located<String> name,
        Located<Integer> replicas,
        Optional<Located<Integer>> port,
        Optional<Located<Pool>> pool,
        Optional<Located<Integer>> concurrency,
        Optional<Located<Integer>> timeLimitSeconds,
        Located<Boolean> enabled,
        DeclaredResources resources,
        List<DeclaredPair> nodeSelector,
        Optional<DeclaredAutoscaling> autoscaling,
        AutoscalingDefaults autoscalingDefaults,
        Map<String, Located<Integer>> httpLimits,
        Optional<Site> misplacedHttpLimits,
        List<DeclaredPair> env,
        List<DeclaredSecretEnv> secretEnv,
        List<DeclaredTask> tasks,
        List<Located<String>> sendsTo,
        List<Located<String>> chain,
        DeclaredSlo slo) {

    public DeclaredWorkload {
        sendsTo = List.copyOf(sendsTo);
        chain = List.copyOf(chain);
        nodeSelector = List.copyOf(nodeSelector);
        httpLimits = Map.copyOf(httpLimits);
        env = List.copyOf(env);
        secretEnv = List.copyOf(secretEnv);
        tasks = List.copyOf(tasks);
    }

    /** {@code api.rest.waste} or {@code api.async.vision}: its section in the values files. */
    public String valuesKey() {
        return "api." + kind.valuesKey() + "." + name.value();
    }

    public String annotationName() {
        return kind == WorkloadKind.REST ? "@RestService" : "@AsyncWorker";
    }

    /**
     * {@code @Slo}: each member with its site (the class for the defaults of an absent annotation).
     *
     * @param annotation where {@code @Slo} stands, when the class carries it
     */
    public record DeclaredSlo(Located<Double> availability, Located<Double> latencyPercentile, Located<Double> latencyThresholdSeconds,
                              Optional<Site> annotation) {

        /** The member of that name, such as {@code availability}. */
        public Located<Double> member(String name) {
            return switch (name) {
                case "availability" -> availability;
                case "latencyPercentile" -> latencyPercentile;
                case "latencyThresholdSeconds" -> latencyThresholdSeconds;
                default -> throw new IllegalArgumentException("@Slo has no member " + name);
            };
        }
    }

    /** {@code @Resources} members, or the annotation's defaults (sited on the class) when absent. */
    public record DeclaredResources(Located<String> cpu, Located<String> memory, Located<String> cpuLimit, Located<String> memoryLimit) {}

    /** {@code @Autoscaling}; {@code cpuTargetExplicit} tells whether targetCpuUtilization was written out. */
    public record DeclaredAutoscaling(Located<Integer> minReplicas, Located<Integer> maxReplicas, Located<Integer> targetCpuUtilization,
                                      Located<Integer> queueLength, boolean cpuTargetExplicit) {}

    /** {@code @Autoscaling}'s member defaults, sited at the class: where values-enabled autoscaling starts. */
    public record AutoscalingDefaults(Located<Integer> minReplicas, Located<Integer> targetCpuUtilization, Located<Integer> queueLength) {}

    /** A key and value of a repeatable annotation: {@code @NodeSelector} or {@code @Env}. */
    public record DeclaredPair(Located<String> key, Located<String> value) {}

    public record DeclaredSecretEnv(Located<String> name, Located<String> secret, Located<String> key) {}

    /**
     * A {@code @Task} method.
     *
     * @param parameterTypes canonical types, generics included
     */
    public record DeclaredTask(
            Located<String> name,
            String methodName,
            List<String> parameterNames,
            List<String> parameterTypes,
            String returnType,
            boolean callable) {

        public DeclaredTask {
            parameterNames = List.copyOf(parameterNames);
            parameterTypes = List.copyOf(parameterTypes);
        }
    }
}
