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
import app.growbin.runtime.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * User profiles, in PostgreSQL (schema {@code users}). A profile's id is its account's id (the token's
 * {@code sub}): a user creates, reads, replaces and deletes only their own profile; a token with the
 * {@code admin} role may do so for any profile and list them all.
 */
@RestService(path = "/api/v1/users", replicas = 2, port = 8000)
@Resources(cpu = "100m", memory = "128Mi", cpuLimit = "500m", memoryLimit = "256Mi")
@NodeSelector(key = "workload", value = "application")
@HttpLimits(maxBodyBytes = 16 * 1024)
@SecretEnv(name = "AUTH_SIGNING_KEYS", secret = "auth-secrets", key = "signing-keys")
@SecretEnv(name = "DATABASE_URL", secret = "users-database", key = "url")
@SecretEnv(name = "DATABASE_USER", secret = "users-database", key = "username")
@SecretEnv(name = "DATABASE_PASSWORD", secret = "users-database", key = "password")
public final class UsersApi implements RestApi {

    /** A user profile. */
    public record User(String id, String name, String email) {}

    /** What a client sends to create or replace a profile. */
    public record UserInput(String name, String email) {}

    static final String SCHEMA = "users";
    static final String ADMIN = "admin";
    static final int NAME_MAX = 100;
    static final int EMAIL_MAX = 254;
    static final int LIST_MAX = 1000;

    @Override
    public void routes(Routes routes, ServiceContext context) {
        Database db = context.database(SCHEMA);
        Access ownerOrAdmin = Access.ownerOr("id", ADMIN);

        routes.get("", Access.role(ADMIN), r -> Response.ok(Map.of("users", list(db))));
        routes.post("", Access.AUTHENTICATED, r -> {
            UserInput in = valid(r.json(UserInput.class));
            User u = new User(r.requireCaller().subject(), in.name(), in.email());
            write(db, "INSERT INTO profiles (name, email, id) VALUES (?, ?, ?::uuid)", u, "you already have a profile, or that e-mail is taken");
            return Response.json(201, u).header("Location", routes.basePath() + "/" + u.id());
        });
        routes.get("/{id}", ownerOrAdmin, r -> Response.ok(find(db, r.pathParam("id"))
                .orElseThrow(() -> HttpException.notFound("no such user"))));
        routes.put("/{id}", ownerOrAdmin, r -> {
            UserInput in = valid(r.json(UserInput.class));
            User u = new User(r.pathParam("id"), in.name(), in.email());
            int changed = write(db, "UPDATE profiles SET name = ?, email = ?, updated_at = now() WHERE id::text = ?", u,
                    "that e-mail is taken");
            if (changed == 0) {
                throw HttpException.notFound("no such user");
            }
            return Response.ok(u);
        });
        routes.delete("/{id}", ownerOrAdmin, r -> {
            int deleted = db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM profiles WHERE id::text = ?")) {
                    s.setString(1, r.pathParam("id"));
                    return s.executeUpdate();
                }
            });
            if (deleted == 0) {
                throw HttpException.notFound("no such user");
            }
            return Response.status(204);
        });
    }

    private static List<User> list(Database db) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id::text, name, email FROM profiles ORDER BY id LIMIT ?")) {
                s.setInt(1, LIST_MAX);
                List<User> users = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        users.add(new User(r.getString(1), r.getString(2), r.getString(3)));
                    }
                }
                return users;
            }
        });
    }

    private static Optional<User> find(Database db, String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT id::text, name, email FROM profiles WHERE id::text = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(new User(r.getString(1), r.getString(2), r.getString(3))) : Optional.empty();
                }
            }
        });
    }

    /** An INSERT or UPDATE whose placeholders are name, email, id in that order; a duplicate e-mail is a 409. */
    private static int write(Database db, String sql, User u, String conflict) {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, u.name());
                    s.setString(2, u.email());
                    s.setString(3, u.id());
                    return s.executeUpdate();
                }
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException && Database.isUniqueViolation((SQLException) e.getCause())) {
                throw HttpException.conflict(conflict);
            }
            throw e;
        }
    }

    private static UserInput valid(UserInput in) {
        if (in.name() == null || in.name().isBlank() || in.name().length() > NAME_MAX) {
            throw HttpException.badRequest("a name of 1 to " + NAME_MAX + " characters is required");
        }
        if (in.email() == null || in.email().length() > EMAIL_MAX || !in.email().matches("[^@\\s]+@[^@\\s]+")) {
            throw HttpException.badRequest("a valid e-mail address of at most " + EMAIL_MAX + " characters is required");
        }
        return in;
    }
}
