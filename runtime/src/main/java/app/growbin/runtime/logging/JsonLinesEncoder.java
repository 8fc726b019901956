package app.growbin.runtime.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One JSON object per log event and line ({@code LOG_FORMAT=json}), flat, with the field names of
 * {@link LogFields}:
 * <pre>{"timestamp":"2026-01-01T12:00:00.123Z","level":"INFO","service":"waste","logger":"...","thread":"...",
 * "message":"...","trace_id":"...","span_id":"...","task_id":"...","queue":"...","exception":"..."}</pre>
 * The timestamp is UTC with milliseconds; {@code service} is the launcher's ({@link Logs#service()});
 * the context fields and any other MDC entries are written only when set; {@code exception} is the
 * stack trace as text. Messages above 32 KiB and stack traces above 64 KiB are cut (marked with
 * {@code …[truncated]}), so one event cannot flood a log pipeline.
 *
 * <p>Written here rather than logback's own {@code JsonEncoder} because that one nests the MDC under
 * {@code "mdc"}, names the logger {@code loggerName} and writes epoch milliseconds: log pipelines
 * (Loki, Elasticsearch, Cloud Logging) would need a rename stage to find {@code trace_id} and {@code level}.
 */
public final class JsonLinesEncoder extends EncoderBase<ILoggingEvent> {

    static final int MAX_MESSAGE_CHARS = 32 * 1024;
    static final int MAX_EXCEPTION_CHARS = 64 * 1024;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NONE = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(LogFields.TIMESTAMP, TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
            json.writeStringField(LogFields.LEVEL, event.getLevel().toString());
            String service = Logs.service();
            if (service != null) {
                json.writeStringField(LogFields.SERVICE, service);
            }
            json.writeStringField(LogFields.LOGGER, event.getLoggerName());
            json.writeStringField(LogFields.THREAD, event.getThreadName());
            json.writeStringField(LogFields.MESSAGE, cut(event.getFormattedMessage(), MAX_MESSAGE_CHARS));
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null && !mdc.isEmpty()) {
                for (String key : LogFields.CONTEXT) {
                    String v = mdc.get(key);
                    if (v != null) {
                        json.writeStringField(key, v);
                    }
                }
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    if (!LogFields.CONTEXT.contains(e.getKey()) && e.getValue() != null && !isLineField(e.getKey())) {
                        json.writeStringField(e.getKey(), cut(e.getValue(), MAX_MESSAGE_CHARS));
                    }
                }
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                json.writeStringField(LogFields.EXCEPTION, cut(ThrowableProxyUtil.asString(thrown), MAX_EXCEPTION_CHARS));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** An MDC key that would shadow one of the line's own fields is left out. */
    private static boolean isLineField(String key) {
        return switch (key) {
            case LogFields.TIMESTAMP, LogFields.LEVEL, LogFields.SERVICE, LogFields.LOGGER, LogFields.THREAD,
                    LogFields.MESSAGE, LogFields.EXCEPTION -> true;
            default -> false;
        };
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…[truncated]";
    }
}
