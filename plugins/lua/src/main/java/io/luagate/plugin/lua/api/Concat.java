package io.luagate.plugin.lua.api;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** {@code core.concat()}: a string builder with {@code add} and {@code dump}. */
final class Concat {

    private static final LuaClass CLASS = new LuaClass("Concat", Buffer.class)
            .<Buffer>method("add", (b, a) -> {
                b.append(a.checkstring(1));
                return LuaValue.NONE;
            })
            .<Buffer>method("dump", (b, a) -> b.tostring());

    private Concat() {
    }

    static LuaTable create() {
        return CLASS.wrap(new Buffer());
    }
}
