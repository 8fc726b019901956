package app.growbin.backend;

import app.growbin.runtime.Env;
import app.growbin.runtime.HttpException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.LoggerFactory;

/**
 * HS256 JSON Web Tokens signed with {@code AUTH_SIGNING_KEY} (from a Secret). Without the variable a
 * random key is used and a warning logged: tokens then only verify on the replica that issued them.
 */
public final class TokenSigner {

    /** The HMAC key, at least 32 bytes, from a Secret; shared by the auth and users replicas. */
    public static final String SIGNING_KEY_VARIABLE = "AUTH_SIGNING_KEY";

    public static final int LIFETIME_SECONDS = 3600;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;
    private final Clock clock;

    public TokenSigner(byte[] key, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("AUTH_SIGNING_KEY must be at least 32 bytes");
        }
        this.key = key.clone();
        this.clock = clock;
    }

    public static TokenSigner fromEnv(Env env) {
        byte[] key = env.find(SIGNING_KEY_VARIABLE).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElseGet(() -> {
            LoggerFactory.getLogger(TokenSigner.class).warn("AUTH_SIGNING_KEY is not set; using a random key");
            return randomBytes(32);
        });
        return new TokenSigner(key, Clock.systemUTC());
    }

    public String issue(String subject) {
        long now = clock.instant().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("iat", now);
        claims.put("exp", now + LIFETIME_SECONDS);
        try {
            String signingInput = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + B64.encodeToString(JSON.writeValueAsBytes(claims));
            return signingInput + "." + B64.encodeToString(hmac(signingInput));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a valid, unexpired token; 401 otherwise. */
    public JsonNode verify(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            throw HttpException.unauthorized("malformed token");
        }
        byte[] expected = hmac(parts[0] + "." + parts[1]);
        byte[] actual;
        try {
            actual = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw HttpException.unauthorized("malformed token");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw HttpException.unauthorized("bad signature");
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (claims.path("exp").asLong(0) < clock.instant().getEpochSecond()) {
                throw HttpException.unauthorized("token expired");
            }
            return claims;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw HttpException.unauthorized("malformed token");
        }
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static byte[] hashPassword(String password, byte[] salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, 100_000, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
