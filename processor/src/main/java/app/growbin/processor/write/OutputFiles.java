package app.growbin.processor.write;

import app.growbin.processor.model.ApplicationModel;
import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.render.ArgoApplicationRenderer;
import app.growbin.processor.render.EnvironmentRenderer;
import app.growbin.processor.render.OverviewRenderer;
import app.growbin.processor.render.RenderedFile;
import app.growbin.processor.render.helm.HelmChartRenderer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every file of the output folder as text, rendered completely before the first byte is written:
 * one folder per environment, {@code argocd/}, {@code helm/}, and the {@code README.md} overview.
 *
 * @param environments environment name to its files (relative path to text), in model order
 * @param applications the Argo CD Applications, by file name
 * @param chart the Helm chart, by path below {@code helm/}
 */
public record OutputFiles(Map<EnvironmentModel, SortedMap<String, String>> environments, SortedMap<String, String> applications,
                          SortedMap<String, String> chart, Optional<String> overview) {

    public OutputFiles {
        environments = Collections.unmodifiableMap(new LinkedHashMap<>(environments));
        applications = Collections.unmodifiableSortedMap(new TreeMap<>(applications));
        chart = Collections.unmodifiableSortedMap(new TreeMap<>(chart));
    }

    public static OutputFiles of(ApplicationModel model) {
        YamlRenderer yaml = new YamlRenderer();
        EnvironmentRenderer renderer = new EnvironmentRenderer();
        ArgoApplicationRenderer argo = new ArgoApplicationRenderer();
        Map<EnvironmentModel, SortedMap<String, String>> environments = new LinkedHashMap<>();
        SortedMap<String, String> applications = new TreeMap<>();
        for (EnvironmentModel environment : model.environments()) {
            SortedMap<String, String> files = new TreeMap<>();
            for (RenderedFile file : renderer.render(environment)) {
                files.put(file.path(), yaml.render(file));
            }
            environments.put(environment, files);
            if (!environment.gitOps().repoUrl().isEmpty()) {
                RenderedFile application = argo.render(environment);
                applications.put(application.path(), yaml.render(application));
            }
        }
        Optional<String> overview = model.environments().isEmpty()
                ? Optional.empty()
                : Optional.of(new OverviewRenderer().render(model.environments()));
        return new OutputFiles(environments, applications, new HelmChartRenderer().render(model), overview);
    }
}
