package app.growbin.processor.site;

/** A value and where it was written. */
public record Located<T>(T value, Site site) {}
