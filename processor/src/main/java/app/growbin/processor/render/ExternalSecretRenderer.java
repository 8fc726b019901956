package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;
import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.processor.model.SecretEnvVar;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * With {@code secrets.externalStore} set, one ExternalSecret ({@code external-secrets.io/v1}) per
 * Secret the manifests read, which the External Secrets Operator creates and owns, filled from the
 * store: each key the manifests read is the property of that name of the Secret's remote key
 * ({@code secrets.externalStore.remoteKeys}, the Secret's own name by default).
 *
 * <p>The Secrets and their keys are the references of {@code EnvironmentModel.referencedSecrets()},
 * in its order: the Celery broker's and result backend's (settings), each {@code @SecretEnv} of an
 * enabled workload (the code), the Ingress's TLS Secret where the cluster reads it. In the Helm chart
 * the names of the first and the last are values, so which references share a Secret is decided when
 * Helm renders: each reference has an object when it is present and no earlier present reference
 * names the same Secret, and that object lists every present reference to its Secret, each key once.
 */
final class ExternalSecretRenderer {

    static final String API_VERSION = "external-secrets.io/v1";

    /** One key read from one Secret, where the manifests read it. */
    private record Reference(Expr<String> secret, Expr<String> key, Expr<Boolean> present, boolean tls) {}

    /** An ExternalSecret per Secret, each under its condition. */
    List<Node> render(SettingsView view) {
        List<Reference> references = references(view);
        Expr<Boolean> enabled = Ops.nonEmpty(view.get(Settings.EXTERNAL_STORE_NAME));
        List<Node> objects = new ArrayList<>();
        for (int i = 0; i < references.size(); i++) {
            Reference reference = references.get(i);
            Expr<Boolean> first = Ops.and(enabled, reference.present(), Ops.not(Ops.or(references.subList(0, i).stream()
                    .map(earlier -> sameSecret(earlier, reference)).toList())));
            objects.add(when(first, externalSecret(view, reference.secret(), references)));
        }
        return objects;
    }

    private static Node externalSecret(SettingsView view, Expr<String> secret, List<Reference> references) {
        Expr<String> remoteKey = Ops.getOrKey(view.get(Settings.EXTERNAL_STORE_REMOTE_KEYS), secret);
        List<Node> data = new ArrayList<>();
        List<Expr<Boolean>> tls = new ArrayList<>();
        for (int j = 0; j < references.size(); j++) {
            Reference reference = references.get(j);
            Expr<Boolean> ofThisSecret = Ops.and(reference.present(), Ops.equal(reference.secret(), secret));
            Expr<Boolean> keyNamedBefore = Ops.or(references.subList(0, j).stream()
                    .map(earlier -> Ops.and(earlier.present(), Ops.equal(earlier.secret(), reference.secret()), Ops.equal(earlier.key(), reference.key())))
                    .toList());
            data.add(when(Ops.and(reference.present(), Ops.equal(reference.secret(), secret), Ops.not(keyNamedBefore)), map(
                    "secretKey", reference.key(),
                    "remoteRef", map("key", remoteKey, "property", reference.key()))));
            if (reference.tls()) {
                tls.add(ofThisSecret);
            }
        }
        return resource(API_VERSION, "ExternalSecret", map("name", secret, "labels", Labels.shared(view, "secrets")),
                "spec", map(
                        "refreshInterval", view.get(Settings.EXTERNAL_STORE_REFRESH),
                        "secretStoreRef", map("kind", view.get(Settings.EXTERNAL_STORE_KIND), "name", view.get(Settings.EXTERNAL_STORE_NAME)),
                        "target", map(
                                "name", secret,
                                "creationPolicy", "Owner",
                                "template", when(Ops.or(tls), map("type", "kubernetes.io/tls"))),
                        "data", list(data)));
    }

    /** Whether {@code earlier} is present and names the same Secret as {@code reference}. */
    private static Expr<Boolean> sameSecret(Reference earlier, Reference reference) {
        return Ops.and(earlier.present(), Ops.equal(earlier.secret(), reference.secret()));
    }

    /** The references of {@code EnvironmentModel.referencedSecrets()}, each with the condition under which the manifests make it. */
    private static List<Reference> references(SettingsView view) {
        List<Workload> workloads = Stream.concat(view.restServices().stream(), view.workers().stream()).map(Workload.class::cast).toList();
        Expr<Boolean> anyWorkload = Ops.or(workloads.stream().map(w -> view.get(w, Settings.ENABLED)).toList());
        List<Reference> references = new ArrayList<>();
        references.add(new Reference(view.get(Settings.BROKER_SECRET_NAME), view.get(Settings.BROKER_SECRET_KEY), anyWorkload, false));
        references.add(new Reference(view.get(Settings.BACKEND_SECRET_NAME), view.get(Settings.BACKEND_SECRET_KEY), anyWorkload, false));
        Map<String, Map<String, List<Expr<Boolean>>>> fromCode = new TreeMap<>();
        for (Workload workload : workloads) {
            for (SecretEnvVar variable : workload.secretEnv()) {
                fromCode.computeIfAbsent(variable.secret(), s -> new TreeMap<>()).computeIfAbsent(variable.key(), k -> new ArrayList<>())
                        .add(view.get(workload, Settings.ENABLED));
            }
        }
        fromCode.forEach((secret, keys) -> keys.forEach((key, readers) ->
                references.add(new Reference(Expr.text(secret), Expr.text(key), Ops.or(readers), false))));
        Expr<String> tlsSecret = Ops.orEmpty(view.get(Settings.INGRESS_TLS_SECRET));
        Expr<Boolean> anyRest = Ops.or(view.restServices().stream().map(s -> view.get(s, Settings.ENABLED)).toList());
        Expr<Boolean> tlsFromSecret = Ops.and(view.get(Settings.INGRESS_ENABLED), Ops.equal(view.get(Settings.INGRESS_KIND), "ingress"), anyRest,
                view.get(Settings.INGRESS_TLS_ENABLED), Ops.nonEmpty(view.get(Settings.INGRESS_HOST)), Ops.not(IngressRenderer.alb(view)), Ops.nonEmpty(tlsSecret),
                Ops.equal(Ops.orEmpty(view.get(Settings.INGRESS_TLS_CLUSTER_ISSUER)), ""));
        references.add(new Reference(tlsSecret, Expr.text("tls.crt"), tlsFromSecret, true));
        references.add(new Reference(tlsSecret, Expr.text("tls.key"), tlsFromSecret, true));
        return references;
    }
}
