package io.luagate.kernel.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.ErrorStatus;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class StderrLogConfiguratorTest {

    @Test
    void stderrAtInfoWithPf4jSilencedAndNettyAtWarn() {
        LoggerContext context = new LoggerContext();
        StderrLogConfigurator.configure(context, null);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        assertEquals(Level.OFF, context.getLogger("org.pf4j").getLevel());
        assertEquals(Level.WARN, context.getLogger("io.netty").getLevel());
        ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
        assertEquals("System.err", stderr.getTarget());
        assertInstanceOf(StderrLineEncoder.class, stderr.getEncoder());
        context.stop();
    }

    @Test
    void logbacksWarningsAndErrorsAboutItselfReachStderrAndItsInformationDoesNot() {
        LoggerContext context = new LoggerContext();
        StderrLogConfigurator.configure(context, null);
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            context.getStatusManager().add(new InfoStatus("appender started", this));
            context.getStatusManager().add(new WarnStatus("no such level", this));
            context.getStatusManager().add(new ErrorStatus("cannot write", this, new IllegalStateException("disk full")));
        } finally {
            System.setErr(saved);
            context.stop();
        }
        String printed = err.toString();
        assertFalse(printed.contains("appender started"), printed);
        assertTrue(printed.contains("WARN in ") && printed.contains("no such level"), printed);
        assertTrue(printed.contains("ERROR in ") && printed.contains("cannot write"), printed);
        assertTrue(printed.contains("java.lang.IllegalStateException: disk full"), printed);
    }

    @Test
    void levelFromTheEnvironmentAndInfoForAnythingElse() {
        for (String[] c : new String[][] {{"debug", "DEBUG"}, {"WARN", "WARN"}, {"error", "ERROR"}, {"verbose", "INFO"}, {"", "INFO"}}) {
            LoggerContext context = new LoggerContext();
            StderrLogConfigurator.configure(context, c[0]);
            assertEquals(Level.toLevel(c[1]), context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel(), c[0]);
            context.stop();
        }
    }

    @Test
    void stepsAsideForALogbackTestXml() {
        // The tests' class path has one (sdk/leak-check): the configurator leaves the context to it.
        assertNotNull(getClass().getClassLoader().getResource("logback-test.xml"));
        LoggerContext context = new LoggerContext();
        StderrLogConfigurator configurator = new StderrLogConfigurator();
        configurator.setContext(context);
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configurator.configure(context));
        assertNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
        context.stop();
    }
}
