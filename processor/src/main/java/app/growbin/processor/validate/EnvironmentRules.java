package app.growbin.processor.validate;

import app.growbin.annotations.Pool;
import app.growbin.processor.settings.WorkloadKind;
import app.growbin.processor.problem.Rule;
import app.growbin.processor.read.BuildOptions;
import app.growbin.processor.read.DeclaredWorkload;
import app.growbin.processor.site.Located;
import app.growbin.processor.read.Quantity;
import app.growbin.processor.site.Site;
import app.growbin.processor.read.ValuesLayers;
import app.growbin.processor.read.WorkloadSettings;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.ValueType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The rules on the settings of one environment, where values files override the annotations.
 * Values that come from an annotation were checked by {@link AnnotationRules}; only what a values
 * file changes is checked again here, so each problem is reported once, where it was written.
 */
final class EnvironmentRules {

    private final ProblemList problems;
    private final boolean baseRead;

    /** @param baseRead false when values.yaml is missing or unreadable: its keys are then not reported missing one by one */
    EnvironmentRules(ProblemList problems, boolean baseRead) {
        this.problems = problems;
        this.baseRead = baseRead;
    }

    /**
     * Folders of the output that are not environments: {@code rule-tests} is where earlier versions wrote the
     * alerts' tests, which a generation removes; an environment of that name would be removed with it.
     */
    static final List<String> RESERVED_FOLDERS = List.of("argocd", "helm", "rule-tests");

    void check(String environment, ValuesLayers layers, List<DeclaredWorkload> workloads, BuildOptions options) {
        if (!Names.isDnsLabel(environment) || RESERVED_FOLDERS.contains(environment)) {
            problems.add(Rule.CONFIGURATION, new Site.InValues(layers.overlay().path(), 1, ""), "the environment name '" + environment
                    + "' (from " + layers.overlay().fileName() + ") must be a DNS-1123 label and not one of " + RESERVED_FOLDERS
                    + ", which hold the Argo CD Applications, the Helm chart and the rule tests; rename the file");
        }
        Optional<Located<String>> appName = layers.get(Settings.APP_NAME);
        if (appName.isEmpty()) {
            if (baseRead) {
                problems.add(Rule.VALUES_MISSING, new Site.InValues(layers.base().path(), 1, Settings.APP_NAME.key()),
                        "global.appName is missing from values.yaml; it names every object (<appName>-api-rest-<name>), for example 'growbin-backend'");
            }
        } else if (!Names.isDnsLabel(appName.get().value())) {
            problems.add(Rule.NAME_FORMAT, appName.get().site(), "global.appName '" + appName.get().value()
                    + "' is not a DNS-1123 label (lower-case letters, digits and '-')");
        }
        if (layers.get(Settings.IMAGE_REPOSITORY).isEmpty() && baseRead) {
            problems.add(Rule.VALUES_MISSING, new Site.InValues(layers.overlay().path(), 1, Settings.IMAGE_REPOSITORY.key()),
                    "global.image.repository is missing in environment '" + environment + "'; set it in values.yaml, for example 'your-org/growbin-backend'");
        }
        Located<String> tag = options.imageTag(layers).orElse(null);
        if (tag != null && !Names.IMAGE_TAG.matcher(tag.value()).matches()) {
            problems.add(Rule.IMAGE_FORMAT, tag.site(), "the image tag '" + tag.value()
                    + "' is not a valid tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')");
        }
        checkProductionTag(environment, layers, options);
        checkNetworkPolicy(layers);
        checkAllowedWords(layers);
        for (DeclaredWorkload workload : workloads) {
            appName.filter(name -> Names.isDnsLabel(name.value()))
                    .ifPresent(name -> checkNameLength(name.value(), workload));
            checkSettings(new WorkloadSettings(workload, layers));
        }
    }

    /** Application settings that take one of a few words ({@code celery.queueType}), and those that become variables, their range. */
    private void checkAllowedWords(ValuesLayers layers) {
        for (Setting<?> setting : Settings.application()) {
            if (setting.type() == ValueType.STRING && !setting.allowed().isEmpty()) {
                layers.scalar(setting.key()).ifPresent(value -> {
                    if (!setting.allowed().contains(value.value())) {
                        List<String> words = setting.allowed();
                        problems.add(Rule.VALUES_TYPE, value.site(), setting.key() + " '" + value.value() + "' must be "
                                + String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1));
                    }
                });
            }
            if (setting.envVar().isPresent() && setting.type() == ValueType.INTEGER && setting.minimum().isPresent()) {
                int minimum = setting.minimum().get().intValue();
                layers.get(Settings.integer(setting)).filter(value -> value.value() < minimum).ifPresent(value -> problems.add(
                        Rule.SETTING_RANGE, value.site(), setting.key() + " is " + value.value() + "; it must be at least " + minimum));
            }
        }
    }

    /** A floating or missing tag in production means pods of one Deployment may run different code. */
    private void checkProductionTag(String environment, ValuesLayers layers, BuildOptions options) {
        Optional<Located<String>> declared = layers.get(Settings.ENVIRONMENT);
        if (declared.isEmpty() || !"production".equals(declared.get().value())) {
            return;
        }
        Optional<Located<String>> tag = options.imageTag(layers);
        if (tag.isEmpty() || tag.get().value().isBlank() || "latest".equals(tag.get().value())) {
            Site site = tag.map(Located::site).orElse(new Site.InValues(layers.overlay().path(), 1, Settings.IMAGE_TAG.key()));
            problems.add(Rule.FLOATING_IMAGE_TAG, site, "environment '" + environment + "' is production but its image tag is "
                    + tag.map(t -> "'" + t.value() + "'").orElse("not set") + "; a floating tag lets one Deployment run different builds: "
                    + "set global.image.tag to a release, or pass -Dgrowbin.image.tag=<commit> in CI");
        }
    }

    private void checkNetworkPolicy(ValuesLayers layers) {
        for (Setting<String> setting : List.of(Settings.INGRESS_NAMESPACE, Settings.MONITORING_NAMESPACE)) {
            layers.get(setting).ifPresent(namespace -> {
                if (!Names.isDnsLabel(namespace.value())) {
                    problems.add(Rule.VALUES_TYPE, namespace.site(), setting.key() + " '" + namespace.value() + "' is not a namespace name (DNS-1123 label)");
                }
            });
        }
    }

    static void checkAutoscalingMode(WorkloadKind kind, Located<Integer> queueLength, boolean cpuTargetExplicit, ProblemList problems) {
        if (queueLength.value() < 0) {
            problems.add(Rule.AUTOSCALING_RANGE, queueLength.site(), "queueLength is " + queueLength.value()
                    + "; use 0 for CPU autoscaling or a positive number of ready messages per pod");
        } else if (queueLength.value() > 0 && kind == WorkloadKind.REST) {
            problems.add(Rule.AUTOSCALING_MODE, queueLength.site(), "queueLength autoscaling scales a worker on its RabbitMQ queue; "
                    + "a REST service has no queue: remove queueLength and scale on targetCpuUtilization");
        } else if (queueLength.value() > 0 && cpuTargetExplicit) {
            problems.add(Rule.AUTOSCALING_MODE, queueLength.site(), "both queueLength and targetCpuUtilization are set; a worker is scaled "
                    + "either by KEDA on its queue length or by an HPA on CPU, not both: remove one of them");
        }
    }

    private void checkSecurity(WorkloadSettings settings) {
        for (Optional<Located<Integer>> id : List.of(settings.runAsUser(), settings.runAsGroup())) {
            id.ifPresent(value -> {
                if (value.value() < 10000) {
                    problems.add(Rule.SECURITY_CONTEXT, value.site(), "securityContext UID/GID " + value.value()
                            + " is below 10000 and may collide with a host user; use 10000 or more");
                }
            });
        }
        settings.serviceAccountName().ifPresent(name -> {
            if (!Names.isSecretName(name.value())) {
                problems.add(Rule.SECURITY_CONTEXT, name.site(), "serviceAccount.name '" + name.value() + "' is not a valid name (DNS-1123 subdomain)");
            }
        });
    }

    private void checkNameLength(String appName, DeclaredWorkload workload) {
        String objectName = appName + "-" + workload.kind().component() + "-" + workload.name().value();
        if (objectName.length() > Names.MAX_NAME && Names.isDnsLabel(workload.name().value())) {
            int room = Names.MAX_NAME - (objectName.length() - workload.name().value().length());
            problems.add(Rule.NAME_TOO_LONG, workload.name().site(), "the name '" + workload.name().value() + "' makes the object name '"
                    + objectName + "' " + objectName.length() + " characters long, above Kubernetes' 63; use a name of at most "
                    + Math.max(room, 0) + " characters (" + workload.annotationName() + ".name)");
        }
    }

    private void checkSettings(WorkloadSettings settings) {
        Located<Integer> replicas = settings.replicas();
        if (fromValues(replicas) && replicas.value() < 0) {
            problems.add(Rule.REPLICAS_RANGE, replicas.site(), "replicas is " + replicas.value() + "; it must be 0 or more");
        }
        settings.concurrency().filter(EnvironmentRules::fromValues).ifPresent(concurrency -> AnnotationRules.checkConcurrency(
                concurrency, settings.workload().pool().map(Located::value).orElse(Pool.PROCESSES), problems));
        checkPair(settings.cpuRequest(), settings.cpuLimit(), "cpu");
        checkPair(settings.memoryRequest(), settings.memoryLimit(), "memory");
        checkNodeSelector(settings.nodeSelector().stream().filter(p -> fromValues(p.key())).toList(), problems);
        for (DeclaredWorkload.DeclaredPair env : settings.env()) {
            if (fromValues(env.key())) {
                if (!Names.ENV_NAME.matcher(env.key().value()).matches()) {
                    problems.add(Rule.ENV_NAME_FORMAT, env.key().site(), "env name '" + env.key().value()
                            + "' is not a valid environment variable name (letters, digits and '_', not starting with a digit)");
                } else if (AnnotationRules.RESERVED_ENV.contains(env.key().value())) {
                    problems.add(Rule.DUPLICATE_ENV, env.key().site(), "env '" + env.key().value()
                            + "' is set by Growbin itself; remove it from the values" + AnnotationRules.settingHint(env.key().value()));
                }
                // A literal credential is reported by ValuesRules, on the entry's own line, in every file.
            }
        }
        settings.queueDepthThreshold().ifPresent(threshold -> {
            if (threshold.value() < 1) {
                problems.add(Rule.VALUES_TYPE, threshold.site(), "queueDepthThreshold is " + threshold.value() + "; it must be at least 1");
            }
        });
        settings.autoscaling().ifPresent(autoscaling -> {
            boolean changedByValues = fromValues(autoscaling.minReplicas()) || autoscaling.maxReplicas().map(EnvironmentRules::fromValues).orElse(true)
                    || fromValues(autoscaling.targetCpuUtilization()) || autoscaling.enabledAt() instanceof Site.InValues;
            if (changedByValues) {
                checkAutoscaling(autoscaling.minReplicas(), autoscaling.maxReplicas(), autoscaling.targetCpuUtilization(), autoscaling.enabledAt(), problems);
            }
            if (fromValues(autoscaling.queueLength()) || fromValues(autoscaling.targetCpuUtilization())) {
                checkAutoscalingMode(settings.workload().kind(), autoscaling.queueLength(), autoscaling.cpuTargetExplicit(), problems);
            }
        });
        settings.timeLimitSeconds().filter(EnvironmentRules::fromValues).ifPresent(limit -> AnnotationRules.checkTimeLimit(limit, problems));
        checkSecurity(settings);
        checkVariableRanges(settings);
    }

    /** The settings that become container variables: at least their row's minimum. */
    private void checkVariableRanges(WorkloadSettings settings) {
        for (Setting<?> setting : Settings.workload(settings.workload().kind())) {
            if (setting.envVar().isPresent() && setting.type() == ValueType.INTEGER && setting.minimum().isPresent()) {
                settings.fromValues(setting).ifPresent(value -> {
                    int minimum = setting.minimum().get().intValue();
                    if ((Integer) value.value() < minimum) {
                        problems.add(Rule.SETTING_RANGE, value.site(), setting.keyFor(settings.workload().kind(), settings.workload().name().value())
                                + " is " + value.value() + "; it must be at least " + minimum);
                    }
                });
            }
        }
    }

    private void checkPair(Located<String> request, Located<String> limit, String resource) {
        if (!fromValues(request) && !fromValues(limit)) {
            return;
        }
        Optional<BigDecimal> requested = fromValues(request) ? quantity(request, "resources.requests." + resource, problems) : Quantity.parse(request.value());
        Optional<BigDecimal> limited = fromValues(limit) ? quantity(limit, "resources.limits." + resource, problems) : Quantity.parse(limit.value());
        if (requested.isPresent() && limited.isPresent() && requested.get().compareTo(limited.get()) > 0) {
            Located<String> blamed = fromValues(request) ? request : limit;
            problems.add(Rule.REQUEST_ABOVE_LIMIT, blamed.site(), "the " + resource + " request '" + request.value()
                    + "' is above the " + resource + " limit '" + limit.value() + "'; a request may not exceed its limit");
        }
    }

    static Optional<BigDecimal> quantity(Located<String> text, String member, ProblemList problems) {
        Optional<BigDecimal> parsed = Quantity.parse(text.value());
        if (parsed.isEmpty()) {
            boolean memory = member.toLowerCase(java.util.Locale.ROOT).contains("memory");
            problems.add(Rule.QUANTITY_FORMAT, text.site(), member + " '" + text.value() + "' is not a Kubernetes quantity; write "
                    + (memory ? "bytes with a binary suffix, such as '256Mi' or '1Gi'" : "cores or millicores, such as '500m' or '2'"));
        }
        return parsed;
    }

    static void checkAutoscaling(Located<Integer> min, Optional<Located<Integer>> max, Located<Integer> target, Site enabledAt, ProblemList problems) {
        if (min.value() < 1) {
            problems.add(Rule.AUTOSCALING_RANGE, min.site(), "minReplicas is " + min.value() + "; an autoscaler needs at least 1");
        }
        if (max.isEmpty()) {
            problems.add(Rule.AUTOSCALING_RANGE, enabledAt, "autoscaling is enabled but maxReplicas is not set; add autoscaling.maxReplicas");
        } else if (max.get().value() < min.value()) {
            problems.add(Rule.AUTOSCALING_RANGE, max.get().site(), "maxReplicas " + max.get().value() + " is below minReplicas "
                    + min.value() + "; maxReplicas must be at least minReplicas");
        }
        if (target.value() < 1) {
            problems.add(Rule.AUTOSCALING_RANGE, target.site(), "targetCpuUtilization is " + target.value() + "; it must be at least 1 (percent)");
        }
    }

    static void checkNodeSelector(List<DeclaredWorkload.DeclaredPair> entries, ProblemList problems) {
        for (DeclaredWorkload.DeclaredPair entry : entries) {
            if (!Names.isLabelKey(entry.key().value())) {
                problems.add(Rule.NODE_SELECTOR_FORMAT, entry.key().site(), "node selector key '" + entry.key().value()
                        + "' is not a valid label key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_', '.')");
            }
            if (!Names.isLabelValue(entry.value().value())) {
                problems.add(Rule.NODE_SELECTOR_FORMAT, entry.value().site(), "node selector value '" + entry.value().value()
                        + "' is not a valid label value (at most 63 letters, digits, '-', '_', '.', starting and ending with a letter or digit)");
            }
        }
    }

    static void checkLiteral(String name, Located<String> value, ProblemList problems, String fix) {
        if (Names.hasPasswordInUrl(value.value())) {
            problems.add(Rule.PLAINTEXT_CREDENTIAL, value.site(), "the value of " + name
                    + " is a URL with a password in plain text; it would be committed to Git; " + fix);
        } else if (Names.isCredentialLike(name) && !value.value().isEmpty() && !value.value().startsWith("$(")) {
            problems.add(Rule.PLAINTEXT_CREDENTIAL, value.site(), name
                    + " looks like a credential and has a literal value; it would be committed to Git; " + fix);
        }
    }

    static boolean fromValues(Located<?> value) {
        return value.site() instanceof Site.InValues;
    }
}
