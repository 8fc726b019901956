package app.growbin.backend;

import app.growbin.runtime.Env;
import app.growbin.runtime.auth.RevocationList;
import app.growbin.runtime.auth.Tokens;
import java.time.Instant;
import java.util.Set;

/**
 * Benchmark helper: prints an access token for the subject given as the argument, signed with
 * {@code AUTH_SIGNING_KEYS} and valid for {@code AUTH_TOKEN_LIFETIME_SECONDS} (the same variables the
 * benchmarked waste server verifies with), as the auth service's login would issue it. rest.sh mints
 * one before the run, so that the POST and GET rows carry a valid bearer token.
 */
public final class BenchToken {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BenchToken <subject>   (AUTH_SIGNING_KEYS, AUTH_TOKEN_LIFETIME_SECONDS from the environment)");
            System.exit(2);
        }
        RevocationList none = new RevocationList() {
            @Override public void revoke(String tokenId, Instant expiresAt) { throw new UnsupportedOperationException(); }
            @Override public boolean isRevoked(String tokenId) { return false; }
            @Override public void close() { }
        };
        System.out.println(Tokens.fromEnv(Env.system(), none).issue(args[0], Set.of("user")).token());
    }
}
