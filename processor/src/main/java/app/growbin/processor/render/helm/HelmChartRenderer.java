package app.growbin.processor.render.helm;

import app.growbin.processor.model.ApplicationModel;
import app.growbin.processor.model.AutoscalingSpec;
import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.render.Headers;
import app.growbin.processor.render.ManifestSet;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 * {@code values-<env>.yaml} what each environment changes; the templates are the same manifest trees
 * as {@code <output>/<env>/}, read through {@link ChartView}.
 * {@code helm template <app> helm/<app> -f helm/<app>/values-<env>.yaml} renders the objects of
 * {@code <output>/<env>/}.
 */
public final class HelmChartRenderer {

    /** The folder under the output folder. */
    public static final String FOLDER = "helm";
    /** Chart version when the image tag is no semantic version. */
    static final String DEFAULT_CHART_VERSION = "0.1.0";
    private static final Pattern SEMVER = Pattern.compile("v?(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final String HELPERS = "_helpers.tpl";

    /**
     * The chart: its text files by path relative to {@code <output>/helm/} ({@code <app>/Chart.yaml}, ...),
     * and its templates as manifest trees (paths {@code <app>/templates/...}), both empty without environments.
     */
    public record Chart(SortedMap<String, String> files, List<Manifest> templates) {}

    public Chart render(ApplicationModel model) {
        SortedMap<String, String> files = new TreeMap<>();
        if (model.environments().isEmpty()) {
            return new Chart(files, List.of());
        }
        EnvironmentModel defaults = model.defaults();
        Catalog catalog = model.catalog();
        String app = defaults.appName();
        Set<String> keda = kedaWorkers(model);
        ChartValues values = new ChartValues(catalog, keda);
        String chart = app + "/";

        files.put(chart + "Chart.yaml", chartYaml(app, defaults.get(Settings.IMAGE_TAG)));
        Map<String, Object> base = values.tree(defaults, null, null);
        files.put(chart + "values.yaml", valuesHeader("the annotations and values.yaml of " + app,
                "The application as the code and values.yaml describe it. The contract (names, paths, ports,\n"
                        + "queues, pools) is in the templates, as the code owns it; these are the operations.\n"
                        + "values-<env>.yaml holds what an environment changes:\n"
                        + "  helm template " + app + " k8s-out/helm/" + app + " -f k8s-out/helm/" + app + "/values-<env>.yaml\n"
                        + "renders the objects of k8s-out/<env>/.")
                + ValuesText.yaml(base, sectionComments(base)));
        for (EnvironmentModel environment : model.environments()) {
            Map<String, Object> tree = values.tree(environment, base, app + "-" + environment.name());
            files.put(chart + "values-" + environment.name() + ".yaml",
                    valuesHeader("values-" + environment.name() + ".yaml of " + app,
                            "What the " + environment.name() + " environment changes in values.yaml (null removes a key).")
                            + ValuesText.yaml(ChartValues.difference(tree, base), Map.of()));
        }
        files.put(chart + "values.schema.json", ChartSchema.json(app, catalog, keda));
        files.put(chart + "templates/" + HELPERS, helpers());

        List<Manifest> templates = new ArrayList<>();
        for (Manifest manifest : new ManifestSet().render(new ChartView(catalog, keda, app))) {
            templates.add(new Manifest(chart + "templates/" + manifest.path(), manifest.source(), manifest.notes(), manifest.documents()));
        }
        return new Chart(files, templates);
    }

    /** Workers that scale on their queue length in the defaults, in some environment or in their annotation. */
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

    private static String helpers() {
        try (InputStream in = HelmChartRenderer.class.getResourceAsStream(HELPERS)) {
            if (in == null) {
                throw new IllegalStateException(HELPERS + " is missing from the processor's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return Headers.yaml("the annotations and values files of " + app) + ValuesText.yaml(chart, Map.of());
    }

    private static String valuesHeader(String source, String description) {
        StringBuilder header = new StringBuilder(Headers.yaml(source));
        description.lines().forEach(line -> header.append("# ").append(line).append('\n'));
        return header.append('\n').toString();
    }

    /** A comment per top-level section of {@code values.yaml}, from the settings table. */
    private static Map<String, String> sectionComments(Map<String, Object> base) {
        Map<String, String> comments = new LinkedHashMap<>();
        base.keySet().forEach(section -> {
            String description = Settings.SECTIONS.get(section);
            if (description != null) {
                comments.put(section, description);
            }
        });
        return comments;
    }
}
