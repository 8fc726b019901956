package app.growbin.processor.render.helm;

import app.growbin.processor.model.Catalog;
import app.growbin.processor.model.RestServiceModel;
import app.growbin.processor.model.WorkerModel;
import app.growbin.processor.model.Workload;
import app.growbin.processor.render.SettingsView;
import app.growbin.processor.render.tree.Expr;
import app.growbin.processor.render.tree.Ops;
import app.growbin.processor.settings.ScalarText;
import app.growbin.processor.settings.Owner;
import app.growbin.processor.settings.ScalarText;
import app.growbin.processor.settings.Setting;
import app.growbin.processor.settings.Settings;
import app.growbin.processor.settings.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * The settings as the Helm chart sees them: references into {@code .Values} at each row's key, so
 * that the renderers' trees become the chart's templates. Helm reads YAML numbers as float64: whole
 * numbers are read with {@code int}; text that may be written as a number (an image tag, a quantity)
 * with {@code toString}; an optional text with {@code default ""}.
 */
final class ChartView implements SettingsView {


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
        return reference(setting, List.of(), List.of(setting.key().split("\\.")));
    }

    @Override
    public <T> Expr<T> get(Workload workload, Setting<T> setting) {
        if (setting.owner() == Owner.CODE || !setting.inChart()) {
            throw new IllegalArgumentException(setting.key() + " is not in the chart's values: the templates carry it");
        }
        if (setting == Settings.QUEUE_LENGTH && !(workload instanceof WorkerModel && kedaWorkers.contains(workload.name()))) {
            return Expr.literal(setting.javaType(), setting.javaType().cast(0));
        }
        return reference(setting, List.of("api", workload.kind().valuesKey(), workload.name()), List.of(setting.key().split("\\.")));
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

    /**
     * The shared ConfigMap's data as {@code EnvironmentModel.config()} computes it: a key per application
     * setting that names a variable and has a value, and {@code OPENAI_MODEL_<KEY>} per model.
     */
    @Override
    public Expr<SortedMap<String, String>> configData() {
        StringBuilder data = new StringBuilder("(merge (dict)");
        for (Setting<?> setting : Settings.application()) {
            setting.envVar().ifPresent(name -> {
                String value = template(setting, List.of(), List.of(setting.key().split("\\.")));
                data.append(" (ternary (dict ").append(ScalarText.quoted(name)).append(" (toString ").append(value).append(')');
                setting.companionVariables().forEach((companion, fixed) ->
                        data.append(' ').append(ScalarText.quoted(companion)).append(' ').append(ScalarText.quoted(fixed)));
                data.append(") (dict) (not (empty ").append(value).append(")))");
            });
        }
        data.append(" (fromYaml (include \"growbin.modelVariables\" $)))");
        return new Expr.Reference<>(Ops.STRING_MAP, data.toString());
    }

    @Override
    public String applicationName() {
        return applicationName;
    }

    @Override
    public String valuesFiles() {
        return "values.yaml and the environment's values file";
    }

    private static <T> Expr<T> reference(Setting<T> setting, List<String> owner, List<String> key) {
        return new Expr.Reference<>(setting.javaType(), template(setting, owner, key));
    }

    /**
     * The operand that reads {@code setting} at {@code key} below {@code owner} (a workload's section,
     * or the root) of the values, as its type. A setting the values may leave out is read with
     * {@code dig} from the first section that is always there, so a missing key, or a missing section
     * above it, gives its zero value.
     */
    private static String template(Setting<?> setting, List<String> owner, List<String> key) {
        List<String> path = new ArrayList<>(owner);
        path.addAll(key);
        String value = setting.mayBeAbsent()
                ? dig(owner.isEmpty() ? key.subList(1, key.size()) : key, setting.type() == ValueType.INTEGER ? "0" : "\"\"",
                        owner.isEmpty() ? "(default (dict) " + valuesPath(key.subList(0, 1)) + ")" : valuesPath(owner))
                : valuesPath(path);
        return switch (setting.type()) {
            case INTEGER -> "(int " + value + ")";
            case NUMBER -> "(float64 " + value + ")";
            case QUANTITY -> "(toString " + value + ")";
            case STRING -> setting.chartAlsoNumber() ? "(toString " + value + ")" : value;
            case DURATION, BOOLEAN, STRING_MAP -> value;
            case SECTION, SERVICES -> throw new IllegalArgumentException(setting.key() + " is a section");
        };
    }

    /** {@code (dig "database" "poolSize" 0 <map>)}: the value at {@code path} in the map, or {@code zero} where anything on the way is missing. */
    private static String dig(List<String> path, String zero, String map) {
        StringBuilder dig = new StringBuilder("(dig");
        path.forEach(part -> dig.append(' ').append(ScalarText.quoted(part)));
        return dig.append(' ').append(zero).append(' ').append(map).append(')').toString();
    }

    /** {@code $.Values.a.b}, or {@code (index $.Values.api.async "image-api" "replicas")} from the first part that is no identifier. */
    static String valuesPath(List<String> path) {
        int dotted = 0;
        while (dotted < path.size() && isIdentifier(path.get(dotted))) {
            dotted++;
        }
        String prefix = "$.Values" + (dotted == 0 ? "" : "." + String.join(".", path.subList(0, dotted)));
        if (dotted == path.size()) {
            return prefix;
        }
        StringBuilder index = new StringBuilder("(index ").append(prefix);
        for (String part : path.subList(dotted, path.size())) {
            index.append(' ').append(ScalarText.quoted(part));
        }
        return index.append(')').toString();
    }

    /** {@code [A-Za-z_][A-Za-z0-9_]*}: a key Go templates can follow with a dot (a loop, not a regex: this runs for every setting of every file). */
    private static boolean isIdentifier(String part) {
        if (part.isEmpty()) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean letter = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
            if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }
}
