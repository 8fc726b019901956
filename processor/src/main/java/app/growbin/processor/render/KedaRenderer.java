package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;

import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;

/**
 * Queue-length autoscaling with KEDA ({@code keda.sh/v1alpha1}): a ScaledObject per worker with a
 * {@code rabbitmq} trigger on its queue, and one TriggerAuthentication that reads the broker URL from
 * the Celery Secret.
 */
final class KedaRenderer {

    static final String API_VERSION = "keda.sh/v1alpha1";
    static final String TRIGGER_AUTHENTICATION_SUFFIX = "-rabbitmq";

    Node scaledObject(SettingsView view, WorkerModel worker) {
        return resource(API_VERSION, "ScaledObject", map("name", Labels.objectName(view, worker), "labels", Labels.of(view, worker)),
                "spec", map(
                        "scaleTargetRef", map("apiVersion", "apps/v1", "kind", "Deployment", "name", Labels.objectName(view, worker)),
                        "minReplicaCount", view.get(worker, Settings.MIN_REPLICAS),
                        "maxReplicaCount", view.get(worker, Settings.MAX_REPLICAS),
                        "triggers", list(map(
                                "type", "rabbitmq",
                                "metadata", map(
                                        "protocol", "amqp",
                                        "queueName", worker.queue(),
                                        "mode", "QueueLength",
                                        "value", Ops.string(view.get(worker, Settings.QUEUE_LENGTH))),
                                "authenticationRef", map("name", Labels.applicationObject(view, TRIGGER_AUTHENTICATION_SUFFIX))))));
    }

    Node triggerAuthentication(SettingsView view) {
        return resource(API_VERSION, "TriggerAuthentication", map(
                        "name", Labels.applicationObject(view, TRIGGER_AUTHENTICATION_SUFFIX),
                        "labels", Labels.shared(view, "autoscaling")),
                "spec", map("secretTargetRef", list(map(
                        "parameter", "host",
                        "name", view.get(Settings.BROKER_SECRET_NAME),
                        "key", view.get(Settings.BROKER_SECRET_KEY)))));
    }
}
