package io.luagate.plugin.lua.api;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * {@code core.concat()}: a string builder with {@code add} and {@code dump}. One per state, as
 * every class: its metatable is reachable ({@code getmetatable(core.concat()).__index.add = f}),
 * and a class shared by two states would run one state's function on the other's strings.
 */
final class Concat {

    private final LuaClass type = new LuaClass("Concat", Buffer.class)
            .<Buffer>method("add", (b, a) -> {
                b.append(a.checkstring(1));
                return LuaValue.NONE;
            })
            .<Buffer>method("dump", (b, a) -> b.tostring());

    LuaTable create() {
        return type.wrap(new Buffer());
    }
}
