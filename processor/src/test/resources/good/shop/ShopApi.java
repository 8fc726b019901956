package app.growbin.shop;

import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.Env;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;
import app.growbin.annotations.SecretEnv;
import app.growbin.annotations.Slo;

/** A REST service with every modifier. */
@RestService(path = "/api/v1/shop", name = "shop", replicas = 2, port = 9090)
@Resources(cpu = "250m", memory = "256Mi", cpuLimit = "500m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "application")
@NodeSelector(key = "topology.kubernetes.io/zone", value = "eu-west-1a")
@Autoscaling(minReplicas = 2, maxReplicas = 6, targetCpuUtilization = 75)
@Env(name = "REGION", value = "eu")
@Env(name = "LOG_LEVEL", value = "info")
@SecretEnv(name = "PAYMENT_API_KEY", secret = "payment-secrets", key = "api-key")
@Slo(availability = 99.5, latencyPercentile = 99, latencyThresholdSeconds = 1)
public final class ShopApi {
}
