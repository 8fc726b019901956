package app.growbin.runtime;

/**
 * Runs the tasks of one worker: the generated catalog implements it with a {@code switch} on the
 * task name that calls the {@code @Task} method directly.
 */
@FunctionalInterface
public interface TaskDispatcher {

    /** The task's result (converted to JSON for the backend), or null for {@code void}. */
    Object dispatch(String task, TaskArguments arguments) throws Exception;

    /** Thrown for a task name the worker does not have (Celery's NotRegistered). */
    final class NotRegistered extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String task;

        public NotRegistered(String task) {
            super("task " + task + " is not registered in this worker");
            this.task = task;
        }

        /** The unknown task name (what Celery's {@code NotRegistered} carries). */
        public String task() {
            return task;
        }
    }
}
