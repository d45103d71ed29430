package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code pairs} and {@code ipairs} of Lua 5.3, which LuaJ 3.0.1 (5.2) does not follow:
 * {@code pairs} honours a {@code __pairs} metamethod, and {@code ipairs} reads through
 * {@code __index} until the first nil (5.3 dropped {@code __ipairs}).
 */
final class Lua53Pairs {

    private static final LuaValue PAIRS = LuaValue.valueOf("__pairs");

    private Lua53Pairs() {
    }

    /** {@code pairs(t)}: {@code __pairs(t)}'s three results, else {@code next, t, nil}. */
    static final class Pairs extends VarArgFunction {

        private final LuaValue next;

        Pairs(LuaValue next) {
            this.next = next;
        }

        @Override
        public Varargs invoke(Varargs args) {
            // luaL_checkany: any value, nil included; a non-table fails when next is called.
            if (args.narg() == 0) {
                throw LuaArgs.argError(1, "pairs", "value expected");
            }
            LuaValue t = args.arg1();
            LuaValue handler = t.metatag(PAIRS);
            if (!handler.isnil()) {
                Varargs r = handler.invoke(t);
                return LuaValue.varargsOf(r.arg(1), r.arg(2), r.arg(3));
            }
            return LuaValue.varargsOf(next, t, LuaValue.NIL);
        }
    }

    /** {@code ipairs(t)}: an iterator over {@code t[1]}, {@code t[2]}... through {@code __index}. */
    static final class Ipairs extends VarArgFunction {

        private static final LuaValue STEP = new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaValue i = LuaValue.valueOf(args.arg(2).toint() + 1);
                LuaValue v = args.arg1().get(i);
                return v.isnil() ? NIL : LuaValue.varargsOf(i, v);
            }
        };

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() == 0) {
                throw LuaArgs.argError(1, "ipairs", "value expected");
            }
            // Any value, as luaL_checkany: one without __index stops at once or fails when indexed.
            return LuaValue.varargsOf(STEP, args.arg1(), LuaValue.valueOf(0));
        }
    }
}
