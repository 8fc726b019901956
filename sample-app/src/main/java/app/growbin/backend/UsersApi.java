package app.growbin.backend;

import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;

/** User profiles. */
@RestService(path = "/api/v1/users", replicas = 2)
@Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "application")
public final class UsersApi {
}
