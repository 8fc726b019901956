package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.mapOf;
import static app.growbin.processor.render.tree.Nodes.resource;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.contract.Endpoints;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;

/** The one Ingress of the application: a path per enabled REST service, to its Service's http port. */
final class IngressRenderer {

    Node render(SettingsView view) {
        List<Node> paths = view.restServices().stream()
                .sorted(Comparator.comparing(RestServiceModel::path))
                .map(service -> when(view.get(service, Settings.ENABLED), map(
                        "path", service.path(),
                        "pathType", "Prefix",
                        "backend", map("service", map(
                                "name", Labels.objectName(view, service),
                                "port", map("name", Endpoints.HTTP_PORT_NAME))))))
                .toList();
        Expr<String> host = view.get(Settings.INGRESS_HOST);
        Expr<String> className = view.get(Settings.INGRESS_CLASS_NAME);
        Expr<SortedMap<String, String>> annotations = view.get(Settings.INGRESS_ANNOTATIONS);
        Expr<String> secret = view.get(Settings.INGRESS_TLS_SECRET);
        return resource("networking.k8s.io/v1", "Ingress", map(
                        "name", Labels.applicationObject(view, "-api"),
                        "labels", Labels.shared(view, "ingress"),
                        "annotations", when(Ops.nonEmpty(annotations), mapOf(annotations))),
                "spec", map(
                        "ingressClassName", when(Ops.nonEmpty(className), className),
                        "rules", list(map(
                                "host", when(Ops.nonEmpty(host), host),
                                "http", map("paths", list(paths)))),
                        "tls", when(Ops.and(view.get(Settings.INGRESS_TLS_ENABLED), Ops.nonEmpty(host)), list(map(
                                "hosts", list(host),
                                "secretName", when(Ops.nonEmpty(secret), secret))))));
    }
}
