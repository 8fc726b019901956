package app.growbin.processor.settings;

import static app.growbin.processor.settings.SettingScope.APPLICATION;
import static app.growbin.processor.settings.SettingScope.EVERY_WORKLOAD;
import static app.growbin.processor.settings.SettingScope.REST;
import static app.growbin.processor.settings.SettingScope.WORKER;

import app.growbin.contract.EnvVars;
import app.growbin.contract.Metrics;
import app.growbin.contract.Observability;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The settings table: every key of the values files and of the exported Helm chart's values, one row
 * each, in the order the chart's {@code values.yaml} lists them. Values validation (known keys, "did
 * you mean", types, contract keys, base-only keys), the model's defaults, the chart's {@code values.yaml},
 * {@code values-<env>.yaml} and {@code values.schema.json}, and {@code docs/settings.md} all come from
 * these rows.
 *
 * <p>To add an operational setting: add its row here, then use it where it matters (a renderer reads
 * it with {@code view.get(Settings.X)} or {@code view.get(workload, Settings.X)}).
 */
public final class Settings {

    private Settings() {}

    // ---- global ---------------------------------------------------------------------------------------

    public static final Setting<String> APP_NAME = application("global.appName", ValueType.STRING, String.class)
            .baseOnly().required().envVar(EnvVars.APP_NAME)
            .describe("the application; objects are named <appName>-api-rest-<name> and <appName>-api-async-<name>");
    /** The chart's own key: the manifests' instance label is {@code <appName>-<env>}, not the release name. */
    public static final Setting<String> INSTANCE = application("global.instance", ValueType.STRING, String.class)
            .chartOnly()
            .describe("app.kubernetes.io/instance of every object; the release name when not set");
    public static final Setting<String> ENVIRONMENT = application("global.environment", ValueType.STRING, String.class)
            .derived("the environment's name", Default.Resolved::environment).envVar(EnvVars.ENVIRONMENT)
            .describe(EnvVars.ENVIRONMENT + " in the shared ConfigMap; 'production' refuses a floating image tag");
    public static final Setting<String> DOMAIN = application("global.domain", ValueType.STRING, String.class)
            .byDefault("").envVar(EnvVars.DOMAIN)
            .describe(EnvVars.DOMAIN + " in the shared ConfigMap, and the Ingress host api.<domain>");
    public static final Setting<String> IMAGE_REGISTRY = application("global.image.registry", ValueType.STRING, String.class)
            .byDefault("")
            .describe("the image registry, such as ghcr.io; empty for none");
    public static final Setting<String> IMAGE_REPOSITORY = application("global.image.repository", ValueType.STRING, String.class)
            .derived("global.appName", values -> values.get(APP_NAME))
            .describe("the image repository; every environment must have one");
    public static final Setting<String> IMAGE_TAG = application("global.image.tag", ValueType.STRING, String.class)
            .byDefault("latest").chartAlsoNumber()
            .describe("the image tag and app.kubernetes.io/version; -Agrowbin.image.tag beats every values file");
    public static final Setting<String> IMAGE_PULL_POLICY = application("global.image.pullPolicy", ValueType.STRING, String.class)
            .byDefault("IfNotPresent").oneOf("Always", "IfNotPresent", "Never")
            .describe("imagePullPolicy of every container");

    // ---- celery -----------------------------------------------------------------------------------------

    public static final Setting<String> BROKER_SECRET_NAME = application("celery.brokerSecret.name", ValueType.STRING, String.class)
            .byDefault("celery-secrets")
            .describe("the Secret holding " + EnvVars.CELERY_BROKER_URL);
    public static final Setting<String> BROKER_SECRET_KEY = application("celery.brokerSecret.key", ValueType.STRING, String.class)
            .byDefault("broker-url")
            .describe("the key of " + EnvVars.CELERY_BROKER_URL + " in that Secret");
    public static final Setting<String> BACKEND_SECRET_NAME = application("celery.backendSecret.name", ValueType.STRING, String.class)
            .byDefault("celery-secrets")
            .describe("the Secret holding " + EnvVars.CELERY_RESULT_BACKEND);
    public static final Setting<String> BACKEND_SECRET_KEY = application("celery.backendSecret.key", ValueType.STRING, String.class)
            .byDefault("result-backend")
            .describe("the key of " + EnvVars.CELERY_RESULT_BACKEND + " in that Secret");

    public static final Setting<String> QUEUE_TYPE = application("celery.queueType", ValueType.STRING, String.class)
            .oneOf("classic", "quorum").envVar(EnvVars.CELERY_QUEUE_TYPE)
            .describe("the type of every queue the services declare: classic (one node), or quorum (replicated on a broker cluster); "
                    + "Python peers must declare the same (docs/runtime.md); the runtime's classic when not set");
    public static final Setting<Integer> MAX_MESSAGE_BYTES = application("celery.maxMessageBytes", ValueType.INTEGER, Integer.class)
            .minimum(1).envVar(EnvVars.CELERY_MAX_MESSAGE_BYTES)
            .describe("largest task message a service publishes, as RabbitMQ's max_message_size; the runtime's 128 MiB when not set");

    // ---- openai -----------------------------------------------------------------------------------------

    public static final Setting<String> OPENAI_BASE_URL = application("openai.baseUrl", ValueType.STRING, String.class)
            .envVar(EnvVars.OPENAI_BASE_URL)
            .describe(EnvVars.OPENAI_BASE_URL + " in the shared ConfigMap");
    public static final Setting<SortedMap<String, String>> OPENAI_MODELS = application("openai.models", ValueType.STRING_MAP, Setting.stringMapType())
            .byDefault(Collections.emptySortedMap())
            .describe(EnvVars.OPENAI_MODEL_PREFIX + "<KEY> in the shared ConfigMap, one per key");

    // ---- auth -------------------------------------------------------------------------------------------

    public static final Setting<String> AUTH_ISSUER = application("auth.issuer", ValueType.STRING, String.class)
            .envVar(EnvVars.AUTH_ISSUER)
            .describe("the iss of the tokens the services issue and accept; the runtime's 'growbin' when not set");
    public static final Setting<String> AUTH_AUDIENCE = application("auth.audience", ValueType.STRING, String.class)
            .envVar(EnvVars.AUTH_AUDIENCE)
            .describe("the aud of the tokens; the runtime's 'growbin-api' when not set");
    public static final Setting<Integer> AUTH_TOKEN_LIFETIME_SECONDS = application("auth.tokenLifetimeSeconds", ValueType.INTEGER, Integer.class)
            .envVar(EnvVars.AUTH_TOKEN_LIFETIME_SECONDS).minimum(60)
            .describe("lifetime of an access token in seconds; the runtime's 900 when not set");

    // ---- ingress ----------------------------------------------------------------------------------------

    public static final Setting<Boolean> INGRESS_ENABLED = application("ingress.enabled", ValueType.BOOLEAN, Boolean.class)
            .byDefault(true)
            .describe("whether the Ingress (or, with ingress.kind gateway, the HTTPRoute) is generated");
    public static final Setting<String> INGRESS_CLASS_NAME = application("ingress.className", ValueType.STRING, String.class)
            .byDefault("")
            .describe("ingressClassName, such as alb; empty for the cluster's default");
    public static final Setting<String> INGRESS_HOST = application("ingress.host", ValueType.STRING, String.class)
            .derived("api.<global.domain>, or none without a domain", values -> values.get(DOMAIN).isEmpty() ? "" : "api." + values.get(DOMAIN))
            .describe("the host of the Ingress rule and of its TLS entry");
    public static final Setting<SortedMap<String, String>> INGRESS_ANNOTATIONS = application("ingress.annotations", ValueType.STRING_MAP, Setting.stringMapType())
            .byDefault(Collections.emptySortedMap())
            .describe("annotations of the Ingress, such as the AWS Load Balancer Controller's");
    public static final Setting<String> INGRESS_KIND = application("ingress.kind", ValueType.STRING, String.class)
            .byDefault("ingress").oneOf("ingress", "gateway")
            .describe("ingress: one networking.k8s.io Ingress; gateway: one Gateway API HTTPRoute attached to ingress.gateway.parentRef, with the same host, paths and backends");
    public static final Setting<String> GATEWAY_NAME = application("ingress.gateway.parentRef.name", ValueType.STRING, String.class)
            .byDefault("")
            .describe("the Gateway the HTTPRoute attaches to; required with ingress.kind gateway");
    public static final Setting<String> GATEWAY_NAMESPACE = application("ingress.gateway.parentRef.namespace", ValueType.STRING, String.class)
            .byDefault("")
            .describe("the Gateway's namespace; empty for the route's own (the Gateway's listener must then admit routes from it)");
    public static final Setting<String> GATEWAY_SECTION_NAME = application("ingress.gateway.parentRef.sectionName", ValueType.STRING, String.class)
            .byDefault("")
            .describe("the Gateway's listener, such as https; empty for every listener that admits the route");
    public static final Setting<Boolean> INGRESS_TLS_ENABLED = application("ingress.tls.enabled", ValueType.BOOLEAN, Boolean.class)
            .byDefault(false)
            .describe("whether the Ingress terminates TLS for its host");
    public static final Setting<String> INGRESS_TLS_SECRET = application("ingress.tls.secretName", ValueType.STRING, String.class)
            .describe("the Secret with the certificate, when TLS terminates in the cluster; not written with className alb, whose controller never reads it");
    public static final Setting<String> INGRESS_TLS_CERTIFICATE_ARN = application("ingress.tls.certificateArn", ValueType.STRING, String.class)
            .describe("className alb only: the ACM certificate ARN (several comma-separated), as alb.ingress.kubernetes.io/certificate-arn; "
                    + "without it the controller discovers the certificate from the TLS host");
    public static final Setting<String> INGRESS_TLS_CLUSTER_ISSUER = application("ingress.tls.clusterIssuer", ValueType.STRING, String.class)
            .describe("other classes than alb: the cert-manager ClusterIssuer (cert-manager.io/cluster-issuer) that writes the certificate into tls.secretName");

    // ---- secrets ----------------------------------------------------------------------------------------

    public static final Setting<String> EXTERNAL_STORE_NAME = application("secrets.externalStore.name", ValueType.STRING, String.class)
            .byDefault("")
            .describe("the External Secrets Operator store; set: an ExternalSecret (external-secrets.io/v1) per Secret the manifests reference; "
                    + "empty: the Secrets are prerequisites, created by hand");
    public static final Setting<String> EXTERNAL_STORE_KIND = application("secrets.externalStore.kind", ValueType.STRING, String.class)
            .byDefault("ClusterSecretStore").oneOf("SecretStore", "ClusterSecretStore")
            .describe("the kind of that store");
    public static final Setting<String> EXTERNAL_STORE_REFRESH = application("secrets.externalStore.refreshInterval", ValueType.DURATION, String.class)
            .byDefault("1h")
            .describe("how often the operator reads the store again");
    public static final Setting<SortedMap<String, String>> EXTERNAL_STORE_REMOTE_KEYS = application("secrets.externalStore.remoteKeys", ValueType.STRING_MAP, Setting.stringMapType())
            .byDefault(Collections.emptySortedMap())
            .describe("the store's key per Secret name, such as celery-secrets: growbin/prod/celery; a Secret not listed is read from the key of its own name. "
                    + "Each key of the Secret is the property of that name of the remote secret");

    // ---- monitoring -------------------------------------------------------------------------------------

    public static final Setting<String> SCRAPE_INTERVAL = application("monitoring.interval", ValueType.DURATION, String.class)
            .byDefault("30s")
            .describe("scrape interval of the ServiceMonitor and the PodMonitor");
    public static final Setting<String> SCRAPE_TIMEOUT = application("monitoring.scrapeTimeout", ValueType.DURATION, String.class)
            .byDefault("10s")
            .describe("scrape timeout of the ServiceMonitor and the PodMonitor");
    public static final Setting<Double> ERROR_RATE_THRESHOLD = application("monitoring.alerts.errorRateThreshold", ValueType.NUMBER, Double.class)
            .byDefault(0.05).minimum(0).maximum(1)
            .describe("fraction of 5xx answers above which <Service>HighErrorRate fires");
    public static final Setting<Double> LATENCY_P95_SECONDS = application("monitoring.alerts.latencyP95Seconds", ValueType.NUMBER, Double.class)
            .byDefault(1.0).minimum(0)
            .describe("p95 latency in seconds above which <Service>HighLatency fires");
    public static final Setting<Integer> QUEUE_DEPTH_THRESHOLD = application("monitoring.alerts.queueDepthThreshold", ValueType.INTEGER, Integer.class)
            .byDefault(1000).minimum(0)
            .describe("ready messages above which <Worker>QueueHigh fires, unless the worker sets its own");
    public static final Setting<String> DEAD_LETTER_QUEUE = application("monitoring.alerts.deadLetterQueue", ValueType.STRING, String.class)
            .byDefault("q.dlq")
            .describe("the dead-letter queue DeadLetterQueueNotEmpty watches");
    public static final Setting<Integer> DEAD_LETTER_THRESHOLD = application("monitoring.alerts.deadLetterThreshold", ValueType.INTEGER, Integer.class)
            .byDefault(0).minimum(0)
            .describe("ready messages in the dead-letter queue above which DeadLetterQueueNotEmpty fires");
    public static final Setting<String> ALERT_FOR = application("monitoring.alerts.for", ValueType.DURATION, String.class)
            .byDefault("5m")
            .describe("how long a condition holds before an alert fires");
    public static final Setting<String> RUNBOOK_BASE_URL = application("monitoring.runbookBaseUrl", ValueType.STRING, String.class)
            .byDefault("https://github.com/your-org/growbin/blob/main/docs/runbooks.md")
            .describe("where the runbooks are; each alert links to <base>#<alert kind>; empty for no links");

    public static final Setting<Boolean> DASHBOARDS_ENABLED = application("monitoring.dashboards.enabled", ValueType.BOOLEAN, Boolean.class)
            .byDefault(true)
            .describe("whether monitoring/grafana-dashboard.yaml is generated: a ConfigMap labelled grafana_dashboard: \"1\" that Grafana's "
                    + "dashboard sidecar loads (request rate, 5xx ratio and p95 per REST service; queue depth, tasks by state, failures, "
                    + "retries and run time per worker; the dead-letter queue)");
    public static final Setting<String> DASHBOARDS_FOLDER = application("monitoring.dashboards.folder", ValueType.STRING, String.class)
            .byDefault("")
            .describe("the Grafana folder of the dashboard, as the annotation grafana_folder (the sidecar's folderAnnotation must name it); "
                    + "empty for the sidecar's default folder");

    // ---- observability ----------------------------------------------------------------------------------

    public static final Setting<String> TRACING_ENDPOINT = application("observability.tracing.endpoint", ValueType.STRING, String.class)
            .envVar(Observability.OTEL_EXPORTER_OTLP_ENDPOINT)
            .describe("the OTLP collector the services send their spans to, such as http://otel-collector.monitoring:4318, as "
                    + Observability.OTEL_EXPORTER_OTLP_ENDPOINT + " in the shared ConfigMap; tracing is off when not set");
    public static final Setting<Double> TRACING_SAMPLING_RATIO = application("observability.tracing.samplingRatio", ValueType.NUMBER, Double.class)
            .envVar(Observability.OTEL_TRACES_SAMPLER_ARG)
            .alsoSets(Observability.OTEL_TRACES_SAMPLER, Observability.PARENT_BASED_TRACE_ID_RATIO).minimum(0).maximum(1)
            .describe("the fraction of the traces that start here which are kept, above 0 and at most 1: "
                    + Observability.OTEL_TRACES_SAMPLER + "=" + Observability.PARENT_BASED_TRACE_ID_RATIO + " and "
                    + Observability.OTEL_TRACES_SAMPLER_ARG + " in the shared ConfigMap (a request that arrives with a trace follows "
                    + "its caller's decision); every trace when not set");
    public static final Setting<String> LOG_FORMAT = application("observability.logging.format", ValueType.STRING, String.class)
            .byDefault(Observability.LOG_FORMAT_JSON).oneOf(Observability.LOG_FORMAT_JSON, Observability.LOG_FORMAT_TEXT)
            .envVar(Observability.LOG_FORMAT)
            .describe(Observability.LOG_FORMAT + " in the shared ConfigMap: json (one JSON object a line, with trace and span ids, "
                    + "for a log pipeline) or text (for reading kubectl logs); the runtime writes text when the variable is not set");

    // ---- networkPolicy ----------------------------------------------------------------------------------

    public static final Setting<Boolean> NETWORK_POLICY_ENABLED = application("networkPolicy.enabled", ValueType.BOOLEAN, Boolean.class)
            .byDefault(false)
            .describe("whether NetworkPolicies admit only the ingress controller and monitoring");
    public static final Setting<String> INGRESS_NAMESPACE = application("networkPolicy.ingressNamespace", ValueType.STRING, String.class)
            .byDefault("kube-system")
            .describe("the namespace of the ingress controller, which may reach the REST services");
    public static final Setting<String> MONITORING_NAMESPACE = application("networkPolicy.monitoringNamespace", ValueType.STRING, String.class)
            .byDefault("monitoring")
            .describe("the namespace of Prometheus, which may scrape every workload");

    // ---- gitops (not in the chart: the Argo CD Applications) ---------------------------------------------

    public static final Setting<String> GITOPS_REPO_URL = application("gitops.repoUrl", ValueType.STRING, String.class)
            .byDefault("").notInChart()
            .describe("the GitOps repository Argo CD syncs; empty: no Argo CD Application is written");
    public static final Setting<String> GITOPS_TARGET_REVISION = application("gitops.targetRevision", ValueType.STRING, String.class)
            .byDefault("HEAD").notInChart()
            .describe("the branch, tag or commit Argo CD syncs");
    public static final Setting<String> GITOPS_PATH = application("gitops.path", ValueType.STRING, String.class)
            .byDefault("k8s-out").notInChart()
            .describe("the folder of the repository holding <env>/");
    public static final Setting<String> GITOPS_NAMESPACE = application("gitops.namespace", ValueType.STRING, String.class)
            .derived("<global.appName>-<environment name>", values -> values.get(APP_NAME) + "-" + values.environment()).notInChart()
            .describe("the namespace Argo CD deploys into");

    // ---- api.rest.<name>.* and api.async.<name>.*: the code's contract -----------------------------------

    public static final Setting<String> NAME = workload("name", EVERY_WORKLOAD, ValueType.STRING, String.class)
            .ownedByCode("@RestService.name / @AsyncWorker.name")
            .describe("the service's name: object names, labels and its key under api.rest / api.async");
    public static final Setting<String> PATH = workload("path", EVERY_WORKLOAD, ValueType.STRING, String.class)
            .ownedByCode("@RestService.path")
            .describe("the URL prefix a REST service owns: its Ingress path");
    public static final Setting<Integer> PORT = workload("port", EVERY_WORKLOAD, ValueType.INTEGER, Integer.class)
            .ownedByCode("@RestService.port")
            .describe("the port a REST service listens on: container and Service port, " + EnvVars.HTTP_PORT);
    public static final Setting<String> QUEUE = workload("queue", EVERY_WORKLOAD, ValueType.STRING, String.class)
            .ownedByCode("@AsyncWorker.queue")
            .describe("the RabbitMQ queue a worker consumes: " + EnvVars.QUEUE_NAME + " and its queue alert");
    public static final Setting<String> POOL = workload("pool", EVERY_WORKLOAD, ValueType.STRING, String.class)
            .ownedByCode("@AsyncWorker.pool")
            .describe("the worker's execution pool: " + EnvVars.WORKER_POOL);
    public static final Setting<String> TASKS = workload("tasks", EVERY_WORKLOAD, ValueType.STRING, String.class)
            .ownedByCode("@Task")
            .describe("the task names a worker runs");

    // ---- api.rest.<name>.* and api.async.<name>.*: operations ---------------------------------------------

    public static final Setting<Boolean> ENABLED = workload("enabled", EVERY_WORKLOAD, ValueType.BOOLEAN, Boolean.class)
            .fromAnnotation("@RestService.enabled / @AsyncWorker.enabled")
            .describe("whether anything is generated for the service");
    public static final Setting<Integer> REPLICAS = workload("replicas", EVERY_WORKLOAD, ValueType.INTEGER, Integer.class)
            .fromAnnotation("@RestService.replicas / @AsyncWorker.replicas").minimum(0)
            .describe("pods when no autoscaler owns the count");
    public static final Setting<Integer> CONCURRENCY = workload("concurrency", WORKER, ValueType.INTEGER, Integer.class)
            .fromAnnotation("@AsyncWorker.concurrency").minimum(1)
            .describe("tasks a worker pod runs at once: " + EnvVars.WORKER_CONCURRENCY);
    public static final Setting<Integer> TIME_LIMIT_SECONDS = workload("timeLimitSeconds", WORKER, ValueType.INTEGER, Integer.class)
            .fromAnnotation("@AsyncWorker.timeLimitSeconds").minimum(1)
            .describe("hard time limit of a task, and with 30 s the pod's termination grace period");
    public static final Setting<String> CPU_REQUEST = workload("resources.requests.cpu", EVERY_WORKLOAD, ValueType.QUANTITY, String.class)
            .fromAnnotation("@Resources.cpu")
            .describe("CPU request of the container");
    public static final Setting<String> MEMORY_REQUEST = workload("resources.requests.memory", EVERY_WORKLOAD, ValueType.QUANTITY, String.class)
            .fromAnnotation("@Resources.memory")
            .describe("memory request of the container");
    public static final Setting<String> CPU_LIMIT = workload("resources.limits.cpu", EVERY_WORKLOAD, ValueType.QUANTITY, String.class)
            .fromAnnotation("@Resources.cpuLimit")
            .describe("CPU limit of the container; below one core the JVM sizes its pools for one processor");
    public static final Setting<String> MEMORY_LIMIT = workload("resources.limits.memory", EVERY_WORKLOAD, ValueType.QUANTITY, String.class)
            .fromAnnotation("@Resources.memoryLimit")
            .describe("memory limit of the container; the heap is a percentage of it");
    public static final Setting<SortedMap<String, String>> NODE_SELECTOR = workload("nodeSelector", EVERY_WORKLOAD, ValueType.STRING_MAP, Setting.stringMapType())
            .fromAnnotation("@NodeSelector")
            .describe("node labels the pods need; a values map replaces the annotations' entries as a whole");
    public static final Setting<Boolean> AUTOSCALING_ENABLED = workload("autoscaling.enabled", EVERY_WORKLOAD, ValueType.BOOLEAN, Boolean.class)
            .fromAnnotation("@Autoscaling present")
            .describe("whether an autoscaler owns the replica count");
    public static final Setting<Integer> MIN_REPLICAS = workload("autoscaling.minReplicas", EVERY_WORKLOAD, ValueType.INTEGER, Integer.class)
            .fromAnnotation("@Autoscaling.minReplicas").minimum(1)
            .describe("the autoscaler's minimum");
    public static final Setting<Integer> MAX_REPLICAS = workload("autoscaling.maxReplicas", EVERY_WORKLOAD, ValueType.INTEGER, Integer.class)
            .fromAnnotation("@Autoscaling.maxReplicas").minimum(1)
            .describe("the autoscaler's maximum; required when autoscaling is enabled");
    public static final Setting<Integer> TARGET_CPU_UTILIZATION = workload("autoscaling.targetCpuUtilization", EVERY_WORKLOAD, ValueType.INTEGER, Integer.class)
            .fromAnnotation("@Autoscaling.targetCpuUtilization").minimum(1)
            .describe("average CPU utilization, in percent of the request, the HPA aims at");
    public static final Setting<Integer> QUEUE_LENGTH = workload("autoscaling.queueLength", EVERY_WORKLOAD, ValueType.INTEGER, Integer.class)
            .fromAnnotation("@Autoscaling.queueLength").minimum(0)
            .describe("workers: ready messages per pod KEDA aims at; 0 scales on CPU with an HPA");
    public static final Setting<SortedMap<String, String>> ENV = workload("env", EVERY_WORKLOAD, ValueType.STRING_MAP, Setting.stringMapType())
            .byDefault(Collections.emptySortedMap()).chartAlsoNumber()
            .describe("environment variables added to, or replacing, the annotations' @Env");
    public static final Setting<Integer> RUN_AS_USER = workload("securityContext.runAsUser", EVERY_WORKLOAD, ValueType.INTEGER, Integer.class)
            .byDefault(10001).minimum(0)
            .describe("the pod's UID, 10000 or more");
    public static final Setting<Integer> RUN_AS_GROUP = workload("securityContext.runAsGroup", EVERY_WORKLOAD, ValueType.INTEGER, Integer.class)
            .byDefault(10001).minimum(0)
            .describe("the pod's GID and fsGroup, 10000 or more");
    public static final Setting<Boolean> READ_ONLY_ROOT_FILESYSTEM = workload("securityContext.readOnlyRootFilesystem", EVERY_WORKLOAD, ValueType.BOOLEAN, Boolean.class)
            .byDefault(true)
            .describe("whether the container's root filesystem is read-only (/tmp is always writable)");
    public static final Setting<String> SERVICE_ACCOUNT_NAME = workload("serviceAccount.name", EVERY_WORKLOAD, ValueType.STRING, String.class)
            .byDefault("")
            .describe("the pods' ServiceAccount; empty for the namespace's default");
    public static final Setting<Boolean> AUTOMOUNT_TOKEN = workload("serviceAccount.automountToken", EVERY_WORKLOAD, ValueType.BOOLEAN, Boolean.class)
            .byDefault(false)
            .describe("whether the ServiceAccount token is mounted into the pods");
    public static final Setting<Integer> HTTP_MAX_BODY_BYTES = http("maxBodyBytes", EnvVars.HTTP_MAX_BODY_BYTES,
            "largest request body in bytes (413 beyond)");
    public static final Setting<Integer> HTTP_MAX_URL_BYTES = http("maxUrlBytes", EnvVars.HTTP_MAX_URL_BYTES,
            "longest request target in bytes (414 beyond)");
    public static final Setting<Integer> HTTP_MAX_HEADER_BYTES = http("maxHeaderBytes", EnvVars.HTTP_MAX_HEADER_BYTES,
            "largest request line plus headers in bytes (431 beyond)");
    public static final Setting<Integer> HTTP_IDLE_TIMEOUT_SECONDS = http("idleTimeoutSeconds", EnvVars.HTTP_IDLE_TIMEOUT_SECONDS,
            "seconds without a byte moving before a connection is closed");
    public static final Setting<Integer> HTTP_BODY_TIMEOUT_SECONDS = http("bodyTimeoutSeconds", EnvVars.HTTP_BODY_TIMEOUT_SECONDS,
            "seconds the whole request body may take (408 beyond)");
    public static final Setting<Integer> HTTP_MAX_CONNECTIONS = http("maxConnections", EnvVars.HTTP_MAX_CONNECTIONS,
            "open connections at most");
    public static final Setting<Integer> HTTP_MAX_THREADS = http("maxThreads", EnvVars.HTTP_MAX_THREADS,
            "handler threads at most when not on virtual threads");
    public static final Setting<Integer> HTTP_TRUSTED_PROXY_HOPS = http("trustedProxyHops", EnvVars.HTTP_TRUSTED_PROXY_HOPS,
            "proxies in front of the pod that append to X-Forwarded-For (behind an ALB: 1)");
    public static final Setting<Integer> DATABASE_POOL_SIZE = workload("database.poolSize", REST, ValueType.INTEGER, Integer.class)
            .envVar(EnvVars.DATABASE_POOL_SIZE).minimum(1)
            .describe("PostgreSQL connections per replica of a service that keeps state there; the runtime's 5 when not set");
    public static final Setting<Integer> DATABASE_CONNECT_TIMEOUT_MS = workload("database.connectTimeoutMs", REST, ValueType.INTEGER, Integer.class)
            .envVar(EnvVars.DATABASE_CONNECT_TIMEOUT_MS).minimum(1)
            .describe("milliseconds a request waits for a database connection before its 503; the runtime's 2000 when not set");
    public static final Setting<Integer> RATE_LIMIT_REQUESTS = workload("rateLimit.requests", REST, ValueType.INTEGER, Integer.class)
            .envVar(EnvVars.RATE_LIMIT_REQUESTS).minimum(1)
            .describe("requests one caller (token subject, else client address) may make to the service's rate-limited routes within "
                    + "rateLimit.windowSeconds, counted in Redis across replicas; beyond, 429 with Retry-After; the runtime's 30 when not set");
    public static final Setting<Integer> RATE_LIMIT_WINDOW_SECONDS = workload("rateLimit.windowSeconds", REST, ValueType.INTEGER, Integer.class)
            .envVar(EnvVars.RATE_LIMIT_WINDOW_SECONDS).minimum(1)
            .describe("the sliding window of rateLimit.requests, in seconds; the runtime's 60 when not set");
    public static final Setting<Boolean> VERTICAL_AUTOSCALER_ENABLED = workload("verticalPodAutoscaler.enabled", EVERY_WORKLOAD, ValueType.BOOLEAN, Boolean.class)
            .byDefault(false)
            .describe("a VerticalPodAutoscaler (autoscaling.k8s.io/v1) in recommendation mode (updateMode Off): it suggests requests, never evicts pods");
    public static final Setting<Integer> WORKER_QUEUE_DEPTH_THRESHOLD = workload("queueDepthThreshold", WORKER, ValueType.INTEGER, Integer.class)
            .minimum(0)
            .describe("this worker's <Worker>QueueHigh threshold; monitoring.alerts.queueDepthThreshold when not set");

    public static final Setting<Double> SLO_AVAILABILITY = workload("slo.availability", REST, ValueType.NUMBER, Double.class)
            .fromAnnotation("@Slo.availability").minimum(0).maximum(100)
            .describe("percent of the requests answered without a 5xx status over 30 days, such as 99.5: recording rules and "
                    + "burn-rate alerts in monitoring/prometheusrule-slo.yaml; 0 for none");
    public static final Setting<Double> SLO_LATENCY_PERCENTILE = workload("slo.latency.percentile", REST, ValueType.NUMBER, Double.class)
            .fromAnnotation("@Slo.latencyPercentile").minimum(0).maximum(100)
            .describe("percent of the requests answered within slo.latency.thresholdSeconds over 30 days, such as 99; 0 for none");
    public static final Setting<Double> SLO_LATENCY_THRESHOLD_SECONDS = workload("slo.latency.thresholdSeconds", REST, ValueType.NUMBER, Double.class)
            .fromAnnotation("@Slo.latencyThresholdSeconds").minimum(0)
            .describe("the latency objective's threshold in seconds: a bucket bound of " + Metrics.HTTP_REQUEST_DURATION.name()
                    + " (" + Observability.HTTP_DURATION_BUCKETS.stream().map(ScalarText::of).collect(java.util.stream.Collectors.joining(", ")) + ")");

    /** Every row, in the chart's order. */
    public static final List<Setting<?>> ALL = List.of(
            APP_NAME, INSTANCE, ENVIRONMENT, DOMAIN, IMAGE_REGISTRY, IMAGE_REPOSITORY, IMAGE_TAG, IMAGE_PULL_POLICY,
            BROKER_SECRET_NAME, BROKER_SECRET_KEY, BACKEND_SECRET_NAME, BACKEND_SECRET_KEY, QUEUE_TYPE, MAX_MESSAGE_BYTES,
            OPENAI_BASE_URL, OPENAI_MODELS,
            AUTH_ISSUER, AUTH_AUDIENCE, AUTH_TOKEN_LIFETIME_SECONDS,
            INGRESS_ENABLED, INGRESS_KIND, INGRESS_CLASS_NAME, INGRESS_HOST, INGRESS_ANNOTATIONS, GATEWAY_NAME, GATEWAY_NAMESPACE, GATEWAY_SECTION_NAME,
            INGRESS_TLS_ENABLED, INGRESS_TLS_SECRET, INGRESS_TLS_CERTIFICATE_ARN, INGRESS_TLS_CLUSTER_ISSUER,
            EXTERNAL_STORE_NAME, EXTERNAL_STORE_KIND, EXTERNAL_STORE_REFRESH, EXTERNAL_STORE_REMOTE_KEYS,
            SCRAPE_INTERVAL, SCRAPE_TIMEOUT, ERROR_RATE_THRESHOLD, LATENCY_P95_SECONDS, QUEUE_DEPTH_THRESHOLD, DEAD_LETTER_QUEUE,
            DEAD_LETTER_THRESHOLD, ALERT_FOR, RUNBOOK_BASE_URL, DASHBOARDS_ENABLED, DASHBOARDS_FOLDER,
            TRACING_ENDPOINT, TRACING_SAMPLING_RATIO, LOG_FORMAT,
            NETWORK_POLICY_ENABLED, INGRESS_NAMESPACE, MONITORING_NAMESPACE,
            GITOPS_REPO_URL, GITOPS_TARGET_REVISION, GITOPS_PATH, GITOPS_NAMESPACE,
            NAME, PATH, PORT, QUEUE, POOL, TASKS,
            ENABLED, REPLICAS, CONCURRENCY, TIME_LIMIT_SECONDS, CPU_REQUEST, MEMORY_REQUEST, CPU_LIMIT, MEMORY_LIMIT,
            NODE_SELECTOR, AUTOSCALING_ENABLED, MIN_REPLICAS, MAX_REPLICAS, TARGET_CPU_UTILIZATION, QUEUE_LENGTH, ENV,
            RUN_AS_USER, RUN_AS_GROUP, READ_ONLY_ROOT_FILESYSTEM, SERVICE_ACCOUNT_NAME, AUTOMOUNT_TOKEN, VERTICAL_AUTOSCALER_ENABLED,
            HTTP_MAX_BODY_BYTES, HTTP_MAX_URL_BYTES, HTTP_MAX_HEADER_BYTES, HTTP_IDLE_TIMEOUT_SECONDS, HTTP_BODY_TIMEOUT_SECONDS,
            HTTP_MAX_CONNECTIONS, HTTP_MAX_THREADS, HTTP_TRUSTED_PROXY_HOPS, DATABASE_POOL_SIZE, DATABASE_CONNECT_TIMEOUT_MS,
            RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW_SECONDS, WORKER_QUEUE_DEPTH_THRESHOLD, SLO_AVAILABILITY, SLO_LATENCY_PERCENTILE, SLO_LATENCY_THRESHOLD_SECONDS);

    /**
     * What each section holds, for the chart's schema and the comments of its {@code values.yaml}.
     * A workload setting's section is written as {@code api.*.resources}.
     */
    public static final Map<String, String> SECTIONS = sections(
            "global", "Application name, release instance, environment, domain and the image every workload runs.",
            "global.image", "the image every workload runs: <registry>/<repository>:<tag>",
            "celery", "References to the Secrets holding the broker and result-backend URLs; never the credentials.",
            "celery.brokerSecret", "the Secret key holding " + EnvVars.CELERY_BROKER_URL,
            "celery.backendSecret", "the Secret key holding " + EnvVars.CELERY_RESULT_BACKEND,
            "openai", "OPENAI_BASE_URL and OPENAI_MODEL_<KEY> of the shared ConfigMap.",
            "auth", "What the services' tokens carry; the signing keys come from a Secret (@SecretEnv AUTH_SIGNING_KEYS).",
            "ingress", "The one Ingress (or Gateway API HTTPRoute): a path per enabled REST service.",
            "ingress.gateway", "the Gateway API route, with ingress.kind gateway",
            "ingress.gateway.parentRef", "the Gateway (and listener) the HTTPRoute attaches to",
            "ingress.tls", "TLS of the Ingress host: ACM with className alb, else a Secret (cert-manager's when clusterIssuer is set)",
            "secrets", "Where the Secrets the manifests reference come from.",
            "secrets.externalStore", "the External Secrets Operator store that fills each referenced Secret",
            "monitoring", "Scrape interval and timeout of the ServiceMonitor and PodMonitor; alert thresholds.",
            "monitoring.alerts", "thresholds of the generated alerts",
            "monitoring.dashboards", "the generated Grafana dashboard, a ConfigMap for Grafana's dashboard sidecar",
            "observability", "OpenTelemetry tracing and the log format, as variables of the shared ConfigMap.",
            "observability.tracing", "where spans go (OTEL_EXPORTER_OTLP_ENDPOINT) and how many traces are kept",
            "observability.logging", "how the services write their log lines",
            "networkPolicy", "Opt-in isolation: REST pods reachable from the ingress and monitoring namespaces, workers from monitoring.",
            "gitops", "The Argo CD Application of each environment.",
            "api", "Per service: api.rest.<name>.* (REST services) and api.async.<name>.* (queue workers).",
            "api.*.resources", "requests and limits of the container",
            "api.*.autoscaling", "an HPA on CPU, or KEDA on a worker's queue length",
            "api.*.securityContext", "the pod's identity",
            "api.*.serviceAccount", "the pod's ServiceAccount",
            "api.*.verticalPodAutoscaler", "resource recommendations of a VerticalPodAutoscaler",
            "api.*.http", "what a REST service accepts from its clients (@HttpLimits); 0 or unset keeps the runtime's default",
            "api.*.database", "the PostgreSQL connection pool of a service that keeps state there",
            "api.*.rateLimit", "the budget of a REST service's rate-limited routes per caller, shared by its replicas in Redis",
            "api.*.slo", "service level objectives over 30 days (@Slo): recording rules and multi-window burn-rate alerts",
            "api.*.slo.latency", "the latency objective: percent of the requests within a threshold");

    /** The application-wide rows, in order. */
    public static List<Setting<?>> application() {
        return ALL.stream().filter(s -> s.scope() == APPLICATION).toList();
    }

    /** The rows of a workload of {@code kind}, in order (contract rows included). */
    public static List<Setting<?>> workload(WorkloadKind kind) {
        return ALL.stream().filter(s -> s.scope().appliesTo(kind)).toList();
    }

    /** {@code setting} as a whole-number row; an {@link IllegalArgumentException} for any other type. */
    @SuppressWarnings("unchecked")
    public static Setting<Integer> integer(Setting<?> setting) {
        if (setting.javaType() != Integer.class) {
            throw new IllegalArgumentException(setting.key() + " is no whole number");
        }
        return (Setting<Integer>) setting;
    }

    /** The row of an application key, such as {@code monitoring.interval}. */
    public static Optional<Setting<?>> applicationKey(String key) {
        return application().stream().filter(s -> s.key().equals(key)).findFirst();
    }

    private static <T> Setting.Builder<T> application(String key, ValueType type, Class<T> javaType) {
        return Setting.builder(key, APPLICATION, type, javaType);
    }

    /** A REST service's HTTP limit: {@code @HttpLimits.<member>}, overridable as {@code http.<member>}; 0 is the runtime's default. */
    private static Setting<Integer> http(String member, String envVar, String description) {
        return workload("http." + member, REST, ValueType.INTEGER, Integer.class)
                .fromAnnotation("@HttpLimits." + member).envVar(envVar).minimum(0)
                .describe(description + "; 0 keeps the runtime's default");
    }

    private static <T> Setting.Builder<T> workload(String key, SettingScope scope, ValueType type, Class<T> javaType) {
        return Setting.builder(key, scope, type, javaType);
    }

    private static Map<String, String> sections(String... pairs) {
        Map<String, String> sections = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            sections.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(sections);
    }
}
