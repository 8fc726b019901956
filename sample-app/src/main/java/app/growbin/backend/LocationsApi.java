package app.growbin.backend;

import app.growbin.annotations.RestService;

/** Drop-off locations; kept in code, not deployed yet. */
@RestService(path = "/api/v1/locations", replicas = 2, enabled = false)
public final class LocationsApi {
}
