package app.growbin.processor.model;

import java.util.List;

/**
 * A Secret that an environment's manifests read, with the keys they read from it: the prerequisite
 * an operator creates by hand, or what an ExternalSecret fills when {@code secrets.externalStore} is set.
 *
 * @param name the Secret's name
 * @param keys the keys read from it, in the order the manifests first name them, each once
 * @param tls whether it is the Ingress's certificate ({@code kubernetes.io/tls}: {@code tls.crt}, {@code tls.key})
 * @param readBy what reads it, such as {@code CELERY_BROKER_URL (every workload)} or
 *               {@code OPENAI_API_KEY (async/vision)}, each once, in order
 */
public record ReferencedSecret(String name, List<String> keys, boolean tls, List<String> readBy) {

    public ReferencedSecret {
        keys = List.copyOf(keys);
        readBy = List.copyOf(readBy);
    }

    /** The Secret's {@code type}. */
    public String type() {
        return tls ? "kubernetes.io/tls" : "Opaque";
    }
}
