package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;

import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Node;

/**
 * A workload's VerticalPodAutoscaler ({@code autoscaling.k8s.io/v1}) in recommendation mode:
 * {@code updateMode: "Off"}, so the recommender publishes CPU and memory requests in the object's
 * status and never evicts or resizes a pod. It therefore sits beside an HPA or KEDA on CPU or queue
 * length without fighting them; an operator reads the recommendation and changes
 * {@code resources.*} in the values.
 */
final class VerticalAutoscalerRenderer {

    static final String API_VERSION = "autoscaling.k8s.io/v1";

    Node render(SettingsView view, Workload workload) {
        return resource(API_VERSION, "VerticalPodAutoscaler", map(
                        "name", Labels.objectName(view, workload),
                        "labels", Labels.of(view, workload)),
                "spec", map(
                        "targetRef", map("apiVersion", "apps/v1", "kind", "Deployment", "name", Labels.objectName(view, workload)),
                        "updatePolicy", map("updateMode", "Off"),
                        "resourcePolicy", map("containerPolicies", list(map(
                                "containerName", workload.name(),
                                "controlledResources", list("cpu", "memory"))))));
    }
}
