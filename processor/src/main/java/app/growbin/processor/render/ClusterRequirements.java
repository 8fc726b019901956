package app.growbin.processor.render;

import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.render.tree.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a cluster needs before it can run an environment's manifests, read from the rendered objects
 * themselves: every Secret key a {@code secretKeyRef}, a KEDA {@code secretTargetRef} or an Ingress
 * {@code tls} entry names; every API group that is not built into Kubernetes (its CRDs and the
 * controller that acts on them); the ingress class and the metrics API of CPU autoscalers. So a new
 * renderer's needs are listed without a second definition here.
 *
 * @param secrets Secret name to key to what reads it (an env variable, a trigger parameter) to the workloads that do
 * @param customResources API version to the kinds the manifests use
 * @param ingressClasses the {@code ingressClassName}s of the Ingresses ("" for the cluster's default)
 * @param cpuAutoscalers the workloads a HorizontalPodAutoscaler scales
 * @param provided Secret name to key to where an ExternalSecret of the environment takes it from
 */
record ClusterRequirements(SortedMap<String, SortedMap<String, SortedMap<String, SortedSet<String>>>> secrets,
                           SortedMap<String, SortedSet<String>> customResources, SortedSet<String> ingressClasses,
                           SortedSet<String> cpuAutoscalers, SortedMap<String, SortedMap<String, String>> provided) {

    /** The API groups Kubernetes serves itself; any other group is a custom resource. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "policy", "autoscaling",
            "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io",
            "discovery.k8s.io", "node.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "certificates.k8s.io",
            "events.k8s.io", "flowcontrol.apiserver.k8s.io");

    /** Who installs the CRDs and runs the controller of a known API group. */
    private static final Map<String, String> CONTROLLERS = Map.of(
            "monitoring.coreos.com", "the Prometheus Operator (for example the kube-prometheus-stack chart), selecting this namespace's monitors and rules",
            "keda.sh", "KEDA (its chart installs the CRDs and the operator)",
            "argoproj.io", "Argo CD, in the namespace `argocd`",
            "external-secrets.io", "the External Secrets Operator, with the SecretStore or ClusterSecretStore each ExternalSecret names",
            "gateway.networking.k8s.io", "the Gateway API CRDs and a Gateway controller serving the Gateway the routes' parentRefs name",
            "autoscaling.k8s.io", "the Vertical Pod Autoscaler (its CRDs and recommender; the updater and admission controller for the Auto mode)",
            "cert-manager.io", "cert-manager, with the Issuer or ClusterIssuer the Certificate names");
    /** Who serves an ingress class that has a well-known controller. */
    private static final Map<String, String> INGRESS_CONTROLLERS = Map.of(
            "alb", "the AWS Load Balancer Controller (IngressClass `alb`; the ALB reaches pods in `ip` mode, or node ports in `instance` mode)",
            "nginx", "ingress-nginx (IngressClass `nginx`)");

    /** The requirements of an environment's objects (its Argo CD Application included, when it has one). */
    static ClusterRequirements of(List<Manifest> manifests) {
        SortedMap<String, SortedMap<String, SortedMap<String, SortedSet<String>>>> secrets = new TreeMap<>();
        SortedMap<String, SortedSet<String>> customResources = new TreeMap<>();
        SortedSet<String> ingressClasses = new TreeSet<>();
        SortedSet<String> cpuAutoscalers = new TreeSet<>();
        SortedMap<String, SortedMap<String, String>> provided = new TreeMap<>();
        for (Manifest manifest : manifests) {
            for (Node document : manifest.documents()) {
                if (!(plain(document) instanceof Map<?, ?> object)) {
                    continue;
                }
                String apiVersion = text(object.get("apiVersion"));
                String kind = text(object.get("kind"));
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                if (!BUILT_IN_GROUPS.contains(group)) {
                    customResources.computeIfAbsent(apiVersion, v -> new TreeSet<>()).add(kind);
                }
                String reader = kind.equals("Deployment") ? workloadName(object) : kind;
                switch (kind) {
                    case "Ingress" -> ingress(object, secrets, ingressClasses);
                    case "HorizontalPodAutoscaler" -> cpuAutoscalers.add(workloadName(object));
                    case "ExternalSecret" -> externalSecret(object, provided);
                    default -> { }
                }
                collectSecretReferences(object, reader, secrets);
            }
        }
        return new ClusterRequirements(secrets, customResources, ingressClasses, cpuAutoscalers, provided);
    }

    /** The section of k8s-out/README.md for one environment. */
    String markdown(String namespace) {
        StringBuilder text = new StringBuilder("### Before the first sync\n\n");
        text.append("The Secrets the objects read in the namespace ").append(namespace.isEmpty() ? "they are applied to"
                : "`" + namespace + "`").append(" (Growbin never writes credentials): those provided by \"you\" must exist before"
                + " the first sync, an ExternalSecret creates the others.\n\n");
        if (secrets.isEmpty()) {
            text.append("(none)\n");
        } else {
            text.append("| Secret | key | read by | provided by |\n| --- | --- | --- | --- |\n");
            secrets.forEach((secret, keys) -> keys.forEach((key, readers) -> {
                List<String> uses = new ArrayList<>();
                readers.forEach((use, workloads) -> uses.add(use + (workloads.isEmpty() ? "" : " of " + String.join(", ", workloads))));
                String source = provided.getOrDefault(secret, new TreeMap<>()).getOrDefault(key, "you, before the first sync");
                text.append("| `").append(secret).append("` | `").append(key).append("` | ").append(String.join("; ", uses))
                        .append(" | ").append(source).append(" |\n");
            }));
        }
        text.append("\nCustom resources: their CRDs and controllers must be installed first.\n\n");
        if (customResources.isEmpty()) {
            text.append("(none)\n");
        } else {
            text.append("| API | kinds | installed by |\n| --- | --- | --- |\n");
            customResources.forEach((apiVersion, kinds) -> text.append("| `").append(apiVersion).append("` | ").append(String.join(", ", kinds))
                    .append(" | ").append(CONTROLLERS.getOrDefault(apiVersion.substring(0, apiVersion.indexOf('/')),
                            "the controller of `" + apiVersion + "`")).append(" |\n"));
        }
        List<String> controllers = new ArrayList<>();
        for (String ingressClass : ingressClasses) {
            controllers.add(ingressClass.isEmpty() ? "Ingress: the cluster's default ingress controller"
                    : "Ingress class `" + ingressClass + "`: " + INGRESS_CONTROLLERS.getOrDefault(ingressClass,
                            "the ingress controller of the class `" + ingressClass + "`"));
        }
        if (!cpuAutoscalers.isEmpty()) {
            controllers.add("CPU autoscaling (HorizontalPodAutoscaler of " + String.join(", ", cpuAutoscalers)
                    + "): the resource metrics API, for example metrics-server");
        }
        if (!controllers.isEmpty()) {
            text.append("\nControllers:\n\n");
            controllers.forEach(controller -> text.append("- ").append(controller).append('\n'));
        }
        return text.toString();
    }

    private static void ingress(Map<?, ?> ingress, SortedMap<String, SortedMap<String, SortedMap<String, SortedSet<String>>>> secrets,
                                SortedSet<String> ingressClasses) {
        Map<?, ?> spec = map(ingress.get("spec"));
        ingressClasses.add(text(spec.get("ingressClassName")));
        for (Object tls : list(spec.get("tls"))) {
            String secret = text(map(tls).get("secretName"));
            if (!secret.isEmpty()) {
                String hosts = String.join(", ", list(map(tls).get("hosts")).stream().map(ClusterRequirements::text).toList());
                for (String key : List.of("tls.crt", "tls.key")) {
                    add(secrets, secret, key, "the Ingress's TLS for " + hosts + " (a `kubernetes.io/tls` Secret)", null);
                }
            }
        }
    }

    /** The keys of the Secret an ExternalSecret creates, and where each comes from. */
    private static void externalSecret(Map<?, ?> object, SortedMap<String, SortedMap<String, String>> provided) {
        Map<?, ?> spec = map(object.get("spec"));
        String target = text(map(spec.get("target")).get("name"));
        String secret = target.isEmpty() ? text(map(object.get("metadata")).get("name")) : target;
        Map<?, ?> store = map(spec.get("secretStoreRef"));
        String from = "ExternalSecret `" + text(map(object.get("metadata")).get("name")) + "` from " + text(store.get("kind"))
                + " `" + text(store.get("name")) + "`";
        for (Object item : list(spec.get("data"))) {
            Map<?, ?> remote = map(map(item).get("remoteRef"));
            String property = text(remote.get("property"));
            provided.computeIfAbsent(secret, s -> new TreeMap<>()).put(text(map(item).get("secretKey")),
                    from + " (`" + text(remote.get("key")) + "`" + (property.isEmpty() ? "" : ", `" + property + "`") + ")");
        }
    }

    /** Every {@code secretKeyRef} (an env variable) and KEDA {@code secretTargetRef} (a trigger parameter) in the object. */
    private static void collectSecretReferences(Object node, String reader, SortedMap<String, SortedMap<String, SortedMap<String, SortedSet<String>>>> secrets) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("valueFrom") instanceof Map<?, ?> from && from.get("secretKeyRef") instanceof Map<?, ?> ref) {
                add(secrets, text(ref.get("name")), text(ref.get("key")), "`" + text(map.get("name")) + "`", reader);
            }
            if (map.get("secretTargetRef") instanceof List<?> targets) {
                for (Object target : targets) {
                    Map<?, ?> ref = map(target);
                    add(secrets, text(ref.get("name")), text(ref.get("key")), "`" + text(ref.get("parameter")) + "`", reader);
                }
            }
            map.values().forEach(value -> collectSecretReferences(value, reader, secrets));
        } else if (node instanceof List<?> items) {
            items.forEach(item -> collectSecretReferences(item, reader, secrets));
        }
    }

    /** {@code use} (a variable, a parameter) of {@code secret}/{@code key}, by {@code reader} when not null. */
    private static void add(SortedMap<String, SortedMap<String, SortedMap<String, SortedSet<String>>>> secrets, String secret, String key,
                            String use, String reader) {
        SortedSet<String> readers = secrets.computeIfAbsent(secret, s -> new TreeMap<>()).computeIfAbsent(key, k -> new TreeMap<>())
                .computeIfAbsent(use, u -> new TreeSet<>());
        if (reader != null) {
            readers.add(reader);
        }
    }

    /** {@code app.kubernetes.io/name}, else the object's name. */
    private static String workloadName(Map<?, ?> object) {
        Map<?, ?> metadata = map(object.get("metadata"));
        return Optional.ofNullable(map(metadata.get("labels")).get("app.kubernetes.io/name")).map(ClusterRequirements::text)
                .orElse(text(metadata.get("name")));
    }

    /** A known tree as maps, lists and values. */
    private static Object plain(Node node) {
        if (node instanceof Node.Mapping mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Node.Entry entry : mapping.entries()) {
                map.put(entry.key(), plain(entry.value()));
            }
            return map;
        }
        if (node instanceof Node.Sequence sequence) {
            List<Object> items = new ArrayList<>(sequence.items().size());
            for (Node item : sequence.items()) {
                items.add(plain(item));
            }
            return Collections.unmodifiableList(items);
        }
        return node instanceof Node.Scalar scalar && scalar.value().isLiteral() ? scalar.value().value() : null;
    }

    private static Map<?, ?> map(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
