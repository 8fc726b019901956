package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An environment variable read from a Kubernetes Secret, which must exist in the namespace; Growbin
 * only ever references Secrets, it never writes credentials. Repeatable. Becomes an entry of the
 * container's {@code env} with {@code valueFrom.secretKeyRef}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(SecretEnvs.class)
public @interface SecretEnv {

    /** The variable name, a C identifier such as {@code OPENAI_API_KEY}; unique per service. */
    String name();

    /** The Secret's name, a DNS-1123 subdomain such as {@code openai-secrets}. Becomes {@code secretKeyRef.name}. */
    String secret();

    /** The key inside the Secret, such as {@code api-key}. Becomes {@code secretKeyRef.key}. */
    String key();
}
