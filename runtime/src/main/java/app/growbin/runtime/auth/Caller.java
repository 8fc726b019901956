package app.growbin.runtime.auth;

import java.time.Instant;
import java.util.Set;

/**
 * Who sent a request, as a verified token says: {@code sub} (the account id), the roles, the token's
 * id ({@code jti}, what logout revokes) and its expiry.
 */
public record Caller(String subject, Set<String> roles, String tokenId, Instant expiresAt) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
