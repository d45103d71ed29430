package io.luagate.plugin.lua.lib;

import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code assert(v [, message, ...])} as Lua 5.3's {@code luaB_assert}: on a false {@code v}, the
 * message (any value, default "assertion failed!") is raised as {@code error} raises it at level 1.
 * LuaJ's decodes the message as UTF-8 text (a table becomes its name; some bytes fail).
 */
final class AssertFunction extends VarArgFunction {

    private static final org.luaj.vm2.LuaValue FAILED = valueOf("assertion failed!");

    private final ErrorSite site;

    AssertFunction(ErrorSite site) {
        this.site = site;
    }

    @Override
    public Varargs invoke(Varargs args) {
        if (args.arg1().toboolean()) {
            return args;
        }
        if (args.narg() == 0) {
            throw LuaArgs.argError(1, "assert", "value expected");
        }
        throw ErrorFunction.raise(site, args.narg() >= 2 ? args.arg(2) : FAILED, 1);
    }
}
