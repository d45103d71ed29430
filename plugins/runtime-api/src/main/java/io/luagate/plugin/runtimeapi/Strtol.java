package io.luagate.plugin.runtimeapi;

/**
 * C's {@code strtol(text, &end, 10)} as HAProxy's commands use it: leading blanks, a sign, the
 * longest run of digits (saturating at the long range); {@code end} 0 when no digit was read.
 */
record Strtol(long value, int end) {

    static Strtol parse(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        int digits = i;
        long value = 0;
        boolean overflow = false;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            int d = text.charAt(i) - '0';
            if (value > (Long.MAX_VALUE - d) / 10) {
                overflow = true;
            } else {
                value = value * 10 + d;
            }
            i++;
        }
        if (i == digits) {
            return new Strtol(0, 0);
        }
        if (overflow) {
            return new Strtol(negative ? Long.MIN_VALUE : Long.MAX_VALUE, i);
        }
        return new Strtol(negative ? -value : value, i);
    }
}
