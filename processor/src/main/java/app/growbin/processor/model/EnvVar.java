package app.growbin.processor.model;

/** A literal environment variable. */
public record EnvVar(String name, String value) {}
