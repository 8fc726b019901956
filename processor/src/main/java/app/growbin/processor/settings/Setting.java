package app.growbin.processor.settings;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One row of the settings table ({@link Settings}): a key of the values files, its type, its default,
 * who owns it, whether the exported Helm chart carries it, and a one-line description. Everything
 * that reads, checks, defaults, exports or documents a setting does so from this row.
 *
 * @param key the dotted key: the whole key for {@link SettingScope#APPLICATION} settings
 *            ({@code monitoring.interval}), the key below {@code api.<kind>.<name>.} for workload
 *            settings ({@code resources.limits.cpu})
 * @param javaType the type the model holds: String, Integer, Double, Boolean or a SortedMap of strings
 * @param inValuesFiles false for keys only the chart has ({@code global.instance})
 * @param inChart whether the Helm chart's values carry it (at the same key)
 * @param baseOnly only {@code values.yaml} may set it, never an environment's file
 * @param minimum the smallest allowed number, for the chart's schema and the range checks
 * @param maximum the largest allowed number
 * @param allowed the allowed words of a string setting, or empty
 * @param chartAlsoNumber the chart's schema accepts a YAML number too (an image tag such as 1.2), and for a
 *                        map, numbers and booleans as its values (environment variables)
 * @param envVar the environment variable the setting becomes when it has a value (not empty, above 0):
 *               a key of the shared ConfigMap for an application setting, a variable of the container
 *               for a workload setting
 * @param companionVariables variables written with a fixed value wherever {@code envVar} is written: a
 *                           setting that the runtime reads as two variables, such as the sampling ratio
 *                           ({@code OTEL_TRACES_SAMPLER_ARG}) and the sampler that reads it
 *                           ({@code OTEL_TRACES_SAMPLER=parentbased_traceidratio})
 */
public record Setting<T>(
        String key,
        SettingScope scope,
        ValueType type,
        Class<T> javaType,
        Owner owner,
        Default<T> defaultValue,
        boolean inValuesFiles,
        boolean inChart,
        boolean baseOnly,
        Optional<Number> minimum,
        Optional<Number> maximum,
        List<String> allowed,
        boolean chartAlsoNumber,
        Optional<String> envVar,
        SortedMap<String, String> companionVariables,
        String description) {

    public Setting {
        allowed = List.copyOf(allowed);
        companionVariables = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(companionVariables));
    }

    /**
     * A row is the setting of its key and scope (no two rows share both). Written out because settings are
     * map keys looked up for every workload: the record's own hashCode would hash all sixteen components,
     * the companion map and the default among them, on every lookup.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Setting<?> that && key.equals(that.key) && scope == that.scope;
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + scope.ordinal();
    }

    /** Every variable the setting writes when it has a value: {@code envVar} and its companions. */
    public List<String> variables() {
        List<String> variables = new java.util.ArrayList<>();
        envVar.ifPresent(variables::add);
        variables.addAll(companionVariables.keySet());
        return variables;
    }

    /** {@code api.rest.waste.replicas} for a workload setting, the key itself for an application setting. */
    public String keyFor(WorkloadKind kind, String workload) {
        return scope == SettingScope.APPLICATION ? key : "api." + kind.valuesKey() + "." + workload + "." + key;
    }

    /** The last part of the key: {@code cpu} of {@code resources.limits.cpu}. */
    public String leafName() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** The annotation member that gives the default, or owns the key when the code owns it, such as {@code @RestService.path}. */
    public Optional<String> annotationMember() {
        return defaultValue instanceof Default.FromAnnotation<T> annotation ? Optional.of(annotation.member()) : Optional.empty();
    }

    /**
     * Whether the values may have no value for it: an optional row, or one that becomes a container
     * variable from an annotation member, which has none while the member keeps the runtime's default.
     */
    public boolean mayBeAbsent() {
        return isOptional() || defaultValue instanceof Default.FromAnnotation && envVar.isPresent();
    }

    public boolean isOptional() {
        return defaultValue instanceof Default.Absent;
    }

    @Override
    public String toString() {
        return key;
    }

    /** A builder, so that the table reads as one line of facts per setting. */
    static <T> Builder<T> builder(String key, SettingScope scope, ValueType type, Class<T> javaType) {
        return new Builder<>(key, scope, type, javaType);
    }

    @SuppressWarnings("unchecked")
    static Class<SortedMap<String, String>> stringMapType() {
        return (Class<SortedMap<String, String>>) (Class<?>) SortedMap.class;
    }

    static final class Builder<T> {
        private final String key;
        private final SettingScope scope;
        private final ValueType type;
        private final Class<T> javaType;
        private Owner owner = Owner.OPERATIONS;
        private Default<T> defaultValue = new Default.Absent<>();
        private boolean inValuesFiles = true;
        private boolean inChart = true;
        private boolean baseOnly;
        private Number minimum;
        private Number maximum;
        private List<String> allowed = List.of();
        private boolean chartAlsoNumber;
        private String envVar;
        private final SortedMap<String, String> companionVariables = new java.util.TreeMap<>();

        private Builder(String key, SettingScope scope, ValueType type, Class<T> javaType) {
            this.key = key;
            this.scope = scope;
            this.type = type;
            this.javaType = javaType;
        }

        Builder<T> byDefault(T value) {
            defaultValue = new Default.Constant<>(value);
            return this;
        }

        Builder<T> required() {
            defaultValue = new Default.Required<>();
            return this;
        }

        Builder<T> derived(String text, java.util.function.Function<Default.Resolved, T> rule) {
            defaultValue = new Default.Derived<>(text, rule);
            return this;
        }

        Builder<T> fromAnnotation(String member) {
            defaultValue = new Default.FromAnnotation<>(member);
            return this;
        }

        Builder<T> ownedByCode(String member) {
            owner = Owner.CODE;
            inChart = false;
            return fromAnnotation(member);
        }

        Builder<T> baseOnly() {
            baseOnly = true;
            return this;
        }

        Builder<T> notInChart() {
            inChart = false;
            return this;
        }

        Builder<T> chartOnly() {
            inValuesFiles = false;
            return this;
        }

        Builder<T> minimum(Number value) {
            minimum = value;
            return this;
        }

        Builder<T> maximum(Number value) {
            maximum = value;
            return this;
        }

        Builder<T> oneOf(String... words) {
            allowed = List.of(words);
            return this;
        }

        Builder<T> envVar(String name) {
            envVar = name;
            return this;
        }

        /** Also writes {@code name=value} wherever the setting's own variable is written. */
        Builder<T> alsoSets(String name, String value) {
            companionVariables.put(name, value);
            return this;
        }

        Builder<T> chartAlsoNumber() {
            chartAlsoNumber = true;
            return this;
        }

        Setting<T> describe(String description) {
            return new Setting<>(key, scope, type, javaType, owner, defaultValue, inValuesFiles, inChart, baseOnly,
                    Optional.ofNullable(minimum), Optional.ofNullable(maximum), allowed, chartAlsoNumber, Optional.ofNullable(envVar),
                    companionVariables, description);
        }
    }
}
