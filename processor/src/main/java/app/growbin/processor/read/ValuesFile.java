package app.growbin.processor.read;

import java.nio.file.Path;

/**
 * One parsed values file: {@code values.yaml} (environment {@code null}) or {@code values-<env>.yaml}.
 */
public record ValuesFile(Path path, String environment, YamlNode.Mapping root) {

    public boolean isOverlay() {
        return environment != null;
    }

    public String fileName() {
        return path.getFileName().toString();
    }
}
