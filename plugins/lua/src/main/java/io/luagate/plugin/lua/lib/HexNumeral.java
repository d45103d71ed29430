package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Lua 5.3's hexadecimal numerals as {@code tonumber} reads them: with a fraction or a binary
 * exponent ({@code "0x1p4"}, {@code "0xA.8p1"}, {@code "0x.8"}: {@code lua_strx2number}), which
 * LuaJ 3.0.1's scanner does not read, and integers with a sign and wrapping around modulo 2^64
 * ({@code "-0x10"}, {@code "0xffffffffffffffff"} is -1: {@code l_str2int}), where LuaJ gives nil
 * or a float above 2^63.
 */
final class HexNumeral {

    private HexNumeral() {
    }

    /**
     * The value of {@code s} when it is a hexadecimal numeral (blanks around it allowed, as Lua
     * allows), nil when it is a malformed one, {@code null} when it is not hexadecimal.
     */
    static LuaValue parse(LuaString s) {
        int i = 0;
        int end = s.length();
        while (i < end && isSpace(s.luaByte(i))) {
            i++;
        }
        while (end > i && isSpace(s.luaByte(end - 1))) {
            end--;
        }
        boolean negative = false;
        if (i < end && (s.luaByte(i) == '-' || s.luaByte(i) == '+')) {
            negative = s.luaByte(i) == '-';
            i++;
        }
        if (end - i < 2 || s.luaByte(i) != '0' || (s.luaByte(i + 1) | 0x20) != 'x') {
            return null;
        }
        i += 2;
        StringBuilder digits = new StringBuilder(end - i + 4);
        int count = 0;
        boolean point = false;
        long wrapped = 0;
        while (i < end) {
            int c = s.luaByte(i);
            int digit = Character.digit(c, 16);
            if (c == '.' && !point) {
                point = true;
            } else if (digit >= 0) {
                count++;
                wrapped = wrapped * 16 + digit;
            } else {
                break;
            }
            digits.append((char) c);
            i++;
        }
        if (count == 0) {
            return LuaValue.NIL;
        }
        boolean exponent = i < end && (s.luaByte(i) | 0x20) == 'p';
        if (!point && !exponent) {
            return i == end ? LuaValue.valueOf((double) (negative ? -wrapped : wrapped)) : LuaValue.NIL;
        }
        String exp = "0";
        if (exponent) {
            int from = ++i;
            if (i < end && (s.luaByte(i) == '-' || s.luaByte(i) == '+')) {
                i++;
            }
            int firstDigit = i;
            while (i < end && s.luaByte(i) >= '0' && s.luaByte(i) <= '9') {
                i++;
            }
            if (i == firstDigit) {
                return LuaValue.NIL;
            }
            exp = s.substring(from, i).tojstring();
        }
        if (i != end) {
            return LuaValue.NIL;
        }
        // Java's hexadecimal floating literal needs its exponent, and the digits before a point.
        double value = Double.parseDouble("0x" + (digits.charAt(0) == '.' ? "0" : "") + digits + "p" + exp);
        return LuaValue.valueOf(negative ? -value : value);
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }
}
