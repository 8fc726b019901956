package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;

import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Node;

/** A PDB that lets one pod go at a time, so a drain never takes the whole service and never blocks forever. */
final class DisruptionBudgetRenderer {

    Node render(SettingsView view, Workload workload) {
        return resource("policy/v1", "PodDisruptionBudget", map("name", Labels.objectName(view, workload), "labels", Labels.of(view, workload)),
                "spec", map("maxUnavailable", 1, "selector", map("matchLabels", Labels.selector(view, workload))));
    }
}
