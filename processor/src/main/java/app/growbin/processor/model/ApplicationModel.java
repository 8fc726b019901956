package app.growbin.processor.model;

import java.util.List;

/**
 * What the processor generates from: the code's catalog and one model per environment.
 *
 * @param defaults the application as the annotations and {@code values.yaml} alone describe it (no
 *                 {@code values-<env>.yaml} applied; named {@link #DEFAULTS}): what the exported Helm
 *                 chart's {@code values.yaml} holds, the environments being differences from it
 */
public record ApplicationModel(Catalog catalog, List<EnvironmentModel> environments, EnvironmentModel defaults) {

    /** The {@link EnvironmentModel#name()} of {@link #defaults()}. */
    public static final String DEFAULTS = "default";

    public ApplicationModel {
        environments = List.copyOf(environments);
    }
}
