package app.growbin.backend;

import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.annotations.SecretEnv;
import app.growbin.runtime.RestApi;
import app.growbin.runtime.Routes;
import app.growbin.runtime.ServiceContext;
import app.growbin.runtime.Response;
import app.growbin.runtime.HttpException;
import app.growbin.runtime.Env;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Login and signed tokens. */
@RestService(path = "/api/v1/auth", replicas = 2)
@Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "application")
@SecretEnv(name = "AUTH_SIGNING_KEY", secret = "auth-secrets", key = "signing-key")
public final class AuthApi implements RestApi {

    /** Registration and login input. */
    public record Credentials(String username, String password) {}

    private final Map<String, byte[][]> passwords = new ConcurrentHashMap<>(); // username -> {salt, hash}
    private TokenSigner signer;

    @Override
    public void routes(Routes routes, ServiceContext context) {
        signer = TokenSigner.fromEnv(context.env());
        routes.post("/register", r -> {
            Credentials c = valid(r.json(Credentials.class));
            byte[] salt = TokenSigner.randomBytes(16);
            if (passwords.putIfAbsent(c.username(), new byte[][] {salt, TokenSigner.hashPassword(c.password(), salt)}) != null) {
                throw new HttpException(409, "that username is taken");
            }
            return Response.json(201, Map.of("username", c.username()));
        });
        routes.post("/login", r -> {
            Credentials c = valid(r.json(Credentials.class));
            byte[][] stored = passwords.get(c.username());
            if (stored == null || !java.security.MessageDigest.isEqual(stored[1],
                    TokenSigner.hashPassword(c.password(), stored[0]))) {
                throw HttpException.unauthorized("wrong username or password");
            }
            return Response.ok(Map.of("accessToken", signer.issue(c.username()), "tokenType", "Bearer",
                    "expiresIn", TokenSigner.LIFETIME_SECONDS));
        });
        routes.get("/me", r -> {
            String header = r.header("Authorization").orElseThrow(() -> HttpException.unauthorized("no token"));
            if (!header.startsWith("Bearer ")) {
                throw HttpException.unauthorized("expected a Bearer token");
            }
            return Response.ok(signer.verify(header.substring("Bearer ".length()).trim()));
        });
    }

    private static Credentials valid(Credentials c) {
        if (c.username() == null || c.username().isBlank() || c.password() == null || c.password().length() < 8) {
            throw HttpException.badRequest("username and a password of at least 8 characters are required");
        }
        return c;
    }
}
