package app.growbin.runtime.auth;

import app.growbin.contract.EnvVars;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HMAC keys of the tokens, from {@code AUTH_SIGNING_KEYS}: {@code kid=secret} entries separated by
 * commas. The first signs new tokens; the others only verify, so that tokens issued before a rotation
 * stay valid until they expire (at most one token lifetime): rotate by putting the new key first,
 * and remove the old one after a lifetime has passed.
 */
public final class SigningKeys {

    /** HS256 needs a key of at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    /** One key: its id (the tokens' {@code kid}) and its secret. */
    public record Key(String id, byte[] secret) {
        public Key {
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public String toString() {
            return "Key[" + id + "]";
        }
    }

    private final List<Key> keys;

    public SigningKeys(List<Key> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(EnvVars.AUTH_SIGNING_KEYS + " names no key");
        }
        List<String> ids = new ArrayList<>();
        for (Key k : keys) {
            if (k.id().isBlank() || ids.contains(k.id())) {
                throw new IllegalArgumentException(EnvVars.AUTH_SIGNING_KEYS + ": key ids must be unique and not blank, got " + k.id());
            }
            if (k.secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException(EnvVars.AUTH_SIGNING_KEYS + ": key '" + k.id() + "' has "
                        + k.secret.length + " bytes; HS256 needs at least " + MIN_SECRET_BYTES);
            }
            ids.add(k.id());
        }
        this.keys = List.copyOf(keys);
    }

    /** Parses {@code kid=secret[,kid=secret...]}; the secret is taken as UTF-8 text. */
    public static SigningKeys parse(String value) {
        List<Key> keys = new ArrayList<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int eq = e.indexOf('=');
            if (eq <= 0 || eq == e.length() - 1) {
                throw new IllegalArgumentException(EnvVars.AUTH_SIGNING_KEYS + " entries are kid=secret, separated by commas");
            }
            keys.add(new Key(e.substring(0, eq).trim(), e.substring(eq + 1).trim().getBytes(StandardCharsets.UTF_8)));
        }
        return new SigningKeys(keys);
    }

    /** The key that signs. */
    public Key current() {
        return keys.get(0);
    }

    /** A key that verifies: the current one or one still accepted after a rotation. */
    public Optional<Key> byId(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }
}
