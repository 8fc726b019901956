package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

/** The non-secret settings every container reads through {@code envFrom}. */
final class ConfigMapRenderer {

    ConfigMap render(EnvironmentModel environment) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                    .withName(environment.configMapName())
                    .withLabels(Labels.shared(environment, "config"))
                .endMetadata()
                .withData(environment.config())
                .build();
    }
}
