package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A plain, non-secret environment variable of the container. Repeatable. Becomes an entry of the
 * container's {@code env} with a literal {@code value}. Credentials never go here: use
 * {@link SecretEnv}; a credential-like name ({@code *_KEY}, {@code *_PASSWORD}, {@code *_SECRET},
 * {@code *_TOKEN}) or a URL with a password fails the build.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(Envs.class)
public @interface Env {

    /** The variable name, a C identifier such as {@code LOG_LEVEL}; unique per service. */
    String name();

    /** The literal value. */
    String value();
}
