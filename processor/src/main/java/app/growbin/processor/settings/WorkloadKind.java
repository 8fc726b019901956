package app.growbin.processor.settings;

/** The two faces of one API: synchronous REST services and asynchronous queue workers. */
public enum WorkloadKind {
    REST("rest", "api-rest"),
    ASYNC("async", "api-async");

    private final String valuesKey;
    private final String component;

    WorkloadKind(String valuesKey, String component) {
        this.valuesKey = valuesKey;
        this.component = component;
    }

    /** The section under {@code api.} in the values files: {@code rest} or {@code async}. */
    public String valuesKey() {
        return valuesKey;
    }

    /** The {@code app.kubernetes.io/component} label and the middle of object names. */
    public String component() {
        return component;
    }
}
