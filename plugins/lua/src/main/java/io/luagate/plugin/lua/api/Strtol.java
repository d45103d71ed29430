package io.luagate.plugin.lua.api;

/**
 * C's {@code strtol(text, &end, 10)}, which HAProxy uses to read the numbers of its run-time
 * commands: leading white space, an optional sign, then digits; what follows is left to the
 * caller, who reads it from {@link #end}. Out-of-range values clamp as in C.
 *
 * @param value the number read (0 when there are no digits)
 * @param end   where reading stopped; 0 when there were no digits (C's "end == start")
 * @param sign  the sign character written, or 0
 */
record Strtol(long value, int end, char sign) {

    static Strtol parse(String text) {
        int i = 0;
        int length = text.length();
        while (i < length && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        char sign = 0;
        if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            sign = text.charAt(i);
            i++;
        }
        int digits = i;
        long value = 0;
        while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            int digit = text.charAt(i) - '0';
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
            i++;
        }
        if (i == digits) {
            return new Strtol(0, 0, sign);
        }
        return new Strtol(sign == '-' ? -value : value, i, sign);
    }
}
