package app.growbin.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import app.growbin.runtime.celery.MessageTooLargeException;
import app.growbin.runtime.celery.UnroutableMessageException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The statuses of the runtime's own failures, whichever service's handler they come out of. */
class ErrorStatusesTest {

    private final ErrorStatuses statuses = new ErrorStatuses(Map.of());

    @Test
    void aTaskTooLargeForTheBrokerIs413AndAnUnroutableOne503() {
        assertEquals(413, statuses.statusOf(new MessageTooLargeException("the task's headers", 200_000, 131_072)));
        assertEquals(503, statuses.statusOf(new UnroutableMessageException("no queue q.vision")));
    }

    @Test
    void theCauseDecidesWhenTheFailureIsWrapped() {
        assertEquals(413, statuses.statusOf(new IllegalStateException("publish failed",
                new MessageTooLargeException("the task's body", 300_000_000, 134_217_728))));
        assertEquals(500, statuses.statusOf(new UncheckedIOException(new java.io.IOException("disk"))));
    }

    @Test
    void aServicesOwnMappingComesFirst() {
        ErrorStatuses mapped = new ErrorStatuses(Map.of(MessageTooLargeException.class, 422));
        assertEquals(422, mapped.statusOf(new MessageTooLargeException("the task's body", 2, 1)));
    }
}
