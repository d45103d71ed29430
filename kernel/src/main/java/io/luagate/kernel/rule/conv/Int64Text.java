package io.luagate.kernel.rule.conv;

/**
 * HAProxy's {@code read_int64()}: an optional sign then decimal digits, read up to the first
 * other character and saturated at the 64-bit limits instead of overflowing.
 */
final class Int64Text {

    private Int64Text() {
    }

    /** The value of the longest numeric prefix of {@code s} (0 when there is none). */
    static long prefix(String s) {
        return read(s, null);
    }

    /** The value of {@code s} when all of it is numeric (as read_int64 sees it), else {@code null}. */
    static Long whole(String s) {
        int[] end = new int[1];
        long value = read(s, end);
        return end[0] == s.length() ? value : null;
    }

    private static long read(String s, int[] end) {
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long magnitude = 0; // unsigned
        boolean saturated = false;
        for (; i < s.length(); i++) {
            int digit = s.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            if (!saturated) {
                long times10 = magnitude * 10;
                if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L, 10)) > 0
                        || Long.compareUnsigned(-1L - times10, digit) < 0) {
                    saturated = true;
                    magnitude = -1L; // ULLONG_MAX
                } else {
                    magnitude = times10 + digit;
                }
            }
        }
        if (end != null) {
            end[0] = i;
        }
        if (negative) {
            return Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0 ? Long.MIN_VALUE : -magnitude;
        }
        return magnitude < 0 ? Long.MAX_VALUE : magnitude;
    }
}
