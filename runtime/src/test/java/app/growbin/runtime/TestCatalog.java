package app.growbin.runtime;

import app.growbin.annotations.Pool;
import app.growbin.runtime.auth.Access;
import java.net.URI;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;

/** A hand-written catalog in the shape the processor generates, registered in META-INF/services. */
public final class TestCatalog implements ApplicationCatalog {

    /** A REST service with a JSON route and a path parameter. */
    public static final class EchoApi implements RestApi {
        @Override
        public void routes(Routes routes, ServiceContext context) {
            routes.post("", Access.PUBLIC, r -> Response.json(201, Map.of("echo", r.json().get("text").asText(),
                    "service", context.serviceName())));
            routes.get("/{id}", Access.PUBLIC, r -> {
                if (r.pathParam("id").equals("missing")) {
                    throw HttpException.notFound("no such item");
                }
                return Response.ok(Map.of("id", r.pathParam("id"), "q", r.query("q").orElse("")));
            });
            routes.get("/boom/now", Access.PUBLIC, r -> {
                throw new IllegalStateException("boom");
            });
        }
    }

    @Override
    public List<RestServiceDefinition> restServices() {
        return List.of(new RestServiceDefinition("echo", "/api/v1/echo", 8080, EchoApi::new));
    }

    @Override
    public List<WorkerDefinition> workers() {
        return List.of(new WorkerDefinition("adder", "test.launcher.adder", Pool.THREADS, 2, List.of("t.add"),
                () -> (task, args) -> {
                    switch (task) {
                        case "t.add":
                            return args.get(0, "a", int.class) + args.get(1, "b", int.class);
                        default:
                            throw new TaskDispatcher.NotRegistered(task);
                    }
                }),
                new WorkerDefinition("faulty", "test.launcher.faulty", Pool.THREADS, 1, List.of("t.once", "t.fail", "t.add"),
                        TestCatalog::faultyDispatcher));
    }

    /**
     * For the fault tests ({@code WorkerFaultsTest}), which run it in separate JVMs: {@code t.once(key)}
     * counts its attempts in Redis ({@code INCR key}) and blocks on the first one (the test kills that
     * process), so a later attempt proves the redelivery; {@code t.fail} always fails.
     */
    static TaskDispatcher faultyDispatcher() {
        URI redis = URI.create(Env.system().resultBackendUrl());
        return (task, args) -> {
            switch (task) {
                case "t.once": {
                    String key = args.get(0, "key", String.class);
                    long attempt;
                    try (Jedis j = new Jedis(redis)) {
                        attempt = j.incr(key);
                        j.expire(key, 600);
                    }
                    if (attempt == 1) {
                        Thread.sleep(120_000);
                    }
                    return "attempt " + attempt + " in pid " + ProcessHandle.current().pid();
                }
                case "t.fail":
                    throw new IllegalArgumentException("poison: " + args.get(0, "why", String.class));
                case "t.add":
                    return args.get(0, "a", int.class) + args.get(1, "b", int.class);
                default:
                    throw new TaskDispatcher.NotRegistered(task);
            }
        };
    }
}
