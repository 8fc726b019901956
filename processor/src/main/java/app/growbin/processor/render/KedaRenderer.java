package app.growbin.processor.render;

import app.growbin.processor.model.AutoscalingSpec;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.WorkerModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Queue-length autoscaling with KEDA (fabric8 has no KEDA model, so these are plain maps in the
 * {@code keda.sh/v1alpha1} shape): a ScaledObject per worker with a {@code rabbitmq} trigger on its
 * queue, and one TriggerAuthentication that reads the broker URL from the Celery Secret.
 */
final class KedaRenderer {

    static final String API_VERSION = "keda.sh/v1alpha1";

    Map<String, Object> scaledObject(EnvironmentModel environment, WorkerModel worker, AutoscalingSpec autoscaling) {
        Map<String, Object> trigger = new LinkedHashMap<>();
        trigger.put("type", "rabbitmq");
        trigger.put("metadata", Map.of(
                "protocol", "amqp",
                "queueName", worker.queue(),
                "mode", "QueueLength",
                "value", String.valueOf(autoscaling.queueLength())));
        trigger.put("authenticationRef", Map.of("name", triggerAuthenticationName(environment)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("scaleTargetRef", Map.of("apiVersion", "apps/v1", "kind", "Deployment", "name", environment.objectName(worker)));
        spec.put("minReplicaCount", autoscaling.minReplicas());
        spec.put("maxReplicaCount", autoscaling.maxReplicas());
        spec.put("triggers", List.of(trigger));
        return object("ScaledObject", environment.objectName(worker), Labels.of(environment, worker), spec);
    }

    Map<String, Object> triggerAuthentication(EnvironmentModel environment) {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("parameter", "host");
        reference.put("name", environment.brokerSecret().name());
        reference.put("key", environment.brokerSecret().key());
        return object("TriggerAuthentication", triggerAuthenticationName(environment), Labels.shared(environment, "autoscaling"),
                Map.of("secretTargetRef", List.of(reference)));
    }

    static String triggerAuthenticationName(EnvironmentModel environment) {
        return environment.appName() + "-rabbitmq";
    }

    private static Map<String, Object> object(String kind, String name, Map<String, String> labels, Map<String, Object> spec) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", API_VERSION);
        object.put("kind", kind);
        object.put("metadata", Map.of("name", name, "labels", labels));
        object.put("spec", spec);
        return object;
    }
}
