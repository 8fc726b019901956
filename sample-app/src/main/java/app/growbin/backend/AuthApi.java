package app.growbin.backend;

import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.annotations.SecretEnv;

/** Login and signed tokens. */
@RestService(path = "/api/v1/auth", replicas = 2)
@Resources(cpu = "100m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "application")
@SecretEnv(name = "AUTH_SIGNING_KEY", secret = "auth-secrets", key = "signing-key")
public final class AuthApi {
}
