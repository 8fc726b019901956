package app.growbin.processor.model;

/** A key of a Kubernetes Secret that the application expects to exist. */
public record SecretRef(String name, String key) {}
