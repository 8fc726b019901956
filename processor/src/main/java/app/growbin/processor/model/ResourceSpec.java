package app.growbin.processor.model;

/** Requests and limits of one container, as validated Kubernetes quantity strings. */
public record ResourceSpec(String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit) {}
