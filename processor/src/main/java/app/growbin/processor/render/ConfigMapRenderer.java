package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.mapOf;
import static app.growbin.processor.render.tree.Nodes.resource;

import app.growbin.processor.render.tree.Node;

/** The non-secret settings every container reads through {@code envFrom}. */
final class ConfigMapRenderer {

    Node render(SettingsView view) {
        return resource("v1", "ConfigMap", map("name", Labels.applicationObject(view, "-config"), "labels", Labels.shared(view, "config")),
                "data", mapOf(view.configData()));
    }
}
