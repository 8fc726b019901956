package app.growbin.runtime.telemetry;

import app.growbin.runtime.logging.LogContext;
import app.growbin.runtime.logging.LogFields;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Scope;

/**
 * A span made current on this thread for a block, with its ids in the log context
 * ({@code trace_id}, {@code span_id}), so every log line of the block names the trace:
 * <pre>{@code try (ActiveSpan a = ActiveSpan.of(span)) { ... }}</pre>
 * Closing restores the previous span and log fields; it does not end the span.
 */
public final class ActiveSpan implements AutoCloseable {

    private final Scope scope;
    private final LogContext log;

    private ActiveSpan(Scope scope, LogContext log) {
        this.scope = scope;
        this.log = log;
    }

    public static ActiveSpan of(Span span) {
        SpanContext c = span.getSpanContext();
        LogContext log = c.isValid() ? LogContext.of(LogFields.TRACE_ID, c.getTraceId(), LogFields.SPAN_ID, c.getSpanId())
                : LogContext.of(LogFields.TRACE_ID, null, LogFields.SPAN_ID, null);
        return new ActiveSpan(span.makeCurrent(), log);
    }

    @Override
    public void close() {
        log.close();
        scope.close();
    }
}
