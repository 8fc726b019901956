package app.growbin.runtime.auth;

/** Turns a bearer token into its caller; throws a 401 {@code HttpException} when it does not verify. */
@FunctionalInterface
public interface TokenVerifier {

    Caller verify(String token);
}
