package app.growbin.backend;

import app.growbin.annotations.RestService;

/** Recycling guidance; kept in code, not deployed yet. */
@RestService(path = "/api/v1/recycling", replicas = 2, enabled = false)
public final class RecyclingApi {
}
