package app.growbin.runtime;

import java.util.List;

/**
 * Every REST service and worker of an application. The annotation processor generates the
 * implementation ({@code <package>.GrowbinCatalog}) and its {@code META-INF/services} entry; the
 * launcher finds it with {@link java.util.ServiceLoader}: no classpath scanning, no reflection.
 */
public interface ApplicationCatalog {

    List<RestServiceDefinition> restServices();

    List<WorkerDefinition> workers();
}
