package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import java.util.Comparator;
import java.util.List;

/**
 * The Gateway API form of the Ingress ({@code ingress.kind: gateway}): one HTTPRoute
 * ({@code gateway.networking.k8s.io/v1}) attached to {@code ingress.gateway.parentRef}, with the
 * Ingress's host and one rule per enabled REST service: its path as a {@code PathPrefix} match (the
 * same element-wise prefix as the Ingress's {@code Prefix}) to its Service's port. TLS terminates at
 * the Gateway's listener, so the route carries no certificate. The Gateway API allows 16 rules per
 * route; {@code PlatformRules} refuses more enabled REST services with {@code ingress.kind: gateway}.
 */
final class HttpRouteRenderer {

    static final String GROUP = "gateway.networking.k8s.io";
    static final String API_VERSION = GROUP + "/v1";
    Node render(SettingsView view) {
        List<Node> rules = view.restServices().stream()
                .sorted(Comparator.comparing(RestServiceModel::path))
                .map(service -> when(view.get(service, Settings.ENABLED), map(
                        "matches", list(map("path", map("type", "PathPrefix", "value", service.path()))),
                        "backendRefs", list(map(
                                "name", Labels.objectName(view, service),
                                "port", service.port())))))
                .toList();
        Expr<String> host = view.get(Settings.INGRESS_HOST);
        Expr<String> namespace = view.get(Settings.GATEWAY_NAMESPACE);
        Expr<String> section = view.get(Settings.GATEWAY_SECTION_NAME);
        return resource(API_VERSION, "HTTPRoute", map(
                        "name", Labels.applicationObject(view, "-api"),
                        "labels", Labels.shared(view, "ingress")),
                "spec", map(
                        "parentRefs", list(map(
                                "group", GROUP,
                                "kind", "Gateway",
                                "name", view.get(Settings.GATEWAY_NAME),
                                "namespace", when(Ops.nonEmpty(namespace), namespace),
                                "sectionName", when(Ops.nonEmpty(section), section))),
                        "hostnames", when(Ops.nonEmpty(host), list(host)),
                        "rules", list(rules)));
    }
}
