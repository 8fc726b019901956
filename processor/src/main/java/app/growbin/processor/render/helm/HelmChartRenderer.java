package app.growbin.processor.render.helm;

import app.growbin.processor.model.ApplicationModel;
import app.growbin.processor.model.AutoscalingSpec;
import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.write.YamlRenderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Helm chart export, {@code <output>/helm/<app>/}: the chart a team that prefers Helm would have
 * written by hand, with the values keys of the seed. {@code values.yaml} holds the application as the
 * annotations and {@code values.yaml} describe it ({@link ApplicationModel#defaults()}),
 * {@code values-<env>.yaml} what each environment changes; the templates carry the code's contract.
 * {@code helm template <app> helm/<app> -f helm/<app>/values-<env>.yaml} renders the objects of
 * {@code <output>/<env>/}.
 *
 * <p>Reads only the model; returns text (templates are text, not objects), in a stable order.
 */
public final class HelmChartRenderer {

    /** The folder under the output folder. */
    public static final String FOLDER = "helm";
    /** Chart version when the image tag is no semantic version. */
    static final String DEFAULT_CHART_VERSION = "0.1.0";
    private static final Pattern SEMVER = Pattern.compile("v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");

    /** Files by path relative to {@code <output>/helm/} ({@code <app>/Chart.yaml}, ...); empty without environments. */
    public SortedMap<String, String> render(ApplicationModel model) {
        SortedMap<String, String> files = new TreeMap<>();
        if (model.environments().isEmpty()) {
            return files;
        }
        EnvironmentModel defaults = model.defaults();
        Catalog catalog = model.catalog();
        String app = defaults.appName();
        Set<String> keda = kedaWorkers(model);
        ChartValues values = new ChartValues(catalog, keda);
        ChartTemplates templates = new ChartTemplates(app);
        String chart = app + "/";

        files.put(chart + "Chart.yaml", chartYaml(app, defaults.image().tag()));
        Map<String, Object> base = values.tree(defaults, null, null);
        files.put(chart + "values.yaml", valuesHeader("the annotations and values.yaml of " + app,
                "The application as the code and values.yaml describe it. The contract (names, paths, ports,\n"
                        + "queues, pools) is in the templates, as the code owns it; these are the operations.\n"
                        + "values-<env>.yaml holds what an environment changes:\n"
                        + "  helm template " + app + " k8s-out/helm/" + app + " -f k8s-out/helm/" + app + "/values-<env>.yaml\n"
                        + "renders the objects of k8s-out/<env>/.")
                + ValuesText.yaml(base, sectionComments()));
        for (EnvironmentModel environment : model.environments()) {
            Map<String, Object> tree = values.tree(environment, base, app + "-" + environment.name());
            files.put(chart + "values-" + environment.name() + ".yaml",
                    valuesHeader("values-" + environment.name() + ".yaml of " + app,
                            "What the " + environment.name() + " environment changes in values.yaml (null removes a key).")
                            + ValuesText.yaml(ChartValues.difference(tree, base), Map.of()));
        }
        files.put(chart + "values.schema.json", ChartSchema.json(app, catalog, keda));

        String templatesFolder = chart + "templates/";
        files.put(templatesFolder + "_helpers.tpl", templates.helpers());
        for (RestServiceModel service : catalog.restServices()) {
            String prefix = templatesFolder + "api/rest/" + service.name();
            files.put(prefix + "-deployment.yaml", templates.deployment(service, service.env()));
            files.put(prefix + "-service.yaml", templates.service(service));
            files.put(prefix + "-hpa.yaml", templates.hpa(service, false));
            files.put(prefix + "-pdb.yaml", templates.disruptionBudget(service));
        }
        List<WorkerModel> kedaWorkers = new ArrayList<>();
        for (WorkerModel worker : catalog.workers()) {
            String prefix = templatesFolder + "api/async/" + worker.name();
            boolean scaledObject = keda.contains(worker.name());
            files.put(prefix + "-deployment.yaml", templates.deployment(worker, worker.env()));
            files.put(prefix + "-hpa.yaml", templates.hpa(worker, scaledObject));
            files.put(prefix + "-pdb.yaml", templates.disruptionBudget(worker));
            if (scaledObject) {
                files.put(prefix + "-scaledobject.yaml", templates.scaledObject(worker));
                kedaWorkers.add(worker);
            }
        }
        if (!catalog.restServices().isEmpty()) {
            String sources = sources(catalog.restServices());
            files.put(templatesFolder + "ingress/api-ingress.yaml", templates.ingress(catalog.restServices(), sources));
            files.put(templatesFolder + "monitoring/servicemonitor.yaml", templates.serviceMonitor(catalog.restServices(), sources));
        }
        if (!catalog.workers().isEmpty()) {
            files.put(templatesFolder + "monitoring/podmonitor.yaml", templates.podMonitor(catalog.workers(), sources(catalog.workers())));
        }
        files.put(templatesFolder + "monitoring/prometheusrule.yaml",
                templates.prometheusRule(catalog.restServices(), catalog.workers(), "the Growbin annotations and values of " + app));
        files.put(templatesFolder + "infrastructure/configmap.yaml", templates.configMap());
        if (!kedaWorkers.isEmpty()) {
            files.put(templatesFolder + "infrastructure/keda-triggerauthentication.yaml", templates.triggerAuthentication(kedaWorkers));
        }
        if (!catalog.restServices().isEmpty() || !catalog.workers().isEmpty()) {
            files.put(templatesFolder + "infrastructure/networkpolicy.yaml", templates.networkPolicy(
                    !catalog.restServices().isEmpty(), !catalog.workers().isEmpty(), catalog.restServices(), catalog.workers()));
        }
        return files;
    }

    /** Workers that scale on their queue length in the defaults or in some environment: they get a ScaledObject template. */
    static Set<String> kedaWorkers(ApplicationModel model) {
        Set<String> workers = new TreeSet<>();
        List<EnvironmentModel> all = new ArrayList<>(model.environments());
        all.add(model.defaults());
        for (EnvironmentModel environment : all) {
            for (WorkerModel worker : environment.workers()) {
                if (worker.autoscaling().filter(AutoscalingSpec::onQueueLength).isPresent()) {
                    workers.add(worker.name());
                }
            }
        }
        for (WorkerModel worker : model.catalog().workers()) {
            if (worker.autoscaling().filter(AutoscalingSpec::onQueueLength).isPresent()) {
                workers.add(worker.name());
            }
        }
        return workers;
    }

    private static String chartYaml(String app, String tag) {
        String version = SEMVER.matcher(tag).matches() ? (tag.startsWith("v") ? tag.substring(1) : tag) : DEFAULT_CHART_VERSION;
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("apiVersion", "v2");
        chart.put("name", app);
        chart.put("description", "The REST services and queue workers of " + app
                + ", exported by Growbin from the code's annotations and values files");
        chart.put("type", "application");
        chart.put("version", version);
        chart.put("appVersion", tag);
        return YamlRenderer.header("the annotations and values files of " + app) + ValuesText.yaml(chart, Map.of());
    }

    private static String valuesHeader(String source, String description) {
        StringBuilder header = new StringBuilder(YamlRenderer.header(source));
        description.lines().forEach(line -> header.append("# ").append(line).append('\n'));
        return header.append('\n').toString();
    }

    private static Map<String, String> sectionComments() {
        Map<String, String> comments = new LinkedHashMap<>();
        comments.put("global", "Application name, release instance, environment, domain and the image every workload runs.");
        comments.put("celery", "References to the Secrets holding the broker and result-backend URLs; never the credentials.");
        comments.put("openai", "OPENAI_BASE_URL and OPENAI_MODEL_<KEY> of the shared ConfigMap.");
        comments.put("ingress", "The one Ingress: a path per enabled REST service.");
        comments.put("monitoring", "Scrape interval and timeout of the ServiceMonitor and PodMonitor; alert thresholds.");
        comments.put("networkPolicy", "Opt-in isolation: REST pods reachable from the ingress and monitoring namespaces, workers from monitoring.");
        comments.put("api", "Per service: api.rest.<name>.* (REST services) and api.async.<name>.* (queue workers).");
        return comments;
    }

    private static String sources(List<? extends Workload> workloads) {
        return String.join(", ", workloads.stream().map(Workload::sourceClass).sorted().toList());
    }
}
