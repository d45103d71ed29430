package io.luagate.kernel.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** The hand-made line against logback's own pattern of the same format, byte for byte. */
class StderrLineEncoderTest {

    /** The pattern the diagnostics log used before it wrote its lines by hand. */
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{20}: %msg%n";

    private final LoggerContext context = new LoggerContext();

    private LoggingEvent event(String logger, Level level, long millis, String thread, String message, Throwable thrown,
            Object... args) {
        Logger log = context.getLogger(logger);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), log, level, message, thrown, args);
        event.setTimeStamp(millis);
        event.setThreadName(thread);
        return event;
    }

    private void assertSameAsLogback(LoggingEvent event) {
        PatternLayoutEncoder logback = new PatternLayoutEncoder();
        logback.setContext(context);
        logback.setPattern(PATTERN);
        logback.start();
        StderrLineEncoder ours = new StderrLineEncoder();
        ours.setContext(context);
        ours.start();
        assertEquals(new String(logback.encode(event)), new String(ours.encode(event)));
    }

    @Test
    void linesAsLogbacksPattern() {
        Throwable cause = new IllegalStateException("inner");
        Throwable thrown = new RuntimeException("outer", cause);
        thrown.addSuppressed(new IllegalArgumentException("also"));
        String[] loggers = {"io.luagate.kernel.Luagate", "io.luagate.plugin.http.upstream.UpstreamHandler", "Short",
                "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o", "io.luagate.kernel.config.ReallyTheLongestClassNameThereIs", "x.Named",
                "org.pf4j.AbstractPluginManager", "nodots_but_longer_than_twenty_chars", "io.netty.util.internal.PlatformDependent0"};
        long[] times = {0L, 1_796_630_400_123L, 1_796_630_400_007L, 951_782_400_999L, 86_399_999L};
        for (String tz : new String[] {"UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu"}) {
            TimeZone saved = TimeZone.getDefault();
            TimeZone.setDefault(TimeZone.getTimeZone(tz));
            try {
                for (long t : times) {
                    for (String logger : loggers) {
                        for (Level level : new Level[] {Level.INFO, Level.WARN, Level.DEBUG, Level.ERROR, Level.TRACE}) {
                            assertSameAsLogback(event(logger, level, t, "luagate-loop-1-1", "started: {} loop(s)", null, 2));
                        }
                    }
                    assertSameAsLogback(event("io.luagate.kernel.Luagate", Level.ERROR, t, "main", "failed", thrown));
                    assertSameAsLogback(event("io.luagate.kernel.Luagate", Level.WARN, t, "main", null, null));
                }
            } finally {
                TimeZone.setDefault(saved);
            }
        }
    }

    @Test
    void loggerNamesCutAsLogbackCutsThem() {
        StringBuilder out = new StringBuilder();
        StderrLineEncoder.abbreviate("io.luagate.kernel.Luagate", out);
        assertEquals("i.l.kernel.Luagate", out.toString());
    }
}
