package app.growbin.processor.settings;

import java.util.function.Function;

/** Where a setting's value comes from when no values file sets it. */
public sealed interface Default<T> {

    /** Optional: the setting has no value unless a values file gives one. */
    record Absent<T>() implements Default<T> {}

    /** Required: a values file must set it (the validator says so when none does). */
    record Required<T>() implements Default<T> {}

    /** A fixed value. */
    record Constant<T>(T value) implements Default<T> {}

    /**
     * Computed from settings resolved before it (the table's order) and the environment's name.
     *
     * @param text the rule in words, for the settings reference
     */
    record Derived<T>(String text, Function<Resolved, T> rule) implements Default<T> {}

    /**
     * A workload setting whose default the code gives: an annotation member, with that member's own
     * default when the annotation is absent.
     *
     * @param member such as {@code @RestService.replicas / @AsyncWorker.replicas}
     */
    record FromAnnotation<T>(String member) implements Default<T> {}

    /**
     * The value when nothing sets the setting: null for {@link Absent}; {@code resolved} gives the
     * settings a {@link Derived} rule reads. {@link Required} and {@link FromAnnotation} have none here.
     */
    default T valueWhenUnset(String key, Resolved resolved) {
        if (this instanceof Absent) {
            return null;
        }
        if (this instanceof Constant<T> constant) {
            return constant.value();
        }
        if (this instanceof Derived<T> derived) {
            return derived.rule().apply(resolved);
        }
        throw new IllegalStateException(key + (this instanceof Required ? " is required; the validator reports it when missing"
                : " takes its default from the code"));
    }

    /** The application settings resolved so far, for {@link Derived} defaults. */
    interface Resolved {
        <T> T get(Setting<T> setting);

        /** The environment's name ({@code values-<name>.yaml}). */
        String environment();
    }
}
