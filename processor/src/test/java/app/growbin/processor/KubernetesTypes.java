package app.growbin.processor;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * fabric8's typed Kubernetes model as a check of the generated objects: each object of a kind fabric8
 * models is read into its type, and every field must be one the type knows (fabric8 keeps unknown
 * fields in {@code additionalProperties}, which must stay empty everywhere in the object). Kinds
 * fabric8 has no model of here (KEDA, Argo CD, and the like) are checked by their schemas in
 * tools/manifest-check instead.
 */
final class KubernetesTypes {

    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final Map<String, Class<? extends KubernetesResource>> TYPES = Map.ofEntries(
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    private KubernetesTypes() {}

    /** Fields of the objects of a YAML text that their fabric8 types do not know, as {@code Kind/name: path}. */
    static List<String> unknownFields(String yaml) {
        List<String> unknown = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            for (JsonNode document : MAPPER.readValues(parser, JsonNode.class).readAll()) {
                if (document == null || !document.isObject()) {
                    continue;
                }
                String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
                Class<? extends KubernetesResource> modelled = TYPES.get(type);
                if (modelled != null) {
                    String name = document.path("kind").asText() + "/" + document.path("metadata").path("name").asText();
                    collect(name, MAPPER.treeToValue(document, modelled), unknown, new IdentityHashMap<>());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return unknown;
    }

    /** Walks the model's getters; every {@code additionalProperties} met must be empty. */
    private static void collect(String path, Object value, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collect(path + "[" + i++ + "]", item, unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> collect(path + "." + key, item, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object property = getter.invoke(value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (property instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + Set.copyOf(extra.keySet()));
                    }
                } else {
                    collect(path + "." + Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4), property, unknown, seen);
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(getter + " of " + value.getClass(), e);
            }
        }
    }
}
