package app.growbin.processor.settings;

/** The type a values key holds. */
public enum ValueType {
    STRING("a string"),
    INTEGER("a whole number"),
    NUMBER("a number"),
    BOOLEAN("true or false"),
    QUANTITY("a Kubernetes quantity such as 500m, 1, 256Mi"),
    DURATION("a duration such as 30s, 5m, 1h"),
    STRING_MAP("a mapping of string keys to string values"),
    SECTION("a mapping"),
    SERVICES("a mapping of service names");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
