package app.growbin.runtime.auth;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who may call a route. Every route declares one ({@code routes.get(pattern, access, handler)}); the
 * server checks it before the handler runs: no valid token where one is needed is a 401, a token
 * without the right is a 403. A service cannot start with a route that declares none.
 */
public final class Access {

    /** What the check says. */
    public enum Decision { ALLOW, UNAUTHENTICATED, FORBIDDEN }

    /** Anyone, with or without a token (login, registration, public reads). */
    public static final Access PUBLIC = new Access("public", false, Set.of(), null);

    /** Any valid token. */
    public static final Access AUTHENTICATED = new Access("authenticated", true, Set.of(), null);

    private final String description;
    private final boolean tokenRequired;
    private final Set<String> roles;
    private final String ownerParam;

    private Access(String description, boolean tokenRequired, Set<String> roles, String ownerParam) {
        this.description = description;
        this.tokenRequired = tokenRequired;
        this.roles = roles;
        this.ownerParam = ownerParam;
    }

    /** A token with at least one of these roles. */
    public static Access role(String... anyOf) {
        if (anyOf.length == 0) {
            throw new IllegalArgumentException("name at least one role");
        }
        return new Access("role " + String.join("|", anyOf), true, Set.copyOf(Arrays.asList(anyOf)), null);
    }

    /**
     * The owner of the resource, whose account id is the path parameter {@code pathParam}
     * ({@code /users/{id}}: the token's {@code sub} equals {@code id}), or a token with one of
     * {@code rolesAnyOf} (an administrator).
     */
    public static Access ownerOr(String pathParam, String... rolesAnyOf) {
        Objects.requireNonNull(pathParam, "pathParam");
        return new Access("owner {" + pathParam + "}" + (rolesAnyOf.length == 0 ? "" : " or role " + String.join("|", rolesAnyOf)),
                true, Set.copyOf(Arrays.asList(rolesAnyOf)), pathParam);
    }

    public boolean tokenRequired() {
        return tokenRequired;
    }

    /** The path parameter that names the owner, if any (checked against the route at registration). */
    public String ownerParam() {
        return ownerParam;
    }

    /** The decision for a caller (null: no token was sent) on a request with these path parameters. */
    public Decision decide(Caller caller, Map<String, String> pathParams) {
        if (!tokenRequired) {
            return Decision.ALLOW;
        }
        if (caller == null) {
            return Decision.UNAUTHENTICATED;
        }
        if (ownerParam == null && roles.isEmpty()) {
            return Decision.ALLOW;
        }
        if (ownerParam != null && caller.subject().equals(pathParams.get(ownerParam))) {
            return Decision.ALLOW;
        }
        for (String r : roles) {
            if (caller.hasRole(r)) {
                return Decision.ALLOW;
            }
        }
        return Decision.FORBIDDEN;
    }

    @Override
    public String toString() {
        return description;
    }
}
