package app.growbin.processor.model;

import java.util.Optional;

/**
 * The pod's identity and lock-down. Defaults: UID/GID 10001, read-only root filesystem, no service
 * account token; each overridable per service under {@code securityContext.*} and
 * {@code serviceAccount.*} in the values.
 *
 * @param serviceAccountName a dedicated ServiceAccount, when the service needs one
 * @param automountToken whether the API token is mounted; only when asked for
 */
public record PodSecurity(long runAsUser, long runAsGroup, boolean readOnlyRootFilesystem,
                          Optional<String> serviceAccountName, boolean automountToken) {

    public static final long DEFAULT_USER = 10001L;
}
