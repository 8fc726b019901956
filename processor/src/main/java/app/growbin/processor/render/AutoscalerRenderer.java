package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;

import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.settings.Settings;

/** An {@code autoscaling/v2} HPA on CPU utilization; it owns the Deployment's replica count. */
final class AutoscalerRenderer {

    Node render(SettingsView view, Workload workload) {
        return resource("autoscaling/v2", "HorizontalPodAutoscaler", map("name", Labels.objectName(view, workload), "labels", Labels.of(view, workload)),
                "spec", map(
                        "scaleTargetRef", map("apiVersion", "apps/v1", "kind", "Deployment", "name", Labels.objectName(view, workload)),
                        "minReplicas", view.get(workload, Settings.MIN_REPLICAS),
                        "maxReplicas", view.get(workload, Settings.MAX_REPLICAS),
                        "metrics", list(map(
                                "type", "Resource",
                                "resource", map(
                                        "name", "cpu",
                                        "target", map("type", "Utilization",
                                                "averageUtilization", view.get(workload, Settings.TARGET_CPU_UTILIZATION)))))));
    }
}
