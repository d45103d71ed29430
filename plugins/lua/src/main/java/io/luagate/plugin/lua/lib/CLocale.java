package io.luagate.plugin.lua.lib;

/**
 * The character classes of C's {@code <ctype.h>} in the "C" locale, which Lua 5.3 (and HAProxy,
 * which never calls setlocale) uses for {@code %a}, {@code %w}, {@code %p}...: ASCII only, so a
 * byte of 0x80 or above is in none of them. Java's {@code Character} methods would count Latin-1
 * letters and miss some ASCII punctuation.
 */
final class CLocale {

    private CLocale() {
    }

    static boolean isAlpha(int c) {
        return isLower(c) || isUpper(c);
    }

    static boolean isLower(int c) {
        return c >= 'a' && c <= 'z';
    }

    static boolean isUpper(int c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlnum(int c) {
        return isAlpha(c) || isDigit(c);
    }

    static boolean isXDigit(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    static boolean isCntrl(int c) {
        return c < 32 || c == 127;
    }

    static boolean isGraph(int c) {
        return c > 32 && c < 127;
    }

    static boolean isPunct(int c) {
        return isGraph(c) && !isAlnum(c);
    }

    /** Lua's match_class: {@code cl} is the letter after '%'; an upper-case letter is the complement. */
    static boolean matchClass(int c, int cl) {
        boolean res;
        switch (cl | 0x20) {
            case 'a' -> res = isAlpha(c);
            case 'c' -> res = isCntrl(c);
            case 'd' -> res = isDigit(c);
            case 'g' -> res = isGraph(c);
            case 'l' -> res = isLower(c);
            case 'p' -> res = isPunct(c);
            case 's' -> res = isSpace(c);
            case 'u' -> res = isUpper(c);
            case 'w' -> res = isAlnum(c);
            case 'x' -> res = isXDigit(c);
            // Deprecated in 5.2 but still in 5.3's lstrlib.c (and so in HAProxy's Lua).
            case 'z' -> res = c == 0;
            default -> {
                return cl == c;
            }
        }
        return isLower(cl) ? res : !res;
    }
}
