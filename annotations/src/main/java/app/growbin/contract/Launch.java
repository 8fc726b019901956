package app.growbin.contract;

/** How a container starts the runtime: {@code java ... app.growbin.runtime.Launcher rest|worker <name>}. */
public final class Launch {

    /** The one main class of every container. */
    public static final String LAUNCHER_CLASS = "app.growbin.runtime.Launcher";
    /** First argument: start a REST service. */
    public static final String REST = "rest";
    /** First argument: start a queue worker. */
    public static final String WORKER = "worker";

    private Launch() {}
}
