package io.luagate.plugin.lua.api;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.Varargs;

/**
 * HAProxy's own argument check for API functions; the Lua 5.3-worded type checks
 * ({@code bad argument #1 to 'set_tos' (number expected, got string)}) are {@link
 * io.luagate.plugin.lua.lib.LuaArgs}'s.
 */
final class ApiArgs {

    private ApiArgs() {
    }

    /**
     * HAProxy's {@code check_args}: the exact number of arguments, {@code self} included for
     * methods, else {@code 'name' needs N arguments}.
     */
    static void count(Varargs args, int expected, String function) {
        if (args.narg() != expected) {
            throw new LuaError("'" + function + "' needs " + expected + " arguments");
        }
    }

    /** {@link #count} for a method body, which gets the arguments after {@code self}. */
    static void methodCount(Varargs afterSelf, int expected, String function) {
        if (afterSelf.narg() + 1 != expected) {
            throw new LuaError("'" + function + "' needs " + expected + " arguments");
        }
    }

    /** HAProxy's range check ({@code 'set_var' needs between 3 and 4 arguments}), {@code self} counted. */
    static void methodCountBetween(Varargs afterSelf, int min, int max, String function) {
        int n = afterSelf.narg() + 1;
        if (n < min || n > max) {
            throw new LuaError("'" + function + "' needs between " + min + " and " + max + " arguments");
        }
    }
}
