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

/**
 * The one Ingress of the application: a path per enabled REST service, to its Service's http port.
 * TLS follows the class: the AWS Load Balancer Controller ({@code alb}) takes its certificate from ACM
 * (the certificate-arn annotation, or discovery from the TLS host) and never reads a Secret, so no
 * {@code secretName} is written for it; other classes read the Secret, which cert-manager fills when
 * a ClusterIssuer is named.
 */
final class IngressRenderer {

    static final String ALB_CERTIFICATE_ARN = "alb.ingress.kubernetes.io/certificate-arn";
    static final String CERT_MANAGER_CLUSTER_ISSUER = "cert-manager.io/cluster-issuer";

    /** Whether the ingress class is the AWS Load Balancer Controller's. */
    static Expr<Boolean> alb(SettingsView view) {
        return Ops.equal(view.get(Settings.INGRESS_CLASS_NAME), "alb");
    }

    /** Whether the Ingress has a TLS entry: TLS enabled and a host to name in it. */
    static Expr<Boolean> tls(SettingsView view) {
        return Ops.and(view.get(Settings.INGRESS_TLS_ENABLED), Ops.nonEmpty(view.get(Settings.INGRESS_HOST)));
    }

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
        Expr<Boolean> alb = alb(view);
        Expr<String> certificateArn = Ops.orEmpty(view.get(Settings.INGRESS_TLS_CERTIFICATE_ARN));
        Expr<String> clusterIssuer = Ops.orEmpty(view.get(Settings.INGRESS_TLS_CLUSTER_ISSUER));
        Expr<SortedMap<String, String>> given = view.get(Settings.INGRESS_ANNOTATIONS);
        Expr<Boolean> acmCertificate = Ops.and(alb, view.get(Settings.INGRESS_TLS_ENABLED), Ops.nonEmpty(certificateArn));
        Expr<Boolean> certManager = Ops.and(Ops.not(alb), view.get(Settings.INGRESS_TLS_ENABLED), Ops.nonEmpty(host), Ops.nonEmpty(clusterIssuer));
        Expr<SortedMap<String, String>> annotations = Ops.putIf(certManager,
                Ops.putIf(acmCertificate, given, ALB_CERTIFICATE_ARN, certificateArn), CERT_MANAGER_CLUSTER_ISSUER, clusterIssuer);
        Expr<String> secret = view.get(Settings.INGRESS_TLS_SECRET);
        return resource("networking.k8s.io/v1", "Ingress", map(
                        "name", Labels.applicationObject(view, "-api"),
                        "labels", Labels.shared(view, "ingress"),
                        "annotations", when(Ops.or(Ops.nonEmpty(given), acmCertificate, certManager), mapOf(annotations))),
                "spec", map(
                        "ingressClassName", when(Ops.nonEmpty(className), className),
                        "rules", list(map(
                                "host", when(Ops.nonEmpty(host), host),
                                "http", map("paths", list(paths)))),
                        "tls", when(tls(view), list(map(
                                "hosts", list(host),
                                "secretName", when(Ops.and(Ops.not(alb), Ops.nonEmpty(secret)), secret))))));
    }
}
