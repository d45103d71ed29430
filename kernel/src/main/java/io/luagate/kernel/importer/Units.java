package io.luagate.kernel.importer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** HAProxy's durations ({@code 100} = ms, us, ms, s, m, h, d) and sizes (k, m, g: powers of 1024). */
final class Units {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(us|ms|s|m|h|d)?");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmMgG])?");

    private Units() {
    }

    /** A HOCON duration string equal to the HAProxy duration, or null if it is not one. */
    static String duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        if (unit.equals("us")) {
            // HAProxy keeps milliseconds and rounds microseconds up to them.
            long us = Long.parseLong(m.group(1));
            return ((us + 999) / 1000) + "ms";
        }
        return m.group(1) + unit;
    }

    /** The size in bytes, or -1 if it is not one. */
    static long size(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return -1;
        }
        long value = Long.parseLong(m.group(1));
        if (m.group(2) == null) {
            return value;
        }
        return switch (Character.toLowerCase(m.group(2).charAt(0))) {
            case 'k' -> value << 10;
            case 'm' -> value << 20;
            default -> value << 30;
        };
    }
}
