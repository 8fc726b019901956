package app.growbin.runtime.celery;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A task ended in FAILURE (or was revoked): the remote exception's type, module and message, as
 * Celery stores them, so a Java caller sees a Python {@code ValueError} as {@code excType() ==
 * "ValueError"} and a Python caller sees a Java exception under its simple class name.
 */
public class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String taskId;
    private final String excType;
    private final String excModule;
    private final String remoteTraceback;

    public TaskFailedException(String taskId, String excType, String excModule, String message, String remoteTraceback) {
        super(excType + ": " + message + " (task " + taskId + ")");
        this.taskId = taskId;
        this.excType = excType;
        this.excModule = excModule;
        this.remoteTraceback = remoteTraceback;
    }

    static TaskFailedException from(TaskResult r) {
        JsonNode res = r.result();
        String type = res == null ? "Exception" : res.path("exc_type").asText("Exception");
        String module = res == null ? null : res.path("exc_module").asText(null);
        String message;
        JsonNode m = res == null ? null : res.get("exc_message");
        if (m == null || m.isNull()) {
            message = "";
        } else if (m.isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode part : m) {
                if (b.length() > 0) {
                    b.append(", ");
                }
                b.append(part.isTextual() ? part.textValue() : part.toString());
            }
            message = b.toString();
        } else {
            message = m.isTextual() ? m.textValue() : m.toString();
        }
        return new TaskFailedException(r.taskId(), type, module, message, r.traceback());
    }

    public String taskId() {
        return taskId;
    }

    public String excType() {
        return excType;
    }

    public String excModule() {
        return excModule;
    }

    public String remoteTraceback() {
        return remoteTraceback;
    }
}
