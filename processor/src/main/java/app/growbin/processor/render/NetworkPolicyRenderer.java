package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;

import app.growbin.contract.Endpoints;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Nodes;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;
import java.util.List;

/**
 * Opt-in isolation: REST pods take their http port only from the ingress controller's and the
 * monitoring namespaces; worker pods take only their metrics port from monitoring. Every other
 * inbound connection is denied (the policies select the pods and list no other source).
 */
final class NetworkPolicyRenderer {

    static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    Node render(SettingsView view, WorkloadKind kind) {
        Expr<String> monitoring = view.get(Settings.MONITORING_NAMESPACE);
        List<Expr<String>> namespaces = kind == WorkloadKind.REST ? List.of(view.get(Settings.INGRESS_NAMESPACE), monitoring) : List.of(monitoring);
        String port = kind == WorkloadKind.REST ? Endpoints.HTTP_PORT_NAME : Endpoints.METRICS_PORT_NAME;
        return resource("networking.k8s.io/v1", "NetworkPolicy", map(
                        "name", Labels.applicationObject(view, "-" + kind.component()),
                        "labels", Labels.shared(view, "network-policy")),
                "spec", map(
                        "podSelector", map("matchLabels", Labels.componentSelector(view, kind)),
                        "policyTypes", list("Ingress"),
                        "ingress", list(map(
                                "from", list(Nodes.forEachItem(Ops.uniqueSorted(namespaces), namespace -> map(
                                        "namespaceSelector", map("matchLabels", map(NAMESPACE_NAME, namespace))))),
                                "ports", list(map("port", port, "protocol", "TCP"))))));
    }
}
