package app.growbin.runtime;

import java.util.function.Supplier;

/** A REST service as the code declares it ({@code @RestService}): name, base path, port, factory. */
public record RestServiceDefinition(String name, String path, int port, Supplier<RestApi> factory) {}
