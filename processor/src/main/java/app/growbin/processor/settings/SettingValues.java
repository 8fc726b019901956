package app.growbin.processor.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Resolved settings: each row's effective value (optional rows without a value are absent). */
public final class SettingValues {

    private final Map<Setting<?>, Object> values;

    private SettingValues(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value; for an optional row without one, an {@link IllegalStateException}. */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseThrow(() -> new IllegalStateException(setting.key() + " has no value"));
    }

    public <T> Optional<T> find(Setting<T> setting) {
        return Optional.ofNullable(setting.javaType().cast(values.get(setting)));
    }

    /** Collects values in order; later puts of the same row replace earlier ones. */
    public static final class Builder {
        private final Map<Setting<?>, Object> values = new LinkedHashMap<>();

        public <T> Builder put(Setting<T> setting, T value) {
            if (value == null) {
                values.remove(setting);
            } else {
                values.put(setting, setting.javaType().cast(value));
            }
            return this;
        }

        public <T> Optional<T> find(Setting<T> setting) {
            return Optional.ofNullable(setting.javaType().cast(values.get(setting)));
        }

        public SettingValues build() {
            return new SettingValues(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }
    }
}
