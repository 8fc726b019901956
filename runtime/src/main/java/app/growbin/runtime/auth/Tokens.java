package app.growbin.runtime.auth;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.HttpException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Access tokens: HS256 JSON Web Tokens made and checked with nimbus-jose-jwt. A token carries
 * {@code iss}, {@code aud}, {@code sub} (the account id), {@code iat}, {@code nbf}, {@code exp}, a
 * {@code jti} and the account's {@code roles}; its header names the key ({@code kid}). Verification
 * accepts only HS256 with a key of {@link SigningKeys}, the configured issuer and audience, a token
 * that is in its validity window (30 s clock skew), that was not issued in the future nor for longer
 * than the configured lifetime, and whose {@code jti} is not on the {@link RevocationList}.
 */
public final class Tokens implements TokenVerifier {

    public static final String DEFAULT_ISSUER = "growbin";
    public static final String DEFAULT_AUDIENCE = "growbin-api";
    public static final int DEFAULT_LIFETIME_SECONDS = 900;
    static final int CLOCK_SKEW_SECONDS = 30;
    static final String ROLES_CLAIM = "roles";

    /** A token just made: the compact form, its id and its expiry. */
    public record Issued(String token, String id, Instant expiresAt) {}

    private final SigningKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration lifetime;
    private final RevocationList revocations;
    private final Clock clock;

    public Tokens(SigningKeys keys, String issuer, String audience, Duration lifetime, RevocationList revocations,
            Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.revocations = revocations;
        this.clock = clock;
    }

    /** From {@code AUTH_SIGNING_KEYS}, {@code AUTH_ISSUER}, {@code AUTH_AUDIENCE}, {@code AUTH_TOKEN_LIFETIME_SECONDS}. */
    public static Tokens fromEnv(Env env, RevocationList revocations) {
        String value = env.find(EnvVars.AUTH_SIGNING_KEYS).orElseThrow(() -> new IllegalArgumentException(
                EnvVars.AUTH_SIGNING_KEYS + " is not set: tokens can be neither issued nor verified"));
        return new Tokens(SigningKeys.parse(value), env.get(EnvVars.AUTH_ISSUER, DEFAULT_ISSUER),
                env.get(EnvVars.AUTH_AUDIENCE, DEFAULT_AUDIENCE),
                Duration.ofSeconds(env.getInt(EnvVars.AUTH_TOKEN_LIFETIME_SECONDS, DEFAULT_LIFETIME_SECONDS)),
                revocations, Clock.systemUTC());
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new access token for an account. */
    public Issued issue(String subject, Set<String> roles) {
        Instant now = clock.instant();
        Instant exp = now.plus(lifetime);
        String id = UUID.randomUUID().toString();
        SigningKeys.Key key = keys.current();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(exp)).jwtID(id)
                .claim(ROLES_CLAIM, new ArrayList<>(new java.util.TreeSet<>(roles))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.id()).type(JOSEObjectType.JWT)
                .build(), claims);
        try {
            jwt.sign(new MACSigner(key.secret()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return new Issued(jwt.serialize(), id, exp);
    }

    @Override
    public Caller verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw HttpException.unauthorized("malformed token");
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            throw HttpException.unauthorized("unexpected token algorithm");
        }
        SigningKeys.Key key = header.getKeyID() == null ? null : keys.byId(header.getKeyID()).orElse(null);
        if (key == null) {
            throw HttpException.unauthorized("unknown signing key");
        }
        JWTClaimsSet claims;
        try {
            if (!jwt.verify(new MACVerifier(key.secret()))) {
                throw HttpException.unauthorized("bad signature");
            }
            claims = jwt.getJWTClaimsSet();
            claimsVerifier().verify(claims, null);
        } catch (JOSEException | ParseException e) {
            throw HttpException.unauthorized("malformed token");
        } catch (BadJWTException e) {
            throw HttpException.unauthorized("invalid token: " + e.getMessage());
        }
        Instant now = clock.instant();
        Instant iat = claims.getIssueTime().toInstant();
        Instant exp = claims.getExpirationTime().toInstant();
        if (iat.isAfter(now.plusSeconds(CLOCK_SKEW_SECONDS))) {
            throw HttpException.unauthorized("invalid token: issued in the future");
        }
        if (Duration.between(iat, exp).compareTo(lifetime.plusSeconds(CLOCK_SKEW_SECONDS)) > 0) {
            throw HttpException.unauthorized("invalid token: valid for longer than the lifetime");
        }
        if (revocations.isRevoked(claims.getJWTID())) {
            throw HttpException.unauthorized("token revoked");
        }
        return new Caller(claims.getSubject(), roles(claims), claims.getJWTID(), exp);
    }

    /** Logout: the caller's token is refused by every replica from now on. */
    public void revoke(Caller caller) {
        revocations.revoke(caller.tokenId(), caller.expiresAt());
    }

    private DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier() {
        DefaultJWTClaimsVerifier<SecurityContext> v = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "iat", "nbf", "exp", "jti")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        v.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        return v;
    }

    private static Set<String> roles(JWTClaimsSet claims) {
        try {
            List<String> roles = claims.getStringListClaim(ROLES_CLAIM);
            return roles == null ? Set.of() : new HashSet<>(roles);
        } catch (ParseException e) {
            throw HttpException.unauthorized("invalid token: roles");
        }
    }
}
