package app.growbin.backend;

import app.growbin.annotations.HttpLimits;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.annotations.SecretEnv;
import app.growbin.runtime.HttpException;
import app.growbin.runtime.Response;
import app.growbin.runtime.RestApi;
import app.growbin.runtime.Routes;
import app.growbin.runtime.ServiceContext;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.auth.Caller;
import app.growbin.runtime.auth.Tokens;
import app.growbin.runtime.db.Database;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Accounts, login, refresh and logout. Accounts live in PostgreSQL (schema {@code auth}); passwords
 * are Argon2id hashes ({@link PasswordHasher}); failed logins are throttled per account and per client
 * address ({@link LoginThrottle}); access tokens are the runtime's ({@code ServiceContext.tokens()}),
 * refresh tokens rotate on every use ({@link RefreshTokens}), and a logout revokes the caller's
 * access token on every replica and the login's refresh tokens.
 */
@RestService(path = "/api/v1/auth", replicas = 2, port = 8000)
@Resources(cpu = "100m", memory = "128Mi", cpuLimit = "500m", memoryLimit = "256Mi")
@NodeSelector(key = "workload", value = "application")
@HttpLimits(maxBodyBytes = 16 * 1024)
@SecretEnv(name = "AUTH_SIGNING_KEYS", secret = "auth-secrets", key = "signing-keys")
@SecretEnv(name = "DATABASE_URL", secret = "auth-database", key = "url")
@SecretEnv(name = "DATABASE_USER", secret = "auth-database", key = "username")
@SecretEnv(name = "DATABASE_PASSWORD", secret = "auth-database", key = "password")
public final class AuthApi implements RestApi {

    /** Registration input. */
    public record Registration(String username, String email, String password) {}

    /** Login input. */
    public record Credentials(String username, String password) {}

    /** Refresh and logout input. */
    public record RefreshRequest(String refreshToken) {}

    static final String SCHEMA = "auth";
    static final int USERNAME_MIN = 3;
    static final int USERNAME_MAX = 64;
    static final int EMAIL_MAX = 254;
    static final int PASSWORD_MIN = 8;
    static final int PASSWORD_MAX = 128;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final PasswordHasher hasher;
    private final LoginThrottle.Rule perAccount;
    private final LoginThrottle.Rule perAddress;

    public AuthApi() {
        this(new PasswordHasher(PasswordHasher.OWASP_MINIMUM), LoginThrottle.PER_ACCOUNT, LoginThrottle.PER_ADDRESS);
    }

    AuthApi(PasswordHasher hasher, LoginThrottle.Rule perAccount, LoginThrottle.Rule perAddress) {
        this.hasher = hasher;
        this.perAccount = perAccount;
        this.perAddress = perAddress;
    }

    @Override
    public void routes(Routes routes, ServiceContext context) {
        Database db = context.database(SCHEMA);
        Tokens tokens = context.tokens();
        LoginThrottle throttle = new LoginThrottle(db, perAccount, perAddress);
        RefreshTokens refreshTokens = new RefreshTokens(db);

        routes.post("/register", Access.PUBLIC, r -> {
            Registration in = valid(r.json(Registration.class));
            String id = UUID.randomUUID().toString();
            String hash = hasher.hash(in.password());
            try {
                db.inTransaction(c -> {
                    try (PreparedStatement s = c.prepareStatement(
                            "INSERT INTO accounts (id, username, email, password_hash) VALUES (?::uuid, ?, ?, ?)")) {
                        s.setString(1, id);
                        s.setString(2, in.username());
                        s.setString(3, in.email());
                        s.setString(4, hash);
                        return s.executeUpdate();
                    }
                });
            } catch (IllegalStateException e) {
                if (e.getCause() instanceof SQLException && Database.isUniqueViolation((SQLException) e.getCause())) {
                    throw HttpException.conflict("that username or e-mail is taken");
                }
                throw e;
            }
            return Response.json(201, Map.of("id", id, "username", in.username()));
        });

        routes.post("/login", Access.PUBLIC, r -> {
            Credentials in = r.json(Credentials.class);
            if (in.username() == null || in.password() == null || in.username().length() > USERNAME_MAX
                    || in.password().length() > PASSWORD_MAX) {
                throw HttpException.badRequest("username and password are required (at most " + USERNAME_MAX + " and "
                        + PASSWORD_MAX + " characters)");
            }
            throttle.check(in.username(), r.clientAddress());
            Optional<Account> account = findByUsername(db, in.username());
            boolean ok = account.isPresent() ? hasher.verify(in.password(), account.get().passwordHash())
                    : hasher.verifyUnknown(in.password());
            if (!ok) {
                throttle.recordFailure(in.username(), r.clientAddress());
                throw HttpException.unauthorized("wrong username or password");
            }
            Account a = account.get();
            throttle.recordSuccess(in.username());
            if (hasher.needsRehash(a.passwordHash())) {
                updateHash(db, a.id(), hasher.hash(in.password()));
            }
            return Response.ok(tokenAnswer(tokens, a, refreshTokens.issue(a.id())));
        });

        routes.post("/refresh", Access.PUBLIC, r -> {
            RefreshTokens.Issued next = refreshTokens.rotate(r.json(RefreshRequest.class).refreshToken());
            Account a = findById(db, next.accountId()).orElseThrow(() -> HttpException.unauthorized("the account no longer exists"));
            return Response.ok(tokenAnswer(tokens, a, next.token()));
        });

        routes.post("/logout", Access.AUTHENTICATED, r -> {
            Caller caller = r.requireCaller();
            tokens.revoke(caller);
            if (r.body().length > 0) {
                String refresh = r.json(RefreshRequest.class).refreshToken();
                if (refresh != null) {
                    refreshTokens.revoke(refresh, caller.subject());
                }
            }
            return Response.status(204);
        });

        routes.get("/me", Access.AUTHENTICATED, r -> {
            Caller caller = r.requireCaller();
            Account a = findById(db, caller.subject()).orElseThrow(() -> HttpException.notFound("the account no longer exists"));
            return Response.ok(Map.of("id", a.id(), "username", a.username(), "roles", List.copyOf(new java.util.TreeSet<>(a.roles()))));
        });
    }

    private static Map<String, Object> tokenAnswer(Tokens tokens, Account a, String refreshToken) {
        Tokens.Issued issued = tokens.issue(a.id(), a.roles());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accessToken", issued.token());
        answer.put("tokenType", "Bearer");
        answer.put("expiresIn", tokens.lifetime().toSeconds());
        answer.put("refreshToken", refreshToken);
        answer.put("refreshExpiresIn", RefreshTokens.LIFETIME.toSeconds());
        return answer;
    }

    /** An account row. */
    record Account(String id, String username, String passwordHash, Set<String> roles) {}

    private static Optional<Account> findByUsername(Database db, String username) {
        return find(db, "SELECT id::text, username, password_hash, roles FROM accounts WHERE lower(username) = lower(?)", username);
    }

    private static Optional<Account> findById(Database db, String id) {
        return find(db, "SELECT id::text, username, password_hash, roles FROM accounts WHERE id::text = ?", id);
    }

    private static Optional<Account> find(Database db, String sql, String value) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, value);
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    Array roles = r.getArray(4);
                    return Optional.of(new Account(r.getString(1), r.getString(2), r.getString(3),
                            Set.of((String[]) roles.getArray())));
                }
            }
        });
    }

    private static void updateHash(Database db, String id, String hash) {
        db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE accounts SET password_hash = ? WHERE id::text = ?")) {
                s.setString(1, hash);
                s.setString(2, id);
                return s.executeUpdate();
            }
        });
    }

    static Registration valid(Registration in) {
        if (in.username() == null || in.username().length() < USERNAME_MIN || in.username().length() > USERNAME_MAX
                || !USERNAME.matcher(in.username()).matches()) {
            throw HttpException.badRequest("a username is " + USERNAME_MIN + " to " + USERNAME_MAX
                    + " letters, digits, '.', '_' or '-'");
        }
        if (in.email() == null || in.email().length() > EMAIL_MAX || !EMAIL.matcher(in.email()).matches()) {
            throw HttpException.badRequest("a valid e-mail address of at most " + EMAIL_MAX + " characters is required");
        }
        if (in.password() == null || in.password().length() < PASSWORD_MIN || in.password().length() > PASSWORD_MAX) {
            throw HttpException.badRequest("a password is " + PASSWORD_MIN + " to " + PASSWORD_MAX + " characters");
        }
        return in;
    }
}
