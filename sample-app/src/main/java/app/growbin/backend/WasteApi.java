package app.growbin.backend;

import app.growbin.annotations.Autoscaling;
import app.growbin.annotations.NodeSelector;
import app.growbin.annotations.Resources;
import app.growbin.annotations.RestService;

/** Waste classification API: accepts an image and runs the AI pipeline on it. */
@RestService(path = "/api/v1/waste", replicas = 3)
@Resources(cpu = "200m", memory = "256Mi", cpuLimit = "1000m", memoryLimit = "512Mi")
@NodeSelector(key = "workload", value = "application")
@Autoscaling(minReplicas = 3, maxReplicas = 10, targetCpuUtilization = 70)
public final class WasteApi {
}
