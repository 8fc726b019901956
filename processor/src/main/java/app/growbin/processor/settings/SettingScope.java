package app.growbin.processor.settings;

/** Where a setting lives in the values files. */
public enum SettingScope {
    /** Once per application, at its own key ({@code monitoring.interval}). */
    APPLICATION,
    /** Once per REST service and per worker, under {@code api.rest.<name>.} and {@code api.async.<name>.}. */
    EVERY_WORKLOAD,
    /** Once per REST service, under {@code api.rest.<name>.}. */
    REST,
    /** Once per worker, under {@code api.async.<name>.}. */
    WORKER;

    /** Whether a workload of {@code kind} has settings of this scope. */
    public boolean appliesTo(WorkloadKind kind) {
        return switch (this) {
            case APPLICATION -> false;
            case EVERY_WORKLOAD -> true;
            case REST -> kind == WorkloadKind.REST;
            case WORKER -> kind == WorkloadKind.ASYNC;
        };
    }
}
