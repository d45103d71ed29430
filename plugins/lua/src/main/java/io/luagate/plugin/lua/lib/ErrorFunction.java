package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code error(v [, level])} as Lua 5.3 raises: a string gets the position of {@code level}
 * ({@code 0}: none; a level that is a Java function such as {@code pcall}: none), and every
 * value reaches {@code pcall} as itself ({@code pcall(error, 42)} gives the integer 42,
 * {@code error()} nil). LuaJ adds the innermost position whatever the level, turns numbers into
 * {@code "file:line: 42"} and fails on nil. Without an {@link ErrorSite} (a bare library), only
 * numbers are handled here and the rest goes to LuaJ's {@code error}.
 */
final class ErrorFunction extends VarArgFunction {

    private static final LuaValue SEPARATOR = valueOf(" ");

    private final LuaValue luaj;
    private final ErrorSite site;

    ErrorFunction(LuaValue luaj, ErrorSite site) {
        this.luaj = luaj;
        this.site = site;
    }

    @Override
    public Varargs invoke(Varargs args) {
        LuaValue value = args.arg1();
        if (site == ErrorSite.NONE) {
            if (value.type() == TNUMBER) {
                throw new LuaError(value);
            }
            return luaj.invoke(args);
        }
        throw raise(site, value, LuaArgs.optInteger(args, 2, "error", 1));
    }

    /** The error {@code error(value, level)} raises, as {@code luaB_error} makes it. */
    static LuaError raise(ErrorSite site, LuaValue value, long level) {
        if (value.type() == TSTRING && level > 0) {
            String where = site.where((int) Math.min(level, Integer.MAX_VALUE));
            if (where != null) {
                value = valueOf(where).concat(SEPARATOR).concat(value.strvalue());
            }
        }
        site.raising(value);
        // The value itself as the error object: pcall returns it as it is, bytes and type kept.
        return new RaisedError(value);
    }
}
