package app.growbin.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Schedules the pods only on nodes carrying this label. Repeatable; all must match. Becomes an entry
 * of the pod's {@code spec.nodeSelector}. Overridable (replaced as a whole) as
 * {@code api.<rest|async>.<name>.nodeSelector}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
@Repeatable(NodeSelectors.class)
public @interface NodeSelector {

    /** The node label key, a valid Kubernetes label key such as {@code workload} or {@code example.com/tier}. */
    String key();

    /** The label value, a valid Kubernetes label value (at most 63 characters). */
    String value();
}
