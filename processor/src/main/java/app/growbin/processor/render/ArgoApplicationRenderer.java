package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.list;
import static app.growbin.processor.render.tree.Nodes.map;
import static app.growbin.processor.render.tree.Nodes.resource;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.settings.Settings;
import java.util.List;

/**
 * An Argo CD {@code Application} per environment ({@code argoproj.io/v1alpha1}): the GitOps
 * repository's {@code <gitops.path>/<env>} synced automatically, with prune and self-heal, into
 * {@code gitops.namespace}. Not part of the Helm chart.
 */
public final class ArgoApplicationRenderer {

    public static final String FOLDER = "argocd";

    public Manifest render(EnvironmentModel environment) {
        EnvironmentView view = new EnvironmentView(environment);
        String name = environment.appName() + "-" + environment.name();
        return new Manifest(name + ".yaml", "gitops.* of values.yaml and values-" + environment.name() + ".yaml", List.of(
                resource("argoproj.io/v1alpha1", "Application",
                        map("name", name, "namespace", "argocd", "labels", Labels.shared(view, "gitops")),
                        "spec", map(
                                "project", "default",
                                "source", map(
                                        "repoURL", environment.get(Settings.GITOPS_REPO_URL),
                                        "targetRevision", environment.get(Settings.GITOPS_TARGET_REVISION),
                                        "path", environment.gitOpsPath()),
                                "destination", map("server", "https://kubernetes.default.svc", "namespace", environment.get(Settings.GITOPS_NAMESPACE)),
                                "syncPolicy", map(
                                        "automated", map("prune", true, "selfHeal", true),
                                        "syncOptions", list("CreateNamespace=true"))))));
    }
}
