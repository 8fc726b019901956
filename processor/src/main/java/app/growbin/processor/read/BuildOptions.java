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
 * @param outputFolder the folder whose {@code <env>/} subfolders the processor owns
 * @param imageTag {@code -Agrowbin.image.tag}, for example the Git commit CI builds
 */
public record BuildOptions(Optional<Path> configFolder, Path outputFolder, Optional<String> imageTag) {

    public static final String CONFIG = "growbin.config";
    public static final String OUTPUT = "growbin.output";
    public static final String IMAGE_TAG = "growbin.image.tag";

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
