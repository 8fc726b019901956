package app.growbin.processor.write;

import app.growbin.processor.model.ApplicationModel;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.problem.Problem;
import app.growbin.processor.read.CarriedFile;
import app.growbin.processor.render.AlertTestsRenderer;
import app.growbin.processor.render.ArgoApplicationRenderer;
import app.growbin.processor.render.EnvironmentView;
import app.growbin.processor.render.Headers;
import app.growbin.processor.render.KustomizationRenderer;
import app.growbin.processor.render.ManifestSet;
import app.growbin.processor.render.OverviewRenderer;
import app.growbin.processor.render.helm.HelmChartRenderer;
import app.growbin.processor.render.tree.Manifest;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every file of the output folder as text, rendered completely before the first byte is written:
 * one folder per environment, {@code argocd/}, {@code helm/} and the {@code README.md} overview, and the
 * alerts' promtool tests, which go beside the output folder ({@link app.growbin.processor.read.BuildOptions#testsFolder()}).
 * The environments' manifests and the chart's templates are the same trees ({@link ManifestSet}),
 * written as YAML ({@link YamlText}) and as Helm templates ({@link TemplateText}).
 *
 * @param environments environment name to its files (relative path to text), in model order
 * @param applications the Argo CD Applications, by file name
 * @param chart the Helm chart, by path below {@code helm/}
 * @param problems patches that match no object of their environment, and resources that redeclare a
 *                 generated object: when there is one, nothing may be written
 * @param alertTests the promtool tests of each environment's alerts and objectives, by file name ({@code <env>.test.yaml} in the tests folder)
 */
public record OutputFiles(Map<EnvironmentModel, SortedMap<String, String>> environments, SortedMap<String, String> applications,
                          SortedMap<String, String> chart, Optional<String> overview, List<Problem> problems,
                          SortedMap<String, String> alertTests) {

    public static final String KUSTOMIZATION = KustomizationRenderer.FILE;

    public OutputFiles {
        environments = Collections.unmodifiableMap(new LinkedHashMap<>(environments));
        applications = Collections.unmodifiableSortedMap(new TreeMap<>(applications));
        chart = Collections.unmodifiableSortedMap(new TreeMap<>(chart));
        problems = List.copyOf(problems);
        alertTests = Collections.unmodifiableSortedMap(new TreeMap<>(alertTests));
    }

    /** Every file of the output folder, by its path below it ({@code dev/kustomization.yaml}, {@code helm/...}, {@code README.md}); the tests are not. */
    public SortedMap<String, String> allFiles() {
        SortedMap<String, String> all = new TreeMap<>();
        environments.forEach((environment, files) -> files.forEach((path, text) -> all.put(environment.name() + "/" + path, text)));
        applications.forEach((path, text) -> all.put(ArgoApplicationRenderer.FOLDER + "/" + path, text));
        chart.forEach((path, text) -> all.put(HelmChartRenderer.FOLDER + "/" + path, text));
        overview.ifPresent(text -> all.put(OverviewRenderer.FILE, text));
        return all;
    }

    public static OutputFiles of(ApplicationModel model) {
        return of(model, Map.of());
    }

    /**
     * Every file, with each environment's own patches and resources ({@code carried}, by environment)
     * carried into its folder; {@link #problems()} holds the patches that match no object of their
     * environment (nothing may be written then).
     */
    public static OutputFiles of(ApplicationModel model, Map<String, List<CarriedFile>> carried) {
        YamlText yaml = new YamlText();
        ManifestSet manifests = new ManifestSet();
        ArgoApplicationRenderer argo = new ArgoApplicationRenderer();
        KustomizationRenderer kustomizations = new KustomizationRenderer();
        List<Problem> problems = new ArrayList<>();
        Map<EnvironmentModel, SortedMap<String, String>> environments = new LinkedHashMap<>();
        SortedMap<String, String> applications = new TreeMap<>();
        SortedMap<String, String> alertTests = new TreeMap<>();
        AlertTestsRenderer tests = new AlertTestsRenderer();
        Map<String, List<Manifest>> objects = new LinkedHashMap<>();
        for (EnvironmentModel environment : model.environments()) {
            Manifest test = tests.render(environment);
            alertTests.put(test.path(), yaml.render(test));
            SortedMap<String, String> files = new TreeMap<>();
            List<Manifest> rendered = manifests.render(new EnvironmentView(environment));
            for (Manifest manifest : rendered) {
                files.put(manifest.path(), yaml.render(manifest));
            }
            List<CarriedFile> own = carried.getOrDefault(environment.name(), List.of());
            List<Problem> wrongTargets = kustomizations.check(environment.name(), rendered, own);
            problems.addAll(wrongTargets);
            if (wrongTargets.isEmpty()) {
                own.stream().filter(file -> file.kind() == CarriedFile.Kind.RESOURCE)
                        .forEach(file -> files.put(file.path(), Headers.carried(file.displayName(environment.name())) + file.text()));
                files.put(KUSTOMIZATION, yaml.render(kustomizations.render(environment.appName(), environment.name(), rendered, own)));
            }
            environments.put(environment, files);
            List<Manifest> environmentObjects = new ArrayList<>(rendered);
            if (!environment.get(Settings.GITOPS_REPO_URL).isEmpty()) {
                Manifest application = argo.render(environment);
                applications.put(application.path(), yaml.render(application));
                environmentObjects.add(application);
            }
            objects.put(environment.name(), environmentObjects);
        }
        Optional<String> overview = model.environments().isEmpty()
                ? Optional.empty()
                : Optional.of(new OverviewRenderer().render(model.environments(), model.catalog().calls(), objects));
        HelmChartRenderer.Chart chart = new HelmChartRenderer().render(model);
        SortedMap<String, String> chartFiles = new TreeMap<>(chart.files());
        TemplateText templates = new TemplateText();
        chart.templates().forEach(template -> chartFiles.put(template.path(), templates.render(template)));
        return new OutputFiles(environments, applications, chartFiles, overview, problems, alertTests);
    }
}
