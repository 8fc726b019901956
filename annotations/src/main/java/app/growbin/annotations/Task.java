package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of an {@link AsyncWorker} class as a task the worker runs. Its parameters are
 * the task's positional arguments (JSON), its return value the task's result.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Task {

    /**
     * The Celery task name, the {@code task} header of the message, such as {@code vision.classify}.
     * Default: {@code <worker name>.<method name>}. Unique within the application. Contract.
     */
    String value() default "";
}
