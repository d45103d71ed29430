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
}
