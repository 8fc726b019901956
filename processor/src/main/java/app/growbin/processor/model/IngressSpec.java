package app.growbin.processor.model;

import java.util.Optional;
import java.util.SortedMap;

/**
 * The one Ingress in front of the REST services.
 *
 * @param tlsSecret the Secret with the certificate, when TLS terminates in the cluster
 */
public record IngressSpec(boolean enabled, String className, String host, SortedMap<String, String> annotations,
                          boolean tls, Optional<String> tlsSecret) {

    public static final String ALB_TARGET_TYPE = "alb.ingress.kubernetes.io/target-type";

    public IngressSpec {
        annotations = Workload.sorted(annotations);
    }

    /** An AWS ALB in {@code instance} mode reaches pods through node ports. */
    public boolean needsNodePorts() {
        return enabled && "instance".equals(annotations.get(ALB_TARGET_TYPE));
    }

    public boolean isAlb() {
        return "alb".equals(className);
    }
}
