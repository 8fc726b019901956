package app.growbin.runtime.celery;

/** Celery's task states, as stored in the result backend's {@code status}. */
public enum TaskState {
    PENDING,
    RECEIVED,
    STARTED,
    RETRY,
    FAILURE,
    SUCCESS,
    REVOKED;

    /** Whether the state is final (Celery's READY_STATES). */
    public boolean ready() {
        return this == SUCCESS || this == FAILURE || this == REVOKED;
    }

    public static TaskState parse(String s) {
        try {
            return valueOf(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            return PENDING;
        }
    }
}
