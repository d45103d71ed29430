package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.gmatch} of Lua 5.3.3 and later: an empty match right where the previous match
 * ended is skipped ({@code lastmatch}), so {@code ("a,b"):gmatch("[^,]*")} gives "a" and "b",
 * not the endless or doubled empty strings of older rules.
 */
final class StringGmatch extends VarArgFunction {

    private final LibraryLimits limits;

    StringGmatch(LibraryLimits limits) {
        this.limits = limits;
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaString s = LuaArgs.checkString(args, 1, "gmatch");
        LuaString p = LuaArgs.checkString(args, 2, "gmatch");
        return new Iterator(new PatternMatch(s, p, limits), s.m_offset, p.m_offset);
    }

    private static final class Iterator extends VarArgFunction {
        private final PatternMatch ms;
        private final int pattern;
        private int src;
        private int lastMatch = -1;

        Iterator(PatternMatch ms, int src, int pattern) {
            this.ms = ms;
            this.src = src;
            this.pattern = pattern;
        }

        @Override
        public Varargs invoke(Varargs args) {
            for (int at = src; at <= ms.srcEnd; at++) {
                ms.reset();
                int e = ms.match(at, pattern);
                if (e >= 0 && e != lastMatch) {
                    src = e;
                    lastMatch = e;
                    return ms.captures(at, e, true);
                }
            }
            return NIL;
        }
    }
}
