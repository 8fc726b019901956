package app.growbin.runtime.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;

/** LOG_LEVEL takes logback's names and Python's (what a Celery user writes): WARNING used to mean INFO. */
class LogConfiguratorTest {

    @Test
    void pythonAndLogbackLevelNamesBothWork() {
        assertEquals(Level.WARN, LogConfigurator.level("WARNING"));
        assertEquals(Level.WARN, LogConfigurator.level("warning"));
        assertEquals(Level.WARN, LogConfigurator.level("WARN"));
        assertEquals(Level.ERROR, LogConfigurator.level("CRITICAL"));
        assertEquals(Level.ERROR, LogConfigurator.level("fatal"));
        assertEquals(Level.ERROR, LogConfigurator.level("ERROR"));
        assertEquals(Level.DEBUG, LogConfigurator.level(" debug "));
        assertEquals(Level.INFO, LogConfigurator.level(null));
        assertEquals(Level.INFO, LogConfigurator.level("loud"));
    }
}
