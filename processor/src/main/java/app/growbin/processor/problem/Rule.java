package app.growbin.processor.problem;

/** Every rule the processor enforces, with a stable id that starts its message; an error unless it is a warning. */
public enum Rule {
    PATH_FORMAT("path-format"),
    DUPLICATE_PATH("duplicate-path"),
    DUPLICATE_NAME("duplicate-name"),
    DUPLICATE_QUEUE("duplicate-queue"),
    NAME_FORMAT("name-format"),
    NAME_TOO_LONG("name-too-long"),
    REPLICAS_RANGE("replicas-range"),
    PORT_RANGE("port-range"),
    QUEUE_FORMAT("queue-format"),
    CONCURRENCY_RANGE("concurrency-range"),
    QUANTITY_FORMAT("quantity-format"),
    REQUEST_ABOVE_LIMIT("request-above-limit"),
    AUTOSCALING_RANGE("autoscaling-range"),
    AUTOSCALING_MODE("autoscaling-mode"),
    TIME_LIMIT_RANGE("time-limit-range"),
    FLOATING_IMAGE_TAG("floating-image-tag"),
    SECURITY_CONTEXT("security-context"),
    NOT_CONCRETE("not-concrete"),
    NOT_INSTANTIABLE("not-instantiable"),
    NOT_REST_API("not-rest-api"),
    BOTH_KINDS("both-kinds"),
    MODIFIER_WITHOUT_KIND("modifier-without-kind"),
    MODIFIER_NOT_APPLICABLE("modifier-not-applicable"),
    SETTING_RANGE("setting-range"),
    NODE_SELECTOR_FORMAT("node-selector-format"),
    ENV_NAME_FORMAT("env-name-format"),
    SECRET_REF_FORMAT("secret-ref-format"),
    DUPLICATE_ENV("duplicate-env"),
    DUPLICATE_TASK("duplicate-task"),
    TASK_OUTSIDE_WORKER("task-outside-worker"),
    TASK_SIGNATURE("task-signature"),
    WORKER_WITHOUT_TASKS("worker-without-tasks"),
    SENDS_TASKS_TARGET("sends-tasks-target"),
    PLAINTEXT_CREDENTIAL("plaintext-credential"),
    VALUES_SYNTAX("values-syntax"),
    VALUES_UNKNOWN_KEY("values-unknown-key"),
    VALUES_UNKNOWN_SERVICE("values-unknown-service"),
    VALUES_CONTRACT_KEY("values-contract-key"),
    VALUES_TYPE("values-type"),
    VALUES_MISSING("values-missing"),
    IMAGE_FORMAT("image-format"),
    INGRESS_TLS("ingress-tls"),
    /** TLS on an AWS ALB with no certificate the controller can find: HTTPS would have none. */
    ALB_CERTIFICATE("alb-certificate", true),
    GATEWAY_ROUTE("gateway-route"),
    SECRET_STORE("secret-store"),
    /** A service level objective ({@code @Slo}, {@code api.rest.<name>.slo.*}) outside its range or without its threshold. */
    SLO("slo"),
    CARRIED_FILE("carried-file"),
    PATCH_TARGET("patch-target"),
    CONFIGURATION("configuration"),
    OUTPUT("output"),
    INTERNAL("internal");

    private final String id;
    private final boolean warning;

    Rule(String id) {
        this(id, false);
    }

    Rule(String id, boolean warning) {
        this.id = id;
        this.warning = warning;
    }

    public String id() {
        return id;
    }

    /** A compiler warning: the manifests are written all the same. Every other rule is an error. */
    public boolean isWarning() {
        return warning;
    }
}
