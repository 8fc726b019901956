package app.growbin.processor.model;

import java.util.List;

/**
 * One {@code @Task} method of a worker.
 *
 * @param name the Celery task name (the message's {@code task} header)
 * @param methodName the Java method that runs it
 * @param parameters the method's parameters, in order (the task's positional arguments)
 * @param returnType the canonical Java type of the result ({@code void} for none)
 */
public record TaskModel(String name, String methodName, List<TaskParameter> parameters, String returnType) {

    public TaskModel {
        parameters = List.copyOf(parameters);
    }

    /** A positional argument: its Java name and canonical type (generics included, e.g. {@code java.util.List<java.lang.String>}). */
    public record TaskParameter(String name, String type) {}
}
