package io.luagate.plugin.lua.engine;

import io.luagate.plugin.lua.lib.LuaArgs;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ThreeArgFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports, once per name, a global written at run time: it is shared by every request of the
 * state (and by every event loop with {@code lua.load}), the usual seed of one request leaking
 * into another. The scripts' own globals move to a side table that the globals table reads
 * through {@code __index}, so that every write reaches {@code __newindex}.
 */
final class GlobalWrites {

    private static final Logger LOG = LoggerFactory.getLogger("io.luagate.lua");

    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final LuaHook hook;
    private final String stateName;

    GlobalWrites(LuaHook hook, String stateName) {
        this.hook = hook;
        this.stateName = stateName;
    }

    /** The scripts' own globals once {@link #guard} ran; {@code null} before. */
    private LuaTable own;
    private Globals globals;

    void guard(Globals g, Set<String> baseline) {
        LuaTable own = new LuaTable();
        this.own = own;
        this.globals = g;
        for (String name : Sandbox.names(g)) {
            if (!baseline.contains(name)) {
                own.rawset(name, g.rawget(name));
                g.rawset(name, LuaValue.NIL);
            }
        }
        LuaTable meta = new LuaTable();
        meta.set(LuaValue.INDEX, own);
        meta.set(LuaValue.NEWINDEX, new ThreeArgFunction() {
            @Override
            public LuaValue call(LuaValue table, LuaValue key, LuaValue value) {
                write(key, value);
                return NONE;
            }
        });
        g.setmetatable(meta);
    }

    private void write(LuaValue key, LuaValue value) {
        String name = LuaArgs.jstring(key);
        if (warned.add(name)) {
            LOG.warn("{}: global '{}' written at run time: it is shared by every request of the {} state; "
                    + "declare it local", hook.frames.where(), name, stateName);
        }
        own.rawset(key, value);
    }

    /**
     * {@code rawset(_G, k, v)} at run time: the same write as {@code _G.k = v}, with the same report.
     * A name the globals table holds itself (a library) is replaced there, as {@code _G.k = v} does.
     *
     * @return whether this was such a write (otherwise the caller does a plain {@code rawset})
     */
    boolean rawWrite(LuaValue table, LuaValue key, LuaValue value) {
        if (own == null || table != globals || !key.isstring()) {
            return false;
        }
        if (!globals.rawget(key).isnil()) {
            return false;
        }
        write(key, value);
        return true;
    }

    /** The names reported so far (for tests and diagnostics). */
    Set<String> warned() {
        return Set.copyOf(warned);
    }
}
