package app.growbin.processor.write;

import com.palantir.javapoet.ClassName;

/** The growbin-runtime types the generated sources use (the processor does not depend on the runtime). */
final class RuntimeNames {

    static final String PACKAGE = "app.growbin.runtime";
    static final ClassName APPLICATION_CATALOG = ClassName.get(PACKAGE, "ApplicationCatalog");
    static final ClassName REST_SERVICE_DEFINITION = ClassName.get(PACKAGE, "RestServiceDefinition");
    static final ClassName WORKER_DEFINITION = ClassName.get(PACKAGE, "WorkerDefinition");
    static final ClassName TASK_DISPATCHER = ClassName.get(PACKAGE, "TaskDispatcher");
    static final ClassName NOT_REGISTERED = TASK_DISPATCHER.nestedClass("NotRegistered");
    static final ClassName TASK_ARGUMENTS = ClassName.get(PACKAGE, "TaskArguments");
    static final ClassName TYPE_REF = ClassName.get(PACKAGE, "TypeRef");
    static final ClassName TASK_CLIENT = ClassName.get(PACKAGE + ".celery", "TaskClient");
    static final ClassName TASK_HANDLE = ClassName.get(PACKAGE + ".celery", "TaskHandle");
    static final ClassName SIGNATURE = ClassName.get(PACKAGE + ".celery", "Signature");
    static final ClassName POOL = ClassName.get("app.growbin.annotations", "Pool");
    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    private RuntimeNames() {}
}
