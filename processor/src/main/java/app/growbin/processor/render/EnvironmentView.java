package app.growbin.processor.render;

import app.growbin.processor.model.EnvironmentModel;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.Setting;
import java.util.List;
import java.util.SortedMap;

/** One environment's settings as literals: the renderers' trees are its manifests. */
public final class EnvironmentView implements SettingsView {

    private final EnvironmentModel environment;

    public EnvironmentView(EnvironmentModel environment) {
        this.environment = environment;
    }

    @Override
    public <T> Expr<T> get(Setting<T> setting) {
        return Expr.literal(setting.javaType(), environment.settings().find(setting).orElse(null));
    }

    @Override
    public <T> Expr<T> get(Workload workload, Setting<T> setting) {
        return Expr.literal(setting.javaType(), workload.settings().find(setting).orElse(null));
    }

    @Override
    public List<RestServiceModel> restServices() {
        return environment.declaredRestServices();
    }

    @Override
    public List<WorkerModel> workers() {
        return environment.declaredWorkers();
    }

    @Override
    public Expr<String> instance() {
        return Expr.text(environment.appName() + "-" + environment.name());
    }

    @Override
    public Expr<SortedMap<String, String>> configData() {
        return Expr.literal(Ops.STRING_MAP, environment.config());
    }

    @Override
    public String applicationName() {
        return environment.appName();
    }

    @Override
    public String valuesFiles() {
        return "values.yaml and values-" + environment.name() + ".yaml";
    }
}
