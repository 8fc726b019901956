package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.contract.Endpoints;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;

/**
 * A REST service's Service. Its type follows the ingress: an AWS ALB in {@code instance} mode
 * reaches pods through node ports, every other ingress (and a Gateway API route) through a ClusterIP.
 * Behind an ALB the target group's health check uses the readiness path.
 */
final class ServiceRenderer {

    static final String ALB_HEALTHCHECK_PATH = "alb.ingress.kubernetes.io/healthcheck-path";
    static final String ALB_HEALTHCHECK_PORT = "alb.ingress.kubernetes.io/healthcheck-port";
    static final String ALB_TARGET_TYPE = "alb.ingress.kubernetes.io/target-type";

    Node render(SettingsView view, RestServiceModel service) {
        Expr<Boolean> ingress = view.get(Settings.INGRESS_ENABLED);
        Expr<Boolean> notGateway = Ops.equal(view.get(Settings.INGRESS_KIND), "ingress");
        Expr<Boolean> alb = Ops.and(ingress, notGateway, Ops.equal(view.get(Settings.INGRESS_CLASS_NAME), "alb"));
        Expr<Boolean> nodePorts = Ops.and(ingress, notGateway, Ops.equal(Ops.get(view.get(Settings.INGRESS_ANNOTATIONS), ALB_TARGET_TYPE), "instance"));
        return resource("v1", "Service", map(
                        "name", Labels.objectName(view, service),
                        "labels", Labels.of(view, service),
                        "annotations", when(alb, map(ALB_HEALTHCHECK_PATH, Endpoints.READY_PATH, ALB_HEALTHCHECK_PORT, "traffic-port"))),
                "spec", map(
                        "type", Ops.choose(nodePorts, Expr.text("NodePort"), Expr.text("ClusterIP")),
                        "selector", Labels.selector(view, service),
                        "ports", list(map(
                                "name", Endpoints.HTTP_PORT_NAME,
                                "port", service.port(),
                                "targetPort", Endpoints.HTTP_PORT_NAME,
                                "protocol", "TCP"))));
    }
}
