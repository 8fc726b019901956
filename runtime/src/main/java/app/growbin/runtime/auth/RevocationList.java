package app.growbin.runtime.auth;

import java.time.Instant;

/** Token ids revoked before they expire (logout); shared by every replica of every service. */
public interface RevocationList extends AutoCloseable {

    /** Revokes a token until its own expiry (after that it is invalid anyway). */
    void revoke(String tokenId, Instant expiresAt);

    boolean isRevoked(String tokenId);

    @Override
    void close();
}
