package io.luagate.spi.sample;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** HAProxy's implicit casts between sample types. Each returns {@code null} where HAProxy cannot cast. */
public final class Samples {

    private Samples() {
    }

    /** str: integers in decimal, booleans as 0/1, addresses in their usual text, binary as bytes (ISO-8859-1). */
    public static String asString(Object sample) {
        return switch (sample) {
            case null -> null;
            case String s -> s;
            case Long l -> Long.toString(l);
            case Boolean b -> b ? "1" : "0";
            case byte[] bytes -> new String(bytes, StandardCharsets.ISO_8859_1);
            case InetAddress address -> address.getHostAddress();
            default -> sample.toString();
        };
    }

    /** sint: strings must be a (possibly signed) decimal integer; booleans are 0/1. */
    public static Long asLong(Object sample) {
        return switch (sample) {
            case null -> null;
            case Long l -> l;
            case Boolean b -> b ? 1L : 0L;
            case String s -> parseLong(s);
            case byte[] bytes -> parseLong(new String(bytes, StandardCharsets.ISO_8859_1));
            default -> null;
        };
    }

    /** bool: integers are true when non-zero; strings through their integer value. */
    public static Boolean asBoolean(Object sample) {
        return switch (sample) {
            case null -> null;
            case Boolean b -> b;
            case Long l -> l != 0;
            case String s -> {
                Long value = parseLong(s);
                yield value == null ? null : value != 0;
            }
            default -> null;
        };
    }

    /** bin: strings as their bytes (ISO-8859-1, so that binary survives a round trip). */
    public static byte[] asBytes(Object sample) {
        return switch (sample) {
            case null -> null;
            case byte[] bytes -> bytes;
            case String s -> s.getBytes(StandardCharsets.ISO_8859_1);
            case InetAddress address -> address.getAddress();
            default -> asString(sample).getBytes(StandardCharsets.ISO_8859_1);
        };
    }

    /** Parses a decimal integer like HAProxy's strl2llrc: optional sign, digits only; null if not one. */
    public static Long parseLong(String s) {
        if (s.isEmpty() || s.length() > 20) {
            return null;
        }
        try {
            return Long.parseLong(s.charAt(0) == '+' ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
