package app.growbin.processor.read;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every key the values files may hold, its type, and whether the code owns it. Keys follow the Helm
 * values the files replace: {@code global.*}, {@code celery.*}, {@code openai.*}, {@code ingress.*},
 * {@code monitoring.*}, {@code gitops.*}, and per service {@code api.rest.<name>.*} and
 * {@code api.async.<name>.*}.
 */
public final class ValuesSchema {

    /** One key: its type, its children when a section, and whether only the base file may set it. */
    public record Key(ValueType type, Map<String, Key> children, boolean baseOnly) {
        public Optional<Key> child(String name) {
            return Optional.ofNullable(children.get(name));
        }
    }

    /** Keys under {@code api.<kind>.<name>} that the code owns; values files may not set them. */
    public static final Set<String> CONTRACT_KEYS = Set.of("name", "path", "port", "queue", "pool", "tasks");

    public static final Key ROOT = section(Map.of(
            "global", section(ordered(
                    "appName", baseOnly(ValueType.STRING),
                    "environment", leaf(ValueType.STRING),
                    "domain", leaf(ValueType.STRING),
                    "image", section(ordered(
                            "registry", leaf(ValueType.STRING),
                            "repository", leaf(ValueType.STRING),
                            "tag", leaf(ValueType.STRING),
                            "pullPolicy", leaf(ValueType.STRING))))),
            "celery", section(ordered(
                    "brokerSecret", secretRef(),
                    "backendSecret", secretRef())),
            "openai", section(ordered(
                    "baseUrl", leaf(ValueType.STRING),
                    "models", leaf(ValueType.STRING_MAP))),
            "ingress", section(ordered(
                    "enabled", leaf(ValueType.BOOLEAN),
                    "className", leaf(ValueType.STRING),
                    "host", leaf(ValueType.STRING),
                    "annotations", leaf(ValueType.STRING_MAP),
                    "tls", section(ordered(
                            "enabled", leaf(ValueType.BOOLEAN),
                            "secretName", leaf(ValueType.STRING))))),
            "monitoring", section(ordered(
                    "interval", leaf(ValueType.DURATION),
                    "scrapeTimeout", leaf(ValueType.DURATION),
                    "alerts", section(ordered(
                            "errorRateThreshold", leaf(ValueType.NUMBER),
                            "latencyP95Seconds", leaf(ValueType.NUMBER),
                            "queueDepthThreshold", leaf(ValueType.INTEGER),
                            "deadLetterQueue", leaf(ValueType.STRING),
                            "deadLetterThreshold", leaf(ValueType.INTEGER),
                            "for", leaf(ValueType.DURATION))),
                    "runbookBaseUrl", leaf(ValueType.STRING))),
            "networkPolicy", section(ordered(
                    "enabled", leaf(ValueType.BOOLEAN),
                    "ingressNamespace", leaf(ValueType.STRING),
                    "monitoringNamespace", leaf(ValueType.STRING))),
            "gitops", section(ordered(
                    "repoUrl", leaf(ValueType.STRING),
                    "targetRevision", leaf(ValueType.STRING),
                    "path", leaf(ValueType.STRING),
                    "namespace", leaf(ValueType.STRING))),
            "api", section(ordered(
                    "rest", new Key(ValueType.SERVICES, service(false), false),
                    "async", new Key(ValueType.SERVICES, service(true), false)))));

    private ValuesSchema() {}

    private static Map<String, Key> service(boolean worker) {
        Map<String, Key> keys = new LinkedHashMap<>(ordered(
                "enabled", leaf(ValueType.BOOLEAN),
                "replicas", leaf(ValueType.INTEGER),
                "resources", section(ordered(
                        "requests", section(ordered("cpu", leaf(ValueType.QUANTITY), "memory", leaf(ValueType.QUANTITY))),
                        "limits", section(ordered("cpu", leaf(ValueType.QUANTITY), "memory", leaf(ValueType.QUANTITY))))),
                "nodeSelector", leaf(ValueType.STRING_MAP),
                "autoscaling", section(ordered(
                        "enabled", leaf(ValueType.BOOLEAN),
                        "minReplicas", leaf(ValueType.INTEGER),
                        "maxReplicas", leaf(ValueType.INTEGER),
                        "targetCpuUtilization", leaf(ValueType.INTEGER),
                        "queueLength", leaf(ValueType.INTEGER))),
                "env", leaf(ValueType.STRING_MAP),
                "securityContext", section(ordered(
                        "runAsUser", leaf(ValueType.INTEGER),
                        "runAsGroup", leaf(ValueType.INTEGER),
                        "readOnlyRootFilesystem", leaf(ValueType.BOOLEAN))),
                "serviceAccount", section(ordered(
                        "name", leaf(ValueType.STRING),
                        "automountToken", leaf(ValueType.BOOLEAN)))));
        if (worker) {
            keys.put("concurrency", leaf(ValueType.INTEGER));
            keys.put("queueDepthThreshold", leaf(ValueType.INTEGER));
            keys.put("timeLimitSeconds", leaf(ValueType.INTEGER));
        }
        return Collections.unmodifiableMap(keys);
    }

    private static Key secretRef() {
        return section(ordered("name", leaf(ValueType.STRING), "key", leaf(ValueType.STRING)));
    }

    private static Key leaf(ValueType type) {
        return new Key(type, Map.of(), false);
    }

    private static Key baseOnly(ValueType type) {
        return new Key(type, Map.of(), true);
    }

    private static Key section(Map<String, Key> children) {
        return new Key(ValueType.SECTION, children, false);
    }

    private static Map<String, Key> ordered(Object... keysAndValues) {
        Map<String, Key> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], (Key) keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
