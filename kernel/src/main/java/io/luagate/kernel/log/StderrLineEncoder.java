package io.luagate.kernel.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;

/**
 * The diagnostics log's line, written by hand: the bytes logback's {@code PatternLayout} makes of
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{20}: %msg%n} and, after the line,
 * the exception it carries. Compiling that pattern loads logback's pattern parser and converters and
 * spins one lambda class per converter it knows, some 200 classes that stay in metaspace for the
 * process's life to format a few lines at start and on reloads (bench/README.md, "Fewer classes at
 * start").
 */
final class StderrLineEncoder extends EncoderBase<ILoggingEvent> {

    /** The longest logger name written whole; longer ones lose letters from their package names first, as logback's {@code %logger{20}}. */
    static final int LOGGER_WIDTH = 20;

    private static final String NEWLINE = System.lineSeparator();

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        appendTime(line, event.getTimeStamp());
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int pad = level.length(); pad < 5; pad++) {
            line.append(' ');
        }
        line.append(" [").append(event.getThreadName()).append("] ");
        abbreviate(event.getLoggerName(), line);
        line.append(": ").append(event.getFormattedMessage()).append(NEWLINE);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown));
        }
        return line.toString().getBytes();
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS} in the JVM's time zone. */
    static void appendTime(StringBuilder line, long epochMillis) {
        int offsetSeconds = TimeZone.getDefault().getOffset(epochMillis) / 1000;
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
                (int) Math.floorMod(epochMillis, 1000) * 1_000_000, ZoneOffset.ofTotalSeconds(offsetSeconds));
        digits(line, t.getYear(), 4).append('-');
        digits(line, t.getMonthValue(), 2).append('-');
        digits(line, t.getDayOfMonth(), 2).append('T');
        digits(line, t.getHour(), 2).append(':');
        digits(line, t.getMinute(), 2).append(':');
        digits(line, t.getSecond(), 2).append('.');
        digits(line, t.getNano() / 1_000_000, 3);
    }

    private static StringBuilder digits(StringBuilder line, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            line.append('0');
        }
        return line.append(s);
    }

    /**
     * {@code name} in at most {@link #LOGGER_WIDTH} characters where it can be: its class name
     * whole, its package names cut to their first letter from the left until the rest fits.
     */
    static void abbreviate(String name, StringBuilder line) {
        int lastDot = name.lastIndexOf('.');
        if (name.length() < LOGGER_WIDTH || lastDot < 0) {
            line.append(name);
            return;
        }
        // The characters the package part must lose to fit, with the class name and its dot kept.
        int toCut = lastDot - Math.max(0, LOGGER_WIDTH - (name.length() - lastDot));
        int cut = 0;
        boolean first = true;
        int i = 0;
        for (; i < lastDot; i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (cut >= toCut) {
                    break;
                }
                line.append(c);
                first = true;
            } else if (first) {
                line.append(c);
                first = false;
            } else {
                cut++;
            }
        }
        line.append(name, i, name.length());
    }
}
