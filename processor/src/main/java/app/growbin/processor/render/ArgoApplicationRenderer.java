package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.GitOpsSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Argo CD {@code Application} per environment ({@code argoproj.io/v1alpha1}; fabric8 has no model
 * of it, so a plain map): the GitOps repository's {@code <gitops.path>/<env>} synced automatically,
 * with prune and self-heal, into {@code gitops.namespace}.
 */
public final class ArgoApplicationRenderer {

    public static final String FOLDER = "argocd";

    public RenderedFile render(EnvironmentModel environment) {
        GitOpsSpec gitOps = environment.gitOps();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("repoURL", gitOps.repoUrl());
        source.put("targetRevision", gitOps.targetRevision());
        source.put("path", gitOps.environmentPath(environment.name()));
        Map<String, Object> automated = new LinkedHashMap<>();
        automated.put("prune", true);
        automated.put("selfHeal", true);
        Map<String, Object> syncPolicy = new LinkedHashMap<>();
        syncPolicy.put("automated", automated);
        syncPolicy.put("syncOptions", List.of("CreateNamespace=true"));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("project", "default");
        spec.put("source", source);
        spec.put("destination", Map.of("server", "https://kubernetes.default.svc", "namespace", gitOps.namespace()));
        spec.put("syncPolicy", syncPolicy);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name(environment));
        metadata.put("namespace", "argocd");
        metadata.put("labels", Labels.shared(environment, "gitops"));
        Map<String, Object> application = new LinkedHashMap<>();
        application.put("apiVersion", "argoproj.io/v1alpha1");
        application.put("kind", "Application");
        application.put("metadata", metadata);
        application.put("spec", spec);
        return new RenderedFile(name(environment) + ".yaml", "gitops.* of values.yaml and values-" + environment.name() + ".yaml", List.of(application));
    }

    static String name(EnvironmentModel environment) {
        return environment.appName() + "-" + environment.name();
    }
}
