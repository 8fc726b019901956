package app.growbin.runtime.celery;

import app.growbin.runtime.telemetry.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/**
 * The spans of Celery messages, named and attributed as Python's opentelemetry-instrumentation-celery
 * names them, so that Java and Python hops of one workflow look alike in a trace:
 * <ul>
 *   <li>{@code apply_async/<task>} (PRODUCER) around every publish, child of the current span (the
 *       HTTP request, or the task run that sends the next chain step, a callback or its retry); its
 *       context goes into the message's headers ({@link CeleryMessage#TRACE_HEADERS});</li>
 *   <li>{@code run/<task>} (CONSUMER) around every run of a task, child of the context the message
 *       carries. Failures set the status to ERROR with the exception as an event; a retry adds a
 *       {@code retry} event and {@code celery.retry.reason}, a final failure a {@code dead_lettered} event.</li>
 * </ul>
 */
final class TaskTracing {

    static final AttributeKey<String> ACTION = AttributeKey.stringKey("celery.action");
    static final AttributeKey<String> TASK_NAME = AttributeKey.stringKey("celery.task_name");
    static final AttributeKey<Long> RETRIES = AttributeKey.longKey("celery.retries");
    static final AttributeKey<String> RETRY_REASON = AttributeKey.stringKey("celery.retry.reason");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("celery.retry.attempt");
    static final AttributeKey<Long> DELAY_MS = AttributeKey.longKey("celery.retry.delay_ms");

    private final Tracing tracing;

    TaskTracing(Tracing tracing) {
        this.tracing = tracing;
    }

    Tracing tracing() {
        return tracing;
    }

    /** Starts the publish span of {@code message} under the current context. */
    Span startPublish(CeleryMessage message, String queue) {
        return tracing.tracer().spanBuilder("apply_async/" + message.task())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(ACTION, "apply_async")
                .setAttribute(TASK_NAME, message.task())
                .setAttribute(MESSAGE_ID, message.id())
                .setAttribute(SYSTEM, "rabbitmq")
                .setAttribute(DESTINATION, queue)
                .setAttribute(OPERATION, "send")
                .startSpan();
    }

    /** {@code message} carrying the context of {@code publish} (and the baggage of the current context). */
    CeleryMessage carrying(CeleryMessage message, Span publish) {
        return message.toBuilder().traceHeaders(tracing.inject(Context.current().with(publish))).build();
    }

    /** Starts the run span of {@code message}, child of the context its headers carry (a root span without). */
    Span startRun(CeleryMessage message, String queue) {
        Context parent = tracing.extract(message.traceHeaders(), message.traceHeaders()::get);
        var builder = tracing.tracer().spanBuilder("run/" + message.task())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(ACTION, "run")
                .setAttribute(TASK_NAME, message.task())
                .setAttribute(MESSAGE_ID, message.id())
                .setAttribute(SYSTEM, "rabbitmq")
                .setAttribute(DESTINATION, queue)
                .setAttribute(OPERATION, "process");
        if (message.retries() > 0) {
            builder.setAttribute(RETRIES, (long) message.retries());
        }
        return builder.startSpan();
    }

    /** The trace id the message's headers carry, or null. */
    String traceIdOf(CeleryMessage message) {
        if (message.traceHeaders().isEmpty()) {
            return null;
        }
        SpanContext c = Span.fromContext(tracing.extract(message.traceHeaders(), message.traceHeaders()::get)).getSpanContext();
        return c.isValid() ? c.getTraceId() : null;
    }

    /** The task failed: ERROR with the exception recorded. */
    static void failed(Span span, Throwable error) {
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, error.toString());
    }

    /** It will run again after {@code delayMs}. */
    static void retried(Span span, Throwable error, int attempt, long delayMs) {
        span.setAttribute(RETRY_REASON, String.valueOf(error));
        span.addEvent("retry", Attributes.of(ATTEMPT, (long) attempt, DELAY_MS, delayMs));
    }

    /** It went to the dead-letter queue. */
    static void deadLettered(Span span, String deadLetterQueue) {
        span.addEvent("dead_lettered", Attributes.of(DESTINATION, deadLetterQueue));
    }
}
