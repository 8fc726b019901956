package app.growbin.runtime;

import app.growbin.annotations.Pool;
import java.util.List;
import java.util.Map;

/** A hand-written catalog in the shape the processor generates, registered in META-INF/services. */
public final class TestCatalog implements ApplicationCatalog {

    /** A REST service with a JSON route and a path parameter. */
    public static final class EchoApi implements RestApi {
        @Override
        public void routes(Routes routes, ServiceContext context) {
            routes.post("", r -> Response.json(201, Map.of("echo", r.json().get("text").asText(),
                    "service", context.serviceName())));
            routes.get("/{id}", r -> {
                if (r.pathParam("id").equals("missing")) {
                    throw HttpException.notFound("no such item");
                }
                return Response.ok(Map.of("id", r.pathParam("id"), "q", r.query("q").orElse("")));
            });
            routes.get("/boom/now", r -> {
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
                }));
    }
}
