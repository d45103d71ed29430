package io.luagate.kernel.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;

/**
 * The diagnostics log's set-up (to stderr, level from {@code LUAGATE_LOG_LEVEL}), made in code
 * rather than in a logback.xml: reading XML loads logback's Joran configurator and the JDK's XML
 * parser, about 470 classes and 4 MB of RSS for a process that otherwise needs none of them
 * (bench/README.md, "The JVM"); for the same reason the line is made by {@link StderrLineEncoder},
 * not a logback pattern. Found by logback through META-INF/services. A logback file named
 * by {@code -Dlogback.configurationFile}, or a logback-test.xml on the class path (tests), still
 * wins: then this configurator steps aside.
 */
public final class StderrLogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || StderrLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configure(context, System.getenv("LUAGATE_LOG_LEVEL"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context}; {@code level} unset or not a level name means INFO. */
    static void configure(LoggerContext context, String level) {
        StderrLineEncoder encoder = new StderrLineEncoder();
        encoder.setContext(context);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        // PF4J's own reports of a plugin that fails come with stack traces: luagate names every such
        // plugin in one line itself (kernel.plugin.Plugins), with the trace at DEBUG.
        context.getLogger("org.pf4j").setLevel(Level.OFF);
        context.getLogger("io.netty").setLevel(Level.WARN);
        // With a listener of its own, logback does not load its status printer (and java.time's
        // formatters, some 60 classes) to look for problems in its own set-up after this.
        LogbackProblems problems = new LogbackProblems();
        problems.setContext(context);
        for (Status earlier : context.getStatusManager().getCopyOfStatusList()) {
            problems.addStatusEvent(earlier);
        }
        context.getStatusManager().add(problems);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(stderr);
    }
}
