package app.growbin.backend;

import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.runtime.RestApi;
import app.growbin.runtime.auth.Access;
import app.growbin.runtime.Routes;
import app.growbin.runtime.ServiceContext;
import app.growbin.runtime.Response;
import app.growbin.runtime.HttpException;
import java.util.List;
import java.util.Map;

/** Recycling guidance; kept in code, not deployed yet. */
@RestService(path = "/api/v1/recycling", replicas = 2, port = 8000, enabled = false)
@Resources(cpu = "100m", memory = "128Mi", cpuLimit = "500m", memoryLimit = "256Mi")
public final class RecyclingApi implements RestApi {

    @Override
    public void routes(Routes routes, ServiceContext context) {
        routes.get("/bins", Access.PUBLIC, r -> Response.ok(Map.of("plastic", "yellow", "glass", "green", "paper", "blue", "organic", "brown", "general", "black")));
    }
}
