package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The workers whose tasks this class sends, through their generated {@code <Name>Tasks} clients or
 * by task name. It is what the request and task flow of {@code k8s-out/README.md} draws: a class
 * without it sends no task. The workers are class literals, so a renamed or deleted worker fails
 * the compile; each must be an {@link AsyncWorker}. On a {@link RestService} or an {@link AsyncWorker}.
 *
 * <pre>{@code
 * @SendsTasks(chain = {PreprocessWorker.class, VisionWorker.class, RagWorker.class, LlmWorker.class})
 * public final class WasteApi implements RestApi { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SendsTasks {

    /** Workers this class sends tasks to, each one directly. */
    Class<?>[] value() default {};

    /**
     * One Celery chain, in its order: this class sends it to the first worker, and each worker passes
     * its result on to the next one.
     */
    Class<?>[] chain() default {};
}
