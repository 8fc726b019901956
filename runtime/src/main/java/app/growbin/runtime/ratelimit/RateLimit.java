package app.growbin.runtime.ratelimit;

import app.growbin.runtime.auth.Caller;

/**
 * Which budget a request of a rate-limited route is counted against. A route declares one
 * ({@code routes.post(pattern, access, RateLimit.PER_CALLER, handler)}); the server checks it after the
 * access check and before the handler, against the service's {@link RateLimiter}: past the budget the
 * answer is a JSON 429 with {@code Retry-After}, and the handler does not run. Every rate-limited route
 * of a service draws on the same budget of a key ({@code RATE_LIMIT_REQUESTS} per
 * {@code RATE_LIMIT_WINDOW_SECONDS}).
 */
public final class RateLimit {

    /** The token's subject (the account); a request without a token counts against its client address. */
    public static final RateLimit PER_CALLER = new RateLimit("per caller", true);

    /** The client address ({@code Request.clientAddress()}, so {@code HTTP_TRUSTED_PROXY_HOPS} must be right behind a proxy). */
    public static final RateLimit PER_CLIENT_ADDRESS = new RateLimit("per client address", false);

    private final String description;
    private final boolean bySubject;

    private RateLimit(String description, boolean bySubject) {
        this.description = description;
        this.bySubject = bySubject;
    }

    /** The key a request is counted under: {@code sub:<subject>} or {@code addr:<address>}. */
    public String keyFor(Caller caller, String clientAddress) {
        if (bySubject && caller != null) {
            return "sub:" + caller.subject();
        }
        return "addr:" + (clientAddress == null || clientAddress.isEmpty() ? "unknown" : clientAddress);
    }

    @Override
    public String toString() {
        return description;
    }
}
