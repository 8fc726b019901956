package app.growbin.processor.model;

/** The container image every workload of the application runs. */
public record ImageSpec(String registry, String repository, String tag, String pullPolicy) {

    /** {@code registry/repository:tag}, the registry left out when empty. */
    public String reference() {
        return (registry.isEmpty() ? "" : registry + "/") + repository + ":" + tag;
    }
}
