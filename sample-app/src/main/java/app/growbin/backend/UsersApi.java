package app.growbin.backend;

import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.runtime.RestApi;
import app.growbin.runtime.Routes;
import app.growbin.runtime.ServiceContext;
import app.growbin.runtime.Response;
import app.growbin.runtime.HttpException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** User profiles. */
@RestService(path = "/api/v1/users", replicas = 2)
@Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "application")
public final class UsersApi implements RestApi {

    /** A user profile. */
    public record User(String id, String name, String email) {}

    /** What a client sends to create or replace a profile. */
    public record UserInput(String name, String email) {}

    private final Map<String, User> users = new ConcurrentHashMap<>();

    @Override
    public void routes(Routes routes, ServiceContext context) {
        routes.get("", r -> Response.ok(Map.of("users", List.copyOf(new java.util.TreeMap<>(users).values()))));
        routes.post("", r -> {
            UserInput in = valid(r.json(UserInput.class));
            User u = new User(UUID.randomUUID().toString(), in.name(), in.email());
            users.put(u.id(), u);
            return Response.json(201, u).header("Location", routes.basePath() + "/" + u.id());
        });
        routes.get("/{id}", r -> Response.ok(find(r.pathParam("id"))));
        routes.put("/{id}", r -> {
            find(r.pathParam("id"));
            UserInput in = valid(r.json(UserInput.class));
            User u = new User(r.pathParam("id"), in.name(), in.email());
            users.put(u.id(), u);
            return Response.ok(u);
        });
        routes.delete("/{id}", r -> {
            if (users.remove(r.pathParam("id")) == null) {
                throw HttpException.notFound("no such user");
            }
            return Response.status(204);
        });
    }

    private User find(String id) {
        User u = users.get(id);
        if (u == null) {
            throw HttpException.notFound("no such user");
        }
        return u;
    }

    private static UserInput valid(UserInput in) {
        if (in.name() == null || in.name().isBlank()) {
            throw HttpException.badRequest("name is required");
        }
        if (in.email() == null || !in.email().matches("[^@\\s]+@[^@\\s]+")) {
            throw HttpException.badRequest("a valid email is required");
        }
        return in;
    }
}
