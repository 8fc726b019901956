package app.growbin.runtime.logging;

import app.growbin.contract.EnvVars;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import java.util.Map;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logback for every Growbin process, found by logback through the service loader
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}): one console appender on
 * standard output, as JSON lines ({@code LOG_FORMAT=json}, {@link JsonLinesEncoder}) or as readable
 * text ({@code LOG_FORMAT=text}, the default for local runs), at {@code LOG_LEVEL} (default INFO).
 * java.util.logging (the OpenTelemetry SDK's logger) is routed through the same appender. A
 * {@code logback.xml} or {@code logback-test.xml} on the class path, or {@code -Dlogback.configurationFile},
 * takes over instead.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    /** The text layout: time, level, thread, logger, the task or trace when set, message. */
    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36}"
            + "%replace( task=%X{task_id}){' task=$', ''}%replace( trace=%X{trace_id}){' trace=$', ''} - %msg%n";

    /** Libraries that announce every start and stop at INFO; their warnings stay. */
    static final Map<String, Level> QUIET = Map.of("org.eclipse.jetty", Level.WARN, "com.zaxxer.hikari", Level.WARN,
            "org.flywaydb", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null
                || LogConfigurator.class.getClassLoader().getResource("logback.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, System.getenv(EnvVars.LOG_FORMAT), System.getenv(EnvVars.LOG_LEVEL));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * A logback level name, or Python's (Celery's {@code --loglevel}): {@code WARNING} is WARN, {@code CRITICAL}
     * and {@code FATAL} are ERROR; null or unknown: INFO.
     */
    static Level level(String name) {
        String n = name == null ? "INFO" : name.trim().toUpperCase(Locale.ROOT);
        switch (n) {
            case "WARNING":
                return Level.WARN;
            case "CRITICAL":
            case "FATAL":
                return Level.ERROR;
            default:
                return Level.toLevel(n, Level.INFO);
        }
    }

    /** {@code format}: json or text (null: text); {@code level}: see {@link #level}. */
    static void configure(LoggerContext context, String format, String level) {
        boolean json = "json".equalsIgnoreCase(format == null ? "" : format.trim());
        Encoder<ILoggingEvent> encoder;
        if (json) {
            encoder = new JsonLinesEncoder();
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();

        // java.util.logging → slf4j, with JUL's levels kept in step so that filtered records cost nothing
        LevelChangePropagator levels = new LevelChangePropagator();
        levels.setContext(context);
        levels.setResetJUL(true);
        context.addListener(levels);
        levels.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(console);
        root.setLevel(level(level));
        QUIET.forEach((name, quiet) -> context.getLogger(name).setLevel(quiet));
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
