package app.growbin.runtime;

import app.growbin.runtime.celery.TaskClient;

/** What a REST service gets from the runtime: its name, the environment, a Celery task client. */
public interface ServiceContext {

    String serviceName();

    Env env();

    /** Sends tasks and reads results; connected to the broker the readiness probe watches. */
    TaskClient tasks();
}
