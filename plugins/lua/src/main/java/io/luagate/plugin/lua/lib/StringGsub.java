package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.gsub} of Lua 5.3.3 and later: string replacement with {@code %0}-{@code %9} and
 * {@code %%} (any other {@code %} is an error), table and function replacement, and the
 * {@code lastmatch} rule for empty matches.
 */
final class StringGsub extends VarArgFunction {

    private static final String NAME = "gsub";

    private final LibraryLimits limits;

    StringGsub(LibraryLimits limits) {
        this.limits = limits;
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaString s = LuaArgs.checkString(args, 1, NAME);
        LuaString p = LuaArgs.checkString(args, 2, NAME);
        LuaValue repl = args.arg(3);
        int tr = repl.type();
        long maxS = LuaArgs.optInteger(args, 4, NAME, s.m_length + 1L);
        if (tr != TNUMBER && tr != TSTRING && tr != TFUNCTION && tr != TTABLE) {
            throw LuaArgs.argError(3, NAME, "string/function/table expected");
        }
        int pi = p.m_offset;
        boolean anchor = p.m_length > 0 && p.m_bytes[pi] == '^';
        if (anchor) {
            pi++;
        }
        PatternMatch ms = new PatternMatch(s, p, limits);
        ByteSink out = new ByteSink(s.m_length + 16);
        int src = s.m_offset;
        int lastMatch = -1;
        long n = 0;
        while (n < maxS) {
            ms.reset();
            int e = ms.match(src, pi);
            if (e >= 0 && e != lastMatch) {
                n++;
                addValue(ms, out, src, e, repl, tr);
                src = e;
                lastMatch = e;
            } else if (src < ms.srcEnd) {
                out.add(s.m_bytes[src++] & 0xff);
            } else {
                break;
            }
            if (anchor) {
                break;
            }
        }
        out.add(s.m_bytes, src, ms.srcEnd - src);
        return varargsOf(out.toLuaString(), LuaArgs.integer(n));
    }

    private static void addValue(PatternMatch ms, ByteSink out, int s, int e, LuaValue repl, int tr) {
        LuaValue value;
        switch (tr) {
            case TFUNCTION -> value = repl.invoke(ms.captures(s, e, true)).arg1();
            case TTABLE -> value = repl.get(ms.capture(0, s, e));
            default -> {
                addString(ms, out, s, e, NumberText.toLuaString(repl));
                return;
            }
        }
        if (!value.toboolean()) {
            out.add(ms.src, s, e - s);
        } else if (value.isstring()) {
            out.add(NumberText.toLuaString(value));
        } else {
            throw new LuaError("invalid replacement value (a " + value.typename() + ")");
        }
    }

    private static void addString(PatternMatch ms, ByteSink out, int s, int e, LuaString news) {
        byte[] b = news.m_bytes;
        int end = news.m_offset + news.m_length;
        for (int i = news.m_offset; i < end; i++) {
            int c = b[i] & 0xff;
            if (c != '%') {
                out.add(c);
                continue;
            }
            i++;
            int d = i < end ? b[i] & 0xff : 0;
            if (!CLocale.isDigit(d)) {
                if (d != '%') {
                    throw new LuaError("invalid use of '%' in replacement string");
                }
                out.add(d);
            } else if (d == '0') {
                out.add(ms.src, s, e - s);
            } else {
                out.add(NumberText.toLuaString(ms.capture(d - '1', s, e)));
            }
        }
    }
}
