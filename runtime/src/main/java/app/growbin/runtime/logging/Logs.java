package app.growbin.runtime.logging;

import app.growbin.contract.EnvVars;

/** The process-wide value of the {@code service} field of every log line. */
public final class Logs {

    private static volatile String service = System.getenv(EnvVars.SERVICE_NAME);

    private Logs() {}

    /** Set by the launcher once it knows the service's name ({@code SERVICE_NAME}, else the declared one). */
    public static void service(String name) {
        service = name;
    }

    /** The service's name, or null before the launcher set it and without {@code SERVICE_NAME}. */
    public static String service() {
        return service;
    }
}
