package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.upper} and {@code string.lower} as C Lua does them in the "C" locale: only the
 * ASCII letters change, byte for byte. LuaJ decodes into a Java {@code String} and case-maps with
 * the default locale, which corrupts binary data, changes the length and, under a Turkish
 * locale, turns "i" into a dotted capital.
 */
final class AsciiCase extends VarArgFunction {

    private final boolean upper;
    private final String fname;

    AsciiCase(boolean upper) {
        this.upper = upper;
        this.fname = upper ? "upper" : "lower";
    }

    @Override
    public Varargs invoke(Varargs args) {
        return convert(LuaArgs.checkString(args, 1, fname));
    }

    @Override
    public LuaValue call(LuaValue a) {
        return convert(LuaArgs.checkString(a, 1, fname));
    }

    LuaString convert(LuaString s) {
        byte[] b = s.m_bytes;
        int off = s.m_offset;
        int n = s.m_length;
        int from = upper ? 'a' : 'A';
        int i = 0;
        // Header names and values are usually already in the wanted case: return the same string then.
        while (i < n && (b[off + i] < from || b[off + i] > from + 25)) {
            i++;
        }
        if (i == n) {
            return s;
        }
        byte[] r = new byte[n];
        System.arraycopy(b, off, r, 0, n);
        for (; i < n; i++) {
            int c = r[i];
            if (c >= from && c <= from + 25) {
                r[i] = (byte) (c ^ 0x20);
            }
        }
        return LuaString.valueUsing(r);
    }
}
