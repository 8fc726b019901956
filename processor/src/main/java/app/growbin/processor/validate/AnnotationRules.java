package app.growbin.processor.validate;

import app.growbin.annotations.Pool;
import app.growbin.contract.EnvVars;
import app.growbin.processor.settings.SettingScope;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;
import app.growbin.processor.problem.Problem;
import app.growbin.processor.problem.Rule;
import app.growbin.processor.read.Declarations;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.site.Located;
import app.growbin.processor.read.Quantity;
import app.growbin.processor.site.Site;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The rules on what the annotations say, independent of any values file. */
final class AnnotationRules {

    /**
     * Variables the manifests set themselves (the contract's, and those the settings table turns into
     * variables, such as {@code HTTP_MAX_BODY_BYTES}); a service may not declare them again.
     */
    static final Set<String> RESERVED_ENV = reservedEnv();

    private static Set<String> reservedEnv() {
        Set<String> reserved = new java.util.TreeSet<>(EnvVars.RESERVED);
        Settings.ALL.forEach(s -> reserved.addAll(s.variables()));
        return java.util.Collections.unmodifiableSet(reserved);
    }

    private final ProblemList problems;

    AnnotationRules(ProblemList problems) {
        this.problems = problems;
    }

    void check(Declarations declarations) {
        Map<String, DeclaredWorkload> paths = new HashMap<>();
        Map<String, DeclaredWorkload> queues = new HashMap<>();
        Map<String, DeclaredWorkload> names = new HashMap<>();
        Map<String, String> restTypes = new HashMap<>();
        Map<String, String> taskOwners = new HashMap<>();
        for (DeclaredWorkload workload : declarations.workloads()) {
            checkShape(workload, restTypes, declarations.runtimeOnClasspath());
            boolean addressValid = checkAddress(workload);
            // A name derived from a bad path or queue is bad for the same reason: report the address only.
            if (addressValid || !nameDerivedFromAddress(workload)) {
                checkName(workload, names);
            }
            if (workload.kind() == WorkloadKind.REST) {
                firstOnly(paths, normalizedPath(workload.address().value()), workload, Rule.DUPLICATE_PATH, "path");
            } else {
                firstOnly(queues, workload.address().value(), workload, Rule.DUPLICATE_QUEUE, "queue");
            }
            checkCounts(workload);
            checkResources(workload.resources().cpu(), workload.resources().cpuLimit(), "cpu", "cpuLimit");
            checkResources(workload.resources().memory(), workload.resources().memoryLimit(), "memory", "memoryLimit");
            workload.autoscaling().ifPresent(autoscaling -> checkAutoscaling(workload, autoscaling));
            workload.timeLimitSeconds().ifPresent(limit -> checkTimeLimit(limit, problems));
            EnvironmentRules.checkNodeSelector(workload.nodeSelector(), problems);
            checkEnvironment(workload);
            checkHttpLimits(workload);
            checkTasks(workload, taskOwners);
        }
        checkTaskCalls(declarations);
        for (Site orphan : declarations.orphanTasks()) {
            problems.add(Rule.TASK_OUTSIDE_WORKER, orphan,
                    "@Task is only meaningful on a method of an @AsyncWorker class; annotate the class with @AsyncWorker or remove @Task");
        }
        for (Located<String> orphan : declarations.orphanModifiers()) {
            problems.add(Rule.MODIFIER_WITHOUT_KIND, orphan.site(),
                    orphan.value() + " has no effect on a class that is neither @RestService nor @AsyncWorker; add one of them or remove it");
        }
    }

    /** {@code @HttpLimits}: REST services only, every member 0 (the runtime's default) or more. */
    private void checkHttpLimits(DeclaredWorkload workload) {
        workload.misplacedHttpLimits().ifPresent(site -> problems.add(Rule.MODIFIER_NOT_APPLICABLE, site,
                "@HttpLimits applies to @RestService classes; a worker serves only its probes and metrics: remove it"));
        workload.httpLimits().forEach((member, value) -> {
            if (value.value() < 0) {
                problems.add(Rule.SETTING_RANGE, value.site(), "@HttpLimits." + member + " is " + value.value()
                        + "; use 0 for the runtime's default or a positive number");
            }
        });
    }

    private void checkShape(DeclaredWorkload workload, Map<String, String> restTypes, boolean generatesCatalog) {
        Site annotation = annotationSite(workload);
        if (!workload.concrete()) {
            problems.add(Rule.NOT_CONCRETE, annotation, workload.annotationName() + " must be on a concrete class, but "
                    + workload.className() + " is an interface or abstract class; the launcher must be able to create it");
        }
        if (generatesCatalog && workload.concrete() && !workload.instantiable()) {
            problems.add(Rule.NOT_INSTANTIABLE, annotation, workload.className()
                    + " needs to be a public top-level (or static nested) class with a public no-argument constructor: the generated catalog creates it");
        }
        if (workload.implementsRestApi().filter(implemented -> !implemented).isPresent()) {
            problems.add(Rule.NOT_REST_API, annotation, workload.className()
                    + " must implement app.growbin.runtime.RestApi (its routes(...) method registers the service's routes) so the launcher can start it");
        }
        if (workload.kind() == WorkloadKind.REST) {
            restTypes.put(workload.className(), workload.className());
        } else if (restTypes.containsKey(workload.className())) {
            problems.add(Rule.BOTH_KINDS, annotation, workload.className()
                    + " has both @RestService and @AsyncWorker; a class is one or the other: move the tasks to a separate worker class");
        }
    }

    /** Reports a malformed path or queue; true when the address is fine. */
    private boolean checkAddress(DeclaredWorkload workload) {
        String address = workload.address().value();
        if (workload.kind() == WorkloadKind.REST) {
            if (!address.startsWith("/")) {
                problems.add(Rule.PATH_FORMAT, workload.address().site(), "@RestService.path '" + address
                        + "' must start with '/', as in '/" + address + "'");
                return false;
            } else if (!Names.PATH.matcher(address).matches() || address.contains("//")) {
                problems.add(Rule.PATH_FORMAT, workload.address().site(), "@RestService.path '" + address
                        + "' may contain only letters, digits, '-', '_', '.', '~' and single '/' between segments");
                return false;
            }
            return true;
        } else if (address.isBlank()) {
            problems.add(Rule.QUEUE_FORMAT, workload.address().site(), "@AsyncWorker.queue is empty; name the RabbitMQ queue, such as 'q.vision'");
            return false;
        } else if (!Names.QUEUE.matcher(address).matches()) {
            problems.add(Rule.QUEUE_FORMAT, workload.address().site(), "@AsyncWorker.queue '" + address
                    + "' may contain only letters, digits, '.', '_', ':' and '-'");
            return false;
        }
        return true;
    }

    private static boolean nameDerivedFromAddress(DeclaredWorkload workload) {
        return workload.name().site().equals(workload.address().site());
    }

    private void checkName(DeclaredWorkload workload, Map<String, DeclaredWorkload> names) {
        String name = workload.name().value();
        if (!Names.isDnsLabel(name)) {
            problems.add(Rule.NAME_FORMAT, workload.name().site(), "the name '" + name + "' of " + workload.className()
                    + " is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63); set "
                    + workload.annotationName() + ".name, for example '" + suggestName(name) + "'");
            return;
        }
        firstOnly(names, workload.kind().valuesKey() + "/" + name, workload, Rule.DUPLICATE_NAME, "name");
    }

    private void checkCounts(DeclaredWorkload workload) {
        Located<Integer> replicas = workload.replicas();
        if (replicas.value() < 0) {
            problems.add(Rule.REPLICAS_RANGE, replicas.site(), workload.annotationName() + ".replicas is " + replicas.value()
                    + "; it must be 0 or more");
        }
        workload.port().ifPresent(port -> {
            if (port.value() < 1 || port.value() > 65535) {
                problems.add(Rule.PORT_RANGE, port.site(), "@RestService.port is " + port.value() + "; it must be between 1 and 65535");
            }
        });
        workload.concurrency().ifPresent(concurrency -> checkConcurrency(concurrency, workload.pool().map(Located::value).orElse(Pool.PROCESSES), problems));
    }

    static void checkConcurrency(Located<Integer> concurrency, Pool pool, ProblemList problems) {
        if (concurrency.value() < 1) {
            problems.add(Rule.CONCURRENCY_RANGE, concurrency.site(), "concurrency is " + concurrency.value() + "; it must be at least 1");
        } else if (pool == Pool.SOLO && concurrency.value() != 1) {
            problems.add(Rule.CONCURRENCY_RANGE, concurrency.site(), "concurrency is " + concurrency.value()
                    + " but the SOLO pool runs one task at a time; set concurrency to 1 or choose another pool");
        }
    }

    private void checkResources(Located<String> request, Located<String> limit, String requestMember, String limitMember) {
        Optional<BigDecimal> requested = EnvironmentRules.quantity(request, requestMember, problems);
        Optional<BigDecimal> limited = EnvironmentRules.quantity(limit, limitMember, problems);
        if (requested.isPresent() && limited.isPresent() && requested.get().compareTo(limited.get()) > 0) {
            problems.add(Rule.REQUEST_ABOVE_LIMIT, request.site(), "@Resources." + requestMember + " '" + request.value()
                    + "' is above @Resources." + limitMember + " '" + limit.value() + "'; a request may not exceed its limit");
        }
    }

    private void checkAutoscaling(DeclaredWorkload workload, DeclaredWorkload.DeclaredAutoscaling autoscaling) {
        EnvironmentRules.checkAutoscaling(autoscaling.minReplicas(), Optional.of(autoscaling.maxReplicas()),
                autoscaling.targetCpuUtilization(), autoscaling.minReplicas().site(), problems);
        EnvironmentRules.checkAutoscalingMode(workload.kind(), autoscaling.queueLength(), autoscaling.cpuTargetExplicit(), problems);
    }

    static void checkTimeLimit(Located<Integer> limit, ProblemList problems) {
        if (limit.value() < 1) {
            problems.add(Rule.TIME_LIMIT_RANGE, limit.site(), "timeLimitSeconds is " + limit.value()
                    + "; a task needs at least 1 second (it also sets the pod's termination grace period)");
        }
    }

    private void checkEnvironment(DeclaredWorkload workload) {
        Map<String, Site> seen = new HashMap<>();
        for (DeclaredWorkload.DeclaredPair env : workload.env()) {
            checkEnvName(env.key(), seen, "@Env");
            EnvironmentRules.checkLiteral(env.key().value(), env.value(), problems,
                    "declare it with @SecretEnv(name = \"" + env.key().value() + "\", secret = ..., key = ...) instead");
        }
        for (DeclaredWorkload.DeclaredSecretEnv secret : workload.secretEnv()) {
            checkEnvName(secret.name(), seen, "@SecretEnv");
            if (!Names.isSecretName(secret.secret().value())) {
                problems.add(Rule.SECRET_REF_FORMAT, secret.secret().site(), "@SecretEnv.secret '" + secret.secret().value()
                        + "' is not a valid Secret name (DNS-1123 subdomain: lower-case letters, digits, '-' and '.')");
            }
            if (!Names.SECRET_KEY.matcher(secret.key().value()).matches()) {
                problems.add(Rule.SECRET_REF_FORMAT, secret.key().site(), "@SecretEnv.key '" + secret.key().value()
                        + "' is not a valid Secret key (letters, digits, '-', '_' and '.')");
            }
        }
    }

    /** {@code "; set it with @HttpLimits.maxBodyBytes or api.<kind>.<name>.http.maxBodyBytes"} for a variable a setting owns. */
    static String settingHint(String variable) {
        return Settings.ALL.stream().filter(s -> s.variables().contains(variable)).findFirst()
                .map(s -> "; set it with " + s.annotationMember().map(m -> m + " or ").orElse("")
                        + (s.scope() == SettingScope.APPLICATION ? s.key() : "api.<kind>.<name>." + s.key()))
                .orElse("");
    }

    private void checkEnvName(Located<String> name, Map<String, Site> seen, String annotation) {
        String text = name.value();
        if (!Names.ENV_NAME.matcher(text).matches()) {
            problems.add(Rule.ENV_NAME_FORMAT, name.site(), annotation + ".name '" + text
                    + "' is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
        } else if (RESERVED_ENV.contains(text)) {
            problems.add(Rule.DUPLICATE_ENV, name.site(), annotation + ".name '" + text
                    + "' is set by Growbin itself from the annotations and values; remove it" + settingHint(text));
        } else if (seen.putIfAbsent(text, name.site()) != null) {
            problems.add(Rule.DUPLICATE_ENV, name.site(), "the environment variable '" + text + "' is declared twice; keep one");
        }
    }

    private void checkTasks(DeclaredWorkload workload, Map<String, String> taskOwners) {
        if (workload.kind() != WorkloadKind.ASYNC) {
            return;
        }
        if (workload.tasks().isEmpty()) {
            problems.add(Rule.WORKER_WITHOUT_TASKS, annotationSite(workload), workload.className()
                    + " declares no @Task method, so its worker would consume messages it cannot run; add a public @Task method");
        }
        for (DeclaredWorkload.DeclaredTask task : workload.tasks()) {
            String owner = workload.className() + "." + task.methodName();
            String previous = taskOwners.putIfAbsent(task.name().value(), owner);
            if (previous != null) {
                problems.add(Rule.DUPLICATE_TASK, task.name().site(), "the task name '" + task.name().value()
                        + "' is already used by " + previous + "; task names are unique in an application");
            }
            if (task.name().value().isBlank() || task.name().value().chars().anyMatch(Character::isWhitespace)) {
                problems.add(Rule.TASK_SIGNATURE, task.name().site(), "the task name '" + task.name().value() + "' must be non-empty and without spaces");
            }
            if (!task.callable()) {
                problems.add(Rule.TASK_SIGNATURE, task.name().site(), "@Task method " + owner
                        + " must be public, not static and not generic, so the generated dispatcher can call it");
            }
        }
    }

    /** Every class {@code @SendsTasks} names is a worker of the application. */
    private void checkTaskCalls(Declarations declarations) {
        Set<String> workers = new HashSet<>();
        declarations.workloads().stream().filter(w -> w.kind() == WorkloadKind.ASYNC).forEach(w -> workers.add(w.className()));
        for (DeclaredWorkload workload : declarations.workloads()) {
            for (Located<String> target : concat(workload.sendsTo(), workload.chain())) {
                if (!workers.contains(target.value())) {
                    problems.add(Rule.SENDS_TASKS_TARGET, target.site(), "@SendsTasks of " + workload.className() + " names "
                            + target.value() + ", which is not an @AsyncWorker of this application; name the worker classes whose tasks it sends");
                }
            }
        }
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private void firstOnly(Map<String, DeclaredWorkload> seen, String key, DeclaredWorkload workload, Rule rule, String what) {
        DeclaredWorkload first = seen.putIfAbsent(key, workload);
        if (first != null) {
            Located<String> value = rule == Rule.DUPLICATE_NAME ? workload.name() : workload.address();
            problems.add(rule, value.site(), "the " + what + " '" + value.value() + "' of " + workload.className()
                    + " is already used by " + first.className() + "; each " + (workload.kind() == WorkloadKind.REST ? "REST service" : "worker")
                    + " needs its own" + (rule == Rule.DUPLICATE_NAME ? " (set " + workload.annotationName() + ".name)" : ""));
        }
    }

    private static Site annotationSite(DeclaredWorkload workload) {
        if (workload.address().site() instanceof Site.InSource site) {
            return new Site.InSource(site.element(), site.annotation(), null);
        }
        return new Site.InRecord(workload.className(), workload.annotationName());
    }

    private static String normalizedPath(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static String suggestName(String name) {
        String cleaned = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (cleaned.length() > Names.MAX_NAME) {
            cleaned = cleaned.substring(0, Names.MAX_NAME).replaceAll("-+$", "");
        }
        return cleaned.isEmpty() ? "my-service" : cleaned;
    }
}
