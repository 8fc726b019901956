package app.growbin.runtime;

/**
 * A REST service. The class annotated with {@code @RestService} implements this; the generated
 * catalog creates it with its no-argument constructor and the launcher calls {@link #routes} once
 * before the server starts. Routes are relative to the service's {@code @RestService(path)}.
 */
public interface RestApi {

    void routes(Routes routes, ServiceContext context);
}
