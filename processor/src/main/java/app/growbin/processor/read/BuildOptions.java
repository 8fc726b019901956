package app.growbin.processor.read;

import app.growbin.processor.settings.Settings;
import app.growbin.processor.site.Located;
import app.growbin.processor.site.Site;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The processor options ({@code -A...}): where the values files are, where manifests go, and the
 * build properties that beat every values file.
 *
 * @param configFolder folder with values.yaml and values-&lt;env&gt;.yaml; empty: write no manifests
 * @param outputFolder the folder whose {@code <env>/} subfolders the processor owns (with {@code argocd/},
 *                     {@code helm/} and {@code README.md}); only what GitOps tooling may read goes there
 * @param imageTag {@code -Agrowbin.image.tag}, for example the Git commit CI builds
 */
public record BuildOptions(Optional<Path> configFolder, Path outputFolder, Optional<String> imageTag) {

    public static final String CONFIG = "growbin.config";
    public static final String OUTPUT = "growbin.output";
    public static final String IMAGE_TAG = "growbin.image.tag";
    /** What {@link #testsFolder()} adds to the output folder's name. */
    public static final String TESTS_SUFFIX = "-tests";

    /**
     * The folder beside the output folder, named after it ({@code k8s-out} → {@code k8s-out-tests}), where the
     * processor writes what checks the manifests but is no Kubernetes object: the promtool tests of the alerts.
     * Not inside the output folder, which GitOps tooling reads as objects (Argo CD, kustomize, kubeconform).
     */
    public Path testsFolder() {
        return outputFolder.resolveSibling(outputFolder.getFileName() + TESTS_SUFFIX);
    }

    /** The image tag of an environment: {@code -Agrowbin.image.tag} beats every values file. */
    public Optional<Located<String>> imageTag(ValuesLayers values) {
        return imageTag.map(tag -> new Located<>(tag, (Site) new Site.InOption(IMAGE_TAG))).or(() -> values.get(Settings.IMAGE_TAG));
    }

    public static BuildOptions from(Map<String, String> options) {
        Optional<Path> config = nonBlank(options.get(CONFIG)).map(p -> Path.of(p).toAbsolutePath().normalize());
        Path output = nonBlank(options.get(OUTPUT)).map(p -> Path.of(p).toAbsolutePath().normalize())
                .orElseGet(() -> config.map(c -> c.toAbsolutePath().getParent().getParent().getParent().resolve("k8s-out")).orElse(Path.of("k8s-out")));
        return new BuildOptions(config, output, nonBlank(options.get(IMAGE_TAG)));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? Optional.empty() : Optional.of(value.trim());
    }
}
