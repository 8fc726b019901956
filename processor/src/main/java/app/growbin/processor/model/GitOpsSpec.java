package app.growbin.processor.model;

/**
 * Where Argo CD finds the manifests of one environment and where it deploys them.
 *
 * @param path folder of the GitOps repository that receives {@code k8s-out/}; the environment's
 *             manifests are at {@code <path>/<env>}
 */
public record GitOpsSpec(String repoUrl, String targetRevision, String path, String namespace) {

    public String environmentPath(String environment) {
        return path.isEmpty() ? environment : path + "/" + environment;
    }
}
