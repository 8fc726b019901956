package app.growbin.processor.model;

import java.util.List;

/**
 * Every REST service and worker the code declares, with the values of its annotations only (no
 * environment applied, disabled ones included): what the generated Java sources describe, so that
 * the runtime launcher can start any of them by name.
 */
public record Catalog(String javaPackage, List<RestServiceModel> restServices, List<WorkerModel> workers) {

    public Catalog {
        restServices = List.copyOf(restServices);
        workers = List.copyOf(workers);
    }
}
