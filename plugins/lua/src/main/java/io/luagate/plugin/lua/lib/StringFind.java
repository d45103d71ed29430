package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** {@code string.find} and {@code string.match} of Lua 5.3 (lstrlib.c's str_find_aux). */
final class StringFind extends VarArgFunction {

    private static final byte[] SPECIALS = "^$*+?.([%-".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final boolean find;
    private final LibraryLimits limits;

    StringFind(boolean find, LibraryLimits limits) {
        this.find = find;
        this.limits = limits;
    }

    @Override
    public Varargs invoke(Varargs args) {
        String fname = find ? "find" : "match";
        LuaString s = LuaArgs.checkString(args, 1, fname);
        LuaString p = LuaArgs.checkString(args, 2, fname);
        int ls = s.m_length;
        long init = startIndex(LuaArgs.optInteger(args, 3, fname, 1), ls);
        if (init < 1) {
            init = 1;
        } else if (init > ls + 1L) {
            return NIL;
        }
        if (find && (args.arg(4).toboolean() || noSpecials(p))) {
            int at = plainFind(s, (int) init - 1, p);
            if (at >= 0) {
                return varargsOf(valueOf(at + 1), valueOf(at + p.m_length));
            }
            return NIL;
        }
        PatternMatch ms = new PatternMatch(s, p, limits);
        int s1 = s.m_offset + (int) init - 1;
        int pi = p.m_offset;
        boolean anchor = p.m_length > 0 && p.m_bytes[pi] == '^';
        if (anchor) {
            pi++;
        }
        do {
            ms.reset();
            int e = ms.match(s1, pi);
            if (e >= 0) {
                if (find) {
                    return varargsOf(valueOf(s1 - s.m_offset + 1), valueOf(e - s.m_offset), ms.captures(s1, e, false));
                }
                return ms.captures(s1, e, true);
            }
        } while (s1++ < ms.srcEnd && !anchor);
        return NIL;
    }

    /** posrelat: a negative position counts from the end. */
    static long startIndex(long pos, int len) {
        if (pos >= 0) {
            return pos;
        }
        if (-pos > len) {
            return 0;
        }
        return len + pos + 1;
    }

    private static boolean noSpecials(LuaString p) {
        for (int i = 0; i < p.m_length; i++) {
            byte b = p.m_bytes[p.m_offset + i];
            for (byte special : SPECIALS) {
                if (b == special) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Index (0-based, relative to the subject) of {@code p} in {@code s} from {@code from}, or -1. */
    private static int plainFind(LuaString s, int from, LuaString p) {
        int n = p.m_length;
        int last = s.m_length - n;
        outer:
        for (int i = from; i <= last; i++) {
            for (int j = 0; j < n; j++) {
                if (s.m_bytes[s.m_offset + i + j] != p.m_bytes[p.m_offset + j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
