package app.growbin.processor.render;

import static app.growbin.processor.render.tree.Nodes.when;

import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.render.tree.Node;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.WorkloadKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every manifest file of an application, each object under the condition that it exists: an
 * environment's folder through {@link EnvironmentView} (conditions decided, files without objects
 * left out), the Helm chart's templates through the chart's view (conditions kept as template
 * {@code if}s). Sorted by path.
 */
public final class ManifestSet {

    private final DeploymentRenderer deployments = new DeploymentRenderer();
    private final ServiceRenderer services = new ServiceRenderer();
    private final AutoscalerRenderer autoscalers = new AutoscalerRenderer();
    private final DisruptionBudgetRenderer budgets = new DisruptionBudgetRenderer();
    private final KedaRenderer keda = new KedaRenderer();
    private final IngressRenderer ingresses = new IngressRenderer();
    private final MonitorRenderer monitors = new MonitorRenderer();
    private final AlertRulesRenderer alerts = new AlertRulesRenderer();
    private final ConfigMapRenderer configMaps = new ConfigMapRenderer();
    private final NetworkPolicyRenderer networkPolicies = new NetworkPolicyRenderer();
    private final HttpRouteRenderer routes = new HttpRouteRenderer();
    private final ExternalSecretRenderer externalSecrets = new ExternalSecretRenderer();
    private final VerticalAutoscalerRenderer verticalAutoscalers = new VerticalAutoscalerRenderer();
    private final SloRulesRenderer sloRules = new SloRulesRenderer();
    private final DashboardRenderer dashboards = new DashboardRenderer();

    public List<Manifest> render(SettingsView view) {
        List<Manifest> files = new ArrayList<>();
        for (RestServiceModel service : view.restServices()) {
            workloadFiles(view, service, files);
            files.add(file(folder(service) + "-service.yaml", service.sourceClass(),
                    when(view.get(service, Settings.ENABLED), services.render(view, service))));
        }
        for (WorkerModel worker : view.workers()) {
            workloadFiles(view, worker, files);
        }
        Expr<Boolean> anyRest = AlertRulesRenderer.anyEnabled(view, view.restServices());
        Expr<Boolean> anyWorker = AlertRulesRenderer.anyEnabled(view, view.workers());
        String everything = "the Growbin annotations and values of " + view.applicationName();
        files.add(file("ingress/api-ingress.yaml", sources(view, view.restServices()), when(Ops.and(view.get(Settings.INGRESS_ENABLED), anyRest,
                Ops.equal(view.get(Settings.INGRESS_KIND), "ingress")), ingresses.render(view))));
        files.add(file("ingress/api-httproute.yaml", sources(view, view.restServices()), when(Ops.and(view.get(Settings.INGRESS_ENABLED), anyRest,
                Ops.equal(view.get(Settings.INGRESS_KIND), "gateway")), routes.render(view))));
        files.add(file("monitoring/servicemonitor.yaml", sources(view, view.restServices()), when(anyRest, monitors.restMonitor(view))));
        files.add(file("monitoring/podmonitor.yaml", sources(view, view.workers()), when(anyWorker, monitors.workerMonitor(view))));
        files.add(file("monitoring/prometheusrule.yaml", everything, alerts.render(view)));
        files.add(file("monitoring/prometheusrule-slo.yaml", sources(view, view.restServices()), sloRules.render(view)));
        files.add(file("monitoring/grafana-dashboard.yaml", everything, when(view.get(Settings.DASHBOARDS_ENABLED), dashboards.render(view))));
        files.add(file("infrastructure/configmap.yaml", view.valuesFiles(), configMaps.render(view)));
        Expr<Boolean> anyKeda = Ops.or(view.workers().stream().map(w -> scaledByKeda(view, w)).toList());
        files.add(file("infrastructure/keda-triggerauthentication.yaml", view.valuesFiles(), when(anyKeda, keda.triggerAuthentication(view))));
        files.add(new Manifest("infrastructure/externalsecrets.yaml", everything, externalSecrets.render(view)));
        Expr<Boolean> isolated = view.get(Settings.NETWORK_POLICY_ENABLED);
        files.add(new Manifest("infrastructure/networkpolicy.yaml", view.valuesFiles(), List.of(
                when(Ops.and(isolated, anyRest), networkPolicies.render(view, WorkloadKind.REST)),
                when(Ops.and(isolated, anyWorker), networkPolicies.render(view, WorkloadKind.ASYNC)))));
        return files.stream().filter(f -> !f.isEmpty()).sorted(Comparator.comparing(Manifest::path)).toList();
    }

    private void workloadFiles(SettingsView view, Workload workload, List<Manifest> files) {
        String folder = folder(workload);
        Expr<Boolean> enabled = view.get(workload, Settings.ENABLED);
        Expr<Boolean> autoscaled = Ops.and(enabled, view.get(workload, Settings.AUTOSCALING_ENABLED));
        Expr<Boolean> keda = workload instanceof WorkerModel worker ? scaledByKeda(view, worker) : Expr.bool(false);
        Expr<Integer> minimumReplicas = Ops.choose(view.get(workload, Settings.AUTOSCALING_ENABLED),
                view.get(workload, Settings.MIN_REPLICAS), view.get(workload, Settings.REPLICAS));
        files.add(file(folder + "-deployment.yaml", workload.sourceClass(), when(enabled, deployments.render(view, workload))));
        files.add(file(folder + "-hpa.yaml", workload.sourceClass(), when(Ops.and(autoscaled, Ops.not(keda)), autoscalers.render(view, workload))));
        if (workload instanceof WorkerModel worker) {
            files.add(file(folder + "-scaledobject.yaml", workload.sourceClass(), when(keda, this.keda.scaledObject(view, worker))));
        }
        files.add(file(folder + "-pdb.yaml", workload.sourceClass(),
                when(Ops.and(enabled, Ops.greaterThan(minimumReplicas, 1)), budgets.render(view, workload))));
        files.add(file(folder + "-vpa.yaml", workload.sourceClass(),
                when(Ops.and(enabled, view.get(workload, Settings.VERTICAL_AUTOSCALER_ENABLED)), verticalAutoscalers.render(view, workload))));
    }

    /** Whether KEDA scales the worker on its queue length. */
    private static Expr<Boolean> scaledByKeda(SettingsView view, WorkerModel worker) {
        return Ops.and(view.get(worker, Settings.ENABLED), view.get(worker, Settings.AUTOSCALING_ENABLED),
                Ops.greaterThan(view.get(worker, Settings.QUEUE_LENGTH), 0));
    }

    private static String folder(Workload workload) {
        return "api/" + workload.kind().valuesKey() + "/" + workload.name();
    }

    /** The classes of the workloads that may be enabled, for a header comment. */
    private static String sources(SettingsView view, List<? extends Workload> workloads) {
        return String.join(", ", workloads.stream()
                .filter(w -> !isKnownFalse(view.get(w, Settings.ENABLED)))
                .map(Workload::sourceClass).sorted().toList());
    }

    private static boolean isKnownFalse(Expr<Boolean> condition) {
        return condition.isLiteral() && !condition.value();
    }

    private static Manifest file(String path, String source, Node object) {
        return new Manifest(path, source, List.of(object));
    }
}
