package io.luagate.plugin.lua.engine;

import java.io.IOException;
import org.luaj.vm2.LuaValue;

/**
 * {@code file:read("n")} as Lua 5.3's {@code l_getn} reads it: skips white space, takes the
 * longest prefix that can start a numeral (sign, {@code 0x}, digits, a point, an exponent), at
 * most 200 characters, and converts it; what does not convert gives nil and stays consumed.
 */
final class NumeralReader {

    private static final int MAX = 200;

    private final LuaFile file;
    private final StringBuilder text = new StringBuilder();
    private int c;

    private NumeralReader(LuaFile file) {
        this.file = file;
    }

    static LuaValue read(LuaFile file) throws IOException {
        return new NumeralReader(file).numeral();
    }

    private LuaValue numeral() throws IOException {
        do {
            c = file.read();
        } while (c == ' ' || (c >= '\t' && c <= '\r'));
        int count = 0;
        boolean hex = false;
        test2("-+");
        if (test2("00")) {
            if (test2("xX")) {
                hex = true;
            } else {
                count = 1;
            }
        }
        count += digits(hex);
        if (test2("..")) {
            count += digits(hex);
        }
        if (count > 0 && test2(hex ? "pP" : "eE")) {
            test2("-+");
            digits(false);
        }
        // c is the look-ahead: it was not part of the numeral, so the file keeps it.
        if (c >= 0) {
            file.unread();
        }
        LuaValue n = LuaValue.valueOf(text.toString()).tonumber();
        return n.isnil() ? LuaValue.NIL : n;
    }

    private boolean test2(String set) throws IOException {
        if (c >= 0 && (c == set.charAt(0) || c == set.charAt(1))) {
            return next();
        }
        return false;
    }

    private int digits(boolean hex) throws IOException {
        int count = 0;
        while (c >= 0 && (hex ? Character.digit(c, 16) >= 0 : c >= '0' && c <= '9') && next()) {
            count++;
        }
        return count;
    }

    /** Keeps the current character and reads the next; false when the numeral grew too long. */
    private boolean next() throws IOException {
        if (text.length() >= MAX) {
            text.setLength(0);
            return false;
        }
        text.append((char) c);
        c = file.read();
        return true;
    }
}
