package app.growbin.runtime.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON lines of {@code LOG_FORMAT=json} and the text layout of local runs. */
class JsonLinesEncoderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        return context;
    }

    private static List<ILoggingEvent> log(LoggerContext context, java.util.function.Consumer<Logger> logging) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent e) {
                e.prepareForDeferredProcessing(); // what an asynchronous appender does: the MDC as it is now
                super.append(e);
            }
        };
        appender.setContext(context);
        appender.start();
        Logger logger = context.getLogger("app.growbin.runtime.celery.CeleryWorker");
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logging.accept(logger);
        return new ArrayList<>(appender.list);
    }

    @Test
    void oneFlatObjectPerLineWithTheContextFields() throws Exception {
        LoggerContext context = newContext();
        Logs.service("vision");
        List<ILoggingEvent> events = log(context, logger -> {
            context.getMDCAdapter().put(LogFields.QUEUE, "q.vision");
            context.getMDCAdapter().put(LogFields.TASK_ID, "7d1c");
            context.getMDCAdapter().put(LogFields.SPAN_ID, "00f067aa0ba902b7");
            context.getMDCAdapter().put(LogFields.TRACE_ID, "4bf92f3577b34da6a3ce929d0e0e4736");
            context.getMDCAdapter().put("tenant", "t1");
            logger.info("task {}[{}] succeeded in {} s", "vision.classify", "7d1c", "0.012");
            context.getMDCAdapter().clear();
            logger.error("with \"quotes\"\nand a newline", new IllegalStateException("boom"));
            logger.warn("x".repeat(40_000));
        });
        JsonLinesEncoder encoder = new JsonLinesEncoder();
        encoder.setContext(context);
        encoder.start();
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : events) {
            String line = new String(encoder.encode(e), StandardCharsets.UTF_8);
            assertTrue(line.endsWith("\n") && line.indexOf('\n') == line.length() - 1, "one line: " + line);
            lines.add(line.trim());
        }
        System.out.println("[logs] " + lines.get(0));

        JsonNode task = JSON.readTree(lines.get(0));
        List<String> fields = new ArrayList<>();
        task.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("timestamp", "level", "service", "logger", "thread", "message", "trace_id", "span_id", "task_id",
                "queue", "tenant"), fields);
        assertTrue(task.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), task.toString());
        assertEquals("INFO", task.get("level").asText());
        assertEquals("vision", task.get("service").asText());
        assertEquals("app.growbin.runtime.celery.CeleryWorker", task.get("logger").asText());
        assertEquals("task vision.classify[7d1c] succeeded in 0.012 s", task.get("message").asText());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", task.get("trace_id").asText());
        assertEquals("q.vision", task.get("queue").asText());

        JsonNode error = JSON.readTree(lines.get(1));
        assertEquals("ERROR", error.get("level").asText());
        assertEquals("with \"quotes\"\nand a newline", error.get("message").asText());
        assertTrue(error.get("exception").asText().startsWith("java.lang.IllegalStateException: boom"), error.toString());
        assertFalse(error.has("trace_id"), "context fields only where they apply");

        JsonNode big = JSON.readTree(lines.get(2));
        assertEquals(JsonLinesEncoder.MAX_MESSAGE_CHARS + "…[truncated]".length(), big.get("message").asText().length());
        Logs.service(null);
    }

    @Test
    void textLayoutForLocalRuns() {
        LoggerContext context = newContext();
        List<ILoggingEvent> events = log(context, logger -> {
            context.getMDCAdapter().put(LogFields.TASK_ID, "7d1c");
            context.getMDCAdapter().put(LogFields.TRACE_ID, "4bf9");
            logger.info("in a task");
            context.getMDCAdapter().clear();
            logger.info("outside");
        });
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(LogConfigurator.TEXT_PATTERN);
        text.start();
        String inTask = new String(text.encode(events.get(0)), StandardCharsets.UTF_8);
        String outside = new String(text.encode(events.get(1)), StandardCharsets.UTF_8);
        assertTrue(inTask.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] a\\.g\\.runtime\\.celery\\.CeleryWorker task=7d1c trace=4bf9 - in a task\\R"), inTask);
        assertTrue(outside.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] a\\.g\\.runtime\\.celery\\.CeleryWorker - outside\\R"), outside);
    }
}
