package app.growbin.processor.model;

import java.util.List;

/**
 * Every REST service and worker the code declares, with the values of its annotations only (no
 * environment applied, disabled ones included): what the generated Java sources describe, so that
 * the runtime launcher can start any of them by name.
 *
 * @param calls the task calls the code declares ({@code @SendsTasks}), in class-name order of the senders
 */
public record Catalog(String javaPackage, List<RestServiceModel> restServices, List<WorkerModel> workers, List<TaskCall> calls) {

    public Catalog {
        restServices = List.copyOf(restServices);
        workers = List.copyOf(workers);
        calls = List.copyOf(calls);
    }

    /** A catalog whose code declares no task call. */
    public Catalog(String javaPackage, List<RestServiceModel> restServices, List<WorkerModel> workers) {
        this(javaPackage, restServices, workers, List.of());
    }
}
