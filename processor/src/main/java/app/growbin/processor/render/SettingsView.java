package app.growbin.processor.render;

import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.settings.Setting;
import java.util.List;
import java.util.SortedMap;

/**
 * What renderers read settings through. {@link EnvironmentView} gives one environment's values as
 * literals, so the renderers' trees are that environment's manifests; the Helm chart's view gives
 * references into the chart's values, so the same trees are the chart's templates.
 */
public interface SettingsView {

    /** An application setting. */
    <T> Expr<T> get(Setting<T> setting);

    /** A setting of one workload. */
    <T> Expr<T> get(Workload workload, Setting<T> setting);

    /** The declared REST services, by name; each renders only where its {@code enabled} holds. */
    List<RestServiceModel> restServices();

    /** The declared workers, by name. */
    List<WorkerModel> workers();

    /** {@code app.kubernetes.io/instance} of every object. */
    Expr<String> instance();

    /** The shared ConfigMap's data. */
    Expr<SortedMap<String, String>> configData();

    /** The application's name, for header comments. */
    String applicationName();

    /** The values files the environment's settings come from, for header comments. */
    String valuesFiles();
}
