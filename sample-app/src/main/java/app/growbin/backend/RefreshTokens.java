package app.growbin.backend;

import app.growbin.runtime.HttpException;
import app.growbin.runtime.db.Database;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Refresh tokens in PostgreSQL, so that a session outlives the 15-minute access token without the
 * password. A refresh token is {@code <id>.<256 random bits>}; only the SHA-256 of the random part is
 * stored. Every use rotates it (the old one is revoked and points to its replacement); presenting an
 * already replaced token means it was copied, so the whole family (every token descended from that
 * login) is revoked. Logout revokes the family of the token it is given.
 */
final class RefreshTokens {

    static final Duration LIFETIME = Duration.ofDays(14);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A refresh token handed to the client, and the account it belongs to. */
    record Issued(String token, String accountId) {}

    private final Database db;

    RefreshTokens(Database db) {
        this.db = db;
    }

    /** A new family (a login). */
    String issue(String accountId) {
        return db.inTransaction(c -> insert(c, accountId, UUID.randomUUID()));
    }

    /** Rotates a valid token: the account id and its replacement; 401 otherwise (and a reused token revokes its family). */
    Issued rotate(String token) {
        Parsed p = parse(token);
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT account_id::text, family_id, secret_hash, expires_at, revoked_at "
                    + "FROM refresh_tokens WHERE id = ?::uuid FOR UPDATE")) {
                s.setString(1, p.id());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next() || !MessageDigest.isEqual(r.getBytes(3), sha256(p.secret()))) {
                        throw HttpException.unauthorized("invalid refresh token");
                    }
                    String account = r.getString(1);
                    UUID family = (UUID) r.getObject(2);
                    if (r.getTimestamp(5) != null) {
                        revokeFamily(c, family);
                        c.commit();
                        throw HttpException.unauthorized("refresh token already used; every session of this login is ended");
                    }
                    if (r.getTimestamp(4).toInstant().isBefore(Instant.now())) {
                        throw HttpException.unauthorized("refresh token expired");
                    }
                    String next = insert(c, account, family);
                    try (PreparedStatement u = c.prepareStatement(
                            "UPDATE refresh_tokens SET revoked_at = now(), replaced_by = ?::uuid WHERE id = ?::uuid")) {
                        u.setString(1, next.substring(0, next.indexOf('.')));
                        u.setString(2, p.id());
                        u.executeUpdate();
                    }
                    return new Issued(next, account);
                }
            }
        });
    }

    /** Ends the login a refresh token belongs to (only the caller's own). */
    void revoke(String token, String accountId) {
        Parsed p = parse(token);
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) "
                    + "WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE id = ?::uuid AND account_id = ?::uuid)")) {
                s.setString(1, p.id());
                s.setString(2, accountId);
                return s.executeUpdate();
            }
        });
    }

    private static String insert(Connection c, String accountId, UUID family) throws SQLException {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String id = UUID.randomUUID().toString();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO refresh_tokens (id, account_id, family_id, secret_hash, expires_at) "
                + "VALUES (?::uuid, ?::uuid, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, accountId);
            s.setObject(3, family);
            s.setBytes(4, sha256(encoded));
            s.setTimestamp(5, Timestamp.from(Instant.now().plus(LIFETIME)));
            s.executeUpdate();
        }
        return id + "." + encoded;
    }

    private static void revokeFamily(Connection c, UUID family) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE family_id = ?")) {
            s.setObject(1, family);
            s.executeUpdate();
        }
    }

    private record Parsed(String id, String secret) {}

    private static Parsed parse(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot != 36 || token.length() > 128) {
            throw HttpException.unauthorized("invalid refresh token");
        }
        try {
            UUID.fromString(token.substring(0, dot));
        } catch (IllegalArgumentException e) {
            throw HttpException.unauthorized("invalid refresh token");
        }
        return new Parsed(token.substring(0, dot), token.substring(dot + 1));
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
