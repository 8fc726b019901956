package app.growbin.processor.model;

import java.util.List;

/** What the processor generates from: the code's catalog and one model per environment. */
public record ApplicationModel(Catalog catalog, List<EnvironmentModel> environments) {

    public ApplicationModel {
        environments = List.copyOf(environments);
    }
}
