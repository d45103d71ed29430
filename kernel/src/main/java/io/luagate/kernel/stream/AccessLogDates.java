package io.luagate.kernel.stream;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log's dates (%t, %tr, %T). Kept out of {@link DefaultStream} so that a process that
 * logs no date never builds the formatters: building them loads some 50 classes of
 * {@code java.time.format} and reads the zone rules, resident for the process's life.
 */
final class AccessLogDates {

    static final DateTimeFormatter GMT =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.of("UTC"));
    static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());

    private AccessLogDates() {
    }
}
