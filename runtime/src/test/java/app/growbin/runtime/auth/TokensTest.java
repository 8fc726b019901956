package app.growbin.runtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.growbin.contract.EnvVars;
import app.growbin.runtime.Env;
import app.growbin.runtime.HttpException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tokens through nimbus-jose-jwt: the claims that are checked, key rotation by kid, revocation across replicas. */
class TokensTest {

    static final String K1 = "k1=first-signing-key-of-at-least-32-bytes!";
    static final String K2 = "k2=second-signing-key-of-at-least-32-bytes";
    static final String REDIS = Env.DEFAULT_RESULT_BACKEND;

    private final RedisRevocationList revocations = new RedisRevocationList(REDIS, Clock.systemUTC());
    private final RedisRevocationList otherReplicasRevocations = new RedisRevocationList(REDIS, Clock.systemUTC());

    @AfterEach
    void close() {
        revocations.close();
        otherReplicasRevocations.close();
    }

    Tokens tokens(String keys, Clock clock) {
        return new Tokens(SigningKeys.parse(keys), "growbin", "growbin-api", Duration.ofMinutes(15), revocations, clock);
    }

    static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    static int statusOf(Runnable r) {
        try {
            r.run();
            return 200;
        } catch (HttpException e) {
            return e.status();
        }
    }

    @Test
    void issuesAndVerifiesTheClaims() throws Exception {
        Tokens t = tokens(K1, Clock.systemUTC());
        Tokens.Issued issued = t.issue("acc-1", Set.of("user", "admin"));
        SignedJWT jwt = SignedJWT.parse(issued.token());
        assertEquals("k1", jwt.getHeader().getKeyID());
        assertEquals(JWSAlgorithm.HS256, jwt.getHeader().getAlgorithm());
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertEquals("growbin", c.getIssuer());
        assertEquals(List.of("growbin-api"), c.getAudience());
        assertEquals("acc-1", c.getSubject());
        assertEquals(issued.id(), c.getJWTID());
        assertEquals(c.getIssueTime(), c.getNotBeforeTime());
        assertEquals(Duration.ofMinutes(15).toMillis(), c.getExpirationTime().getTime() - c.getIssueTime().getTime());
        Caller caller = t.verify(issued.token());
        assertEquals("acc-1", caller.subject());
        assertEquals(Set.of("user", "admin"), caller.roles());
    }

    @Test
    void rejectsTokensThatAreExpiredNotYetValidOrForeign() throws Exception {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        String token = tokens(K1, at(now)).issue("acc-1", Set.of()).token();
        assertEquals(200, statusOf(() -> tokens(K1, at(now.plusSeconds(60))).verify(token)));
        assertEquals(401, statusOf(() -> tokens(K1, at(now.plus(Duration.ofMinutes(16)))).verify(token)), "expired");
        assertEquals(401, statusOf(() -> tokens(K1, at(now.minusSeconds(120))).verify(token)), "nbf/iat in the future");

        byte[] key = "first-signing-key-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
        Tokens verifier = tokens(K1, at(now));
        JWTClaimsSet.Builder good = new JWTClaimsSet.Builder().issuer("growbin").audience("growbin-api").subject("x")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .jwtID(UUID.randomUUID().toString());
        assertEquals(200, statusOf(() -> verifier.verify(sign(good.build(), "k1", key))));
        assertEquals(401, statusOf(() -> verifier.verify(sign(new JWTClaimsSet.Builder(good.build()).issuer("evil").build(), "k1", key))), "iss");
        assertEquals(401, statusOf(() -> verifier.verify(sign(new JWTClaimsSet.Builder(good.build()).audience("other").build(), "k1", key))), "aud");
        assertEquals(401, statusOf(() -> verifier.verify(sign(new JWTClaimsSet.Builder(good.build()).issueTime(null).build(), "k1", key))), "no iat");
        assertEquals(401, statusOf(() -> verifier.verify(sign(new JWTClaimsSet.Builder(good.build()).notBeforeTime(null).build(), "k1", key))), "no nbf");
        assertEquals(401, statusOf(() -> verifier.verify(sign(new JWTClaimsSet.Builder(good.build()).expirationTime(null).build(), "k1", key))), "no exp");
        assertEquals(401, statusOf(() -> verifier.verify(sign(new JWTClaimsSet.Builder(good.build())
                .expirationTime(Date.from(now.plus(Duration.ofDays(30)))).build(), "k1", key))), "longer than the lifetime");
        assertEquals(401, statusOf(() -> verifier.verify(sign(good.build(), "k9", key))), "unknown kid");
        assertEquals(401, statusOf(() -> verifier.verify(sign(good.build(), null, key))), "no kid");
        assertEquals(401, statusOf(() -> verifier.verify(new PlainJWT(good.build()).serialize())), "alg none");
        String valid = sign(good.build(), "k1", key);
        String tampered = valid.substring(0, valid.length() - 2) + (valid.endsWith("A") ? "BB" : "AA");
        assertEquals(401, statusOf(() -> verifier.verify(tampered)), "tampered signature");
        assertEquals(401, statusOf(() -> verifier.verify("not.a.token")));
    }

    @Test
    void thePreviousKeyStillVerifiesAfterARotationUntilItIsRemoved() {
        String before = tokens(K1, Clock.systemUTC()).issue("acc-1", Set.of()).token();
        Tokens rotated = tokens(K2 + "," + K1, Clock.systemUTC());
        String after = rotated.issue("acc-1", Set.of()).token();
        assertEquals("acc-1", rotated.verify(before).subject(), "a token of the previous key is accepted during the window");
        assertEquals("acc-1", rotated.verify(after).subject());
        assertEquals("k2", kid(after), "the new key signs");
        Tokens retired = tokens(K2, Clock.systemUTC());
        assertEquals(401, statusOf(() -> retired.verify(before)), "once the old key is removed, its tokens are refused");
        assertEquals(200, statusOf(() -> retired.verify(after)));
    }

    @Test
    void aRevokedTokenIsRefusedByEveryReplica() {
        Tokens replicaA = tokens(K1, Clock.systemUTC());
        Tokens replicaB = new Tokens(SigningKeys.parse(K1), "growbin", "growbin-api", Duration.ofMinutes(15),
                otherReplicasRevocations, Clock.systemUTC());
        Tokens.Issued issued = replicaA.issue("acc-2", Set.of());
        Caller caller = replicaB.verify(issued.token());
        replicaA.revoke(caller);
        assertEquals(401, statusOf(() -> replicaB.verify(issued.token())));
        assertEquals(401, statusOf(() -> replicaA.verify(issued.token())));
        assertTrue(otherReplicasRevocations.isRevoked(issued.id()));
        assertFalse(otherReplicasRevocations.isRevoked(UUID.randomUUID().toString()));
    }

    @Test
    void keysAreCheckedWhenTheyAreRead() {
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.parse("k1=short"));
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.parse("no-kid-here-but-long-enough-for-hs256!!"));
        assertThrows(IllegalArgumentException.class, () -> SigningKeys.parse(K1 + "," + K1));
        assertThrows(IllegalArgumentException.class, () -> Tokens.fromEnv(new Env(Map.of()), revocations));
        Tokens t = Tokens.fromEnv(new Env(Map.of(EnvVars.AUTH_SIGNING_KEYS, K2 + ", " + K1, EnvVars.AUTH_TOKEN_LIFETIME_SECONDS, "60")),
                revocations);
        assertEquals(Duration.ofSeconds(60), t.lifetime());
    }

    static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWTClaimsSet claims, String kid, byte[] key) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
            jwt.sign(new MACSigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
