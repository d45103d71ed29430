package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.rep(s, n [, sep])} of Lua 5.3 (separator; {@code n <= 0} gives ""). The result
 * is one allocation that no instruction-count hook can interrupt, so its size is checked against
 * {@link Lua53Library#maxStringBytes()} before allocating.
 */
final class StringRep extends VarArgFunction {

    private static final String NAME = "rep";
    private static final LuaString EMPTY = LuaValue.valueOf("");

    @Override
    public Varargs invoke(Varargs args) {
        LuaString s = LuaArgs.checkString(args, 1, NAME);
        long n = LuaArgs.checkInteger(args, 2, NAME);
        LuaString sep = LuaArgs.optString(args, 3, NAME, EMPTY);
        if (n <= 0) {
            return EMPTY;
        }
        long unit = (long) s.m_length + sep.m_length;
        if (unit == 0) {
            return EMPTY;
        }
        long limit = Math.min(Lua53Library.maxStringBytes(), ByteSink.MAX_ARRAY);
        // unit * n - sep without overflowing: n can be up to 2^63.
        if (n > (limit + sep.m_length) / unit) {
            throw new LuaError("resulting string too large");
        }
        int total = (int) (unit * n - sep.m_length);
        if (n == 1) {
            return s;
        }
        HeapBudget.reserve(total);
        byte[] r = new byte[total];
        System.arraycopy(s.m_bytes, s.m_offset, r, 0, s.m_length);
        System.arraycopy(sep.m_bytes, sep.m_offset, r, s.m_length, sep.m_length);
        // Doubling copies: log2(n) arraycopy calls instead of n.
        int filled = (int) Math.min(unit, total);
        while (filled < total) {
            int chunk = Math.min(filled, total - filled);
            System.arraycopy(r, 0, r, filled, chunk);
            filled += chunk;
        }
        return LuaString.valueUsing(r);
    }
}
