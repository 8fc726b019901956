package app.growbin.processor.model;

/** An environment variable read from a key of a Kubernetes Secret. */
public record SecretEnvVar(String name, String secret, String key) {}
