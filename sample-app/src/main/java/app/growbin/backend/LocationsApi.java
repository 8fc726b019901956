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

/** Drop-off locations; kept in code, not deployed yet. */
@RestService(path = "/api/v1/locations", replicas = 2, port = 8000, enabled = false)
@Resources(cpu = "100m", memory = "128Mi", cpuLimit = "500m", memoryLimit = "256Mi")
public final class LocationsApi implements RestApi {

    /** A drop-off location. */
    public record Location(String id, String name, String accepts) {}

    @Override
    public void routes(Routes routes, ServiceContext context) {
        routes.get("", Access.PUBLIC, r -> Response.ok(List.of(
                new Location("central", "Central recycling yard", "all materials, electronics, bulky waste"),
                new Location("harbour", "Harbour drop-off", "glass, metal, paper"))));
    }
}
