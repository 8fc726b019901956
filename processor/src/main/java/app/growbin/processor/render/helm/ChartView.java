package app.growbin.processor.render.helm;

import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.SettingsView;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.render.tree.Text;
import app.growbin.processor.settings.Owner;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * The settings as the Helm chart sees them: references into {@code .Values} at each row's key, so
 * that the renderers' trees become the chart's templates. Helm reads YAML numbers as float64: whole
 * numbers are read with {@code int}; text that may be written as a number (an image tag, a quantity)
 * with {@code toString}; an optional text with {@code default ""}.
 */
final class ChartView implements SettingsView {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Catalog catalog;
    private final Set<String> kedaWorkers;
    private final String applicationName;

    /** @param kedaWorkers workers that scale on their queue length somewhere: only they have {@code autoscaling.queueLength} */
    ChartView(Catalog catalog, Set<String> kedaWorkers, String applicationName) {
        this.catalog = catalog;
        this.kedaWorkers = Set.copyOf(kedaWorkers);
        this.applicationName = applicationName;
    }

    @Override
    public <T> Expr<T> get(Setting<T> setting) {
        return reference(setting, List.of(setting.key().split("\\.")));
    }

    @Override
    public <T> Expr<T> get(Workload workload, Setting<T> setting) {
        if (setting.owner() == Owner.CODE || !setting.inChart()) {
            throw new IllegalArgumentException(setting.key() + " is not in the chart's values: the templates carry it");
        }
        if (setting == Settings.QUEUE_LENGTH && !(workload instanceof WorkerModel && kedaWorkers.contains(workload.name()))) {
            return Expr.literal(setting.javaType(), setting.javaType().cast(0));
        }
        List<String> path = new ArrayList<>(List.of("api", workload.kind().valuesKey(), workload.name()));
        path.addAll(List.of(setting.key().split("\\.")));
        return reference(setting, path);
    }

    @Override
    public List<RestServiceModel> restServices() {
        return catalog.restServices();
    }

    @Override
    public List<WorkerModel> workers() {
        return catalog.workers();
    }

    @Override
    public Expr<String> instance() {
        return new Expr.Reference<>(String.class, "(include \"growbin.instance\" $)");
    }

    @Override
    public Expr<SortedMap<String, String>> configData() {
        return new Expr.Reference<>(Ops.STRING_MAP, "(fromYaml (include \"growbin.config\" $))");
    }

    @Override
    public String applicationName() {
        return applicationName;
    }

    @Override
    public String valuesFiles() {
        return "values.yaml and the environment's values file";
    }

    private static <T> Expr<T> reference(Setting<T> setting, List<String> path) {
        String value = valuesPath(path);
        String template = switch (setting.type()) {
            case INTEGER -> "(int " + value + ")";
            case NUMBER -> "(float64 " + value + ")";
            case QUANTITY -> "(toString " + value + ")";
            case STRING -> setting.isOptional() ? "(default \"\" " + value + ")" : setting.chartAlsoNumber() ? "(toString " + value + ")" : value;
            case DURATION, BOOLEAN, STRING_MAP -> value;
            case SECTION, SERVICES -> throw new IllegalArgumentException(setting.key() + " is a section");
        };
        return new Expr.Reference<>(setting.javaType(), template);
    }

    /** {@code $.Values.a.b}, or {@code (index $.Values.api.async "image-api" "replicas")} from the first part that is no identifier. */
    static String valuesPath(List<String> path) {
        int dotted = 0;
        while (dotted < path.size() && IDENTIFIER.matcher(path.get(dotted)).matches()) {
            dotted++;
        }
        String prefix = "$.Values" + (dotted == 0 ? "" : "." + String.join(".", path.subList(0, dotted)));
        if (dotted == path.size()) {
            return prefix;
        }
        StringBuilder index = new StringBuilder("(index ").append(prefix);
        path.subList(dotted, path.size()).forEach(part -> index.append(' ').append(Text.quoted(part)));
        return index.append(')').toString();
    }
}
