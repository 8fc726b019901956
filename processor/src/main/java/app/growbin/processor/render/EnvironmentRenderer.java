package app.growbin.processor.render;

import app.growbin.processor.model.AutoscalingSpec;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.WorkloadKind;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns one environment's model into its files, in a stable order, kustomization.yaml last. */
public final class EnvironmentRenderer {

    public static final String KUSTOMIZATION = "kustomization.yaml";

    private final DeploymentRenderer deployments = new DeploymentRenderer();
    private final ServiceRenderer services = new ServiceRenderer();
    private final AutoscalerRenderer autoscalers = new AutoscalerRenderer();
    private final DisruptionBudgetRenderer budgets = new DisruptionBudgetRenderer();
    private final IngressRenderer ingresses = new IngressRenderer();
    private final MonitorRenderer monitors = new MonitorRenderer();
    private final AlertRulesRenderer alerts = new AlertRulesRenderer();
    private final ConfigMapRenderer configMaps = new ConfigMapRenderer();
    private final KedaRenderer keda = new KedaRenderer();
    private final NetworkPolicyRenderer networkPolicies = new NetworkPolicyRenderer();

    public List<RenderedFile> render(EnvironmentModel environment) {
        List<RenderedFile> files = new ArrayList<>();
        for (RestServiceModel service : environment.restServices()) {
            workloadFiles(environment, service, files);
            files.add(file("api/rest/" + service.name() + "-service.yaml", service.sourceClass(), services.render(environment, service)));
        }
        for (WorkerModel worker : environment.workers()) {
            workloadFiles(environment, worker, files);
        }
        String everything = "the Growbin annotations and values of " + environment.appName();
        if (!environment.restServices().isEmpty() && environment.ingress().enabled()) {
            files.add(file("ingress/api-ingress.yaml", sources(environment.restServices()), ingresses.render(environment)));
        }
        if (!environment.restServices().isEmpty()) {
            files.add(file("monitoring/servicemonitor.yaml", sources(environment.restServices()), monitors.restMonitor(environment)));
        }
        if (!environment.workers().isEmpty()) {
            files.add(file("monitoring/podmonitor.yaml", sources(environment.workers()), monitors.workerMonitor(environment)));
        }
        files.add(file("monitoring/prometheusrule.yaml", everything, alerts.render(environment)));
        String valuesFiles = "values.yaml and values-" + environment.name() + ".yaml";
        files.add(file("infrastructure/configmap.yaml", valuesFiles, configMaps.render(environment)));
        if (environment.workers().stream().anyMatch(w -> w.autoscaling().filter(AutoscalingSpec::onQueueLength).isPresent())) {
            files.add(file("infrastructure/keda-triggerauthentication.yaml", valuesFiles, keda.triggerAuthentication(environment)));
        }
        if (environment.networkPolicy().enabled()) {
            List<Object> policies = new ArrayList<>();
            if (!environment.restServices().isEmpty()) {
                policies.add(networkPolicies.render(environment, WorkloadKind.REST));
            }
            if (!environment.workers().isEmpty()) {
                policies.add(networkPolicies.render(environment, WorkloadKind.ASYNC));
            }
            if (!policies.isEmpty()) {
                files.add(new RenderedFile("infrastructure/networkpolicy.yaml", valuesFiles, policies));
            }
        }
        files.sort(Comparator.comparing(RenderedFile::path));
        files.add(file(KUSTOMIZATION, everything, kustomization(files)));
        return files;
    }

    private void workloadFiles(EnvironmentModel environment, Workload workload, List<RenderedFile> files) {
        String folder = "api/" + workload.kind().valuesKey() + "/" + workload.name();
        files.add(file(folder + "-deployment.yaml", workload.sourceClass(), deployments.render(environment, workload)));
        workload.autoscaling().ifPresent(autoscaling -> {
            if (autoscaling.onQueueLength() && workload instanceof WorkerModel worker) {
                files.add(file(folder + "-scaledobject.yaml", workload.sourceClass(), keda.scaledObject(environment, worker, autoscaling)));
            } else {
                files.add(file(folder + "-hpa.yaml", workload.sourceClass(), autoscalers.render(environment, workload, autoscaling)));
            }
        });
        if (workload.minimumReplicas() > 1) {
            files.add(file(folder + "-pdb.yaml", workload.sourceClass(), budgets.render(environment, workload)));
        }
    }

    private static Map<String, Object> kustomization(List<RenderedFile> files) {
        Map<String, Object> kustomization = new LinkedHashMap<>();
        kustomization.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
        kustomization.put("kind", "Kustomization");
        kustomization.put("resources", files.stream().map(RenderedFile::path).toList());
        return kustomization;
    }

    private static String sources(List<? extends Workload> workloads) {
        return String.join(", ", workloads.stream().map(Workload::sourceClass).sorted().toList());
    }

    private static RenderedFile file(String path, String source, Object object) {
        return new RenderedFile(path, source, List.of(object));
    }
}
