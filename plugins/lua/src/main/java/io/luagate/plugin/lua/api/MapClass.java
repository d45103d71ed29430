package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.engine.LuaState;
import io.luagate.plugin.lua.lib.LuaArgs;
import io.luagate.spi.pattern.MatchTable;
import io.luagate.spi.pattern.PatternFiles;
import java.util.Set;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * HAProxy's {@code Map} class: {@code Map.new(file [, method])} and {@code lookup}/{@code slookup},
 * with the argument checks and messages of {@code hlua_map_new} and {@code _hlua_map_lookup}.
 */
final class MapClass {

    /** HAProxy's match methods ({@code PAT_MATCH_*}) in their numbering: {@code Map._str} is 6. */
    private static final String[] METHODS = {"found", "bool", "int", "ip", "bin", "len", "str", "beg", "sub", "dir",
        "dom", "end", "reg", "regm"};
    /** The methods a map can be looked up with (HAProxy's {@code hlua_map_new}). */
    private static final Set<String> LOOKUP_METHODS = Set.of("str", "beg", "sub", "dir", "dom", "end", "reg", "int", "ip");
    private static final int STR = 6;

    /** A loaded map; {@code integer}: looked up by integers ({@code Map._int}), as HAProxy types the key. */
    private record LuaMap(MatchTable table, boolean integer) {
    }

    private MapClass() {
    }

    /** The {@code Map} global: the method constants and {@code new}. */
    static LuaTable create(LuaState state) {
        PatternFiles patterns = state.engine().patterns();
        LuaClass map = new LuaClass("Map", LuaMap.class);
        map.<LuaMap>method("lookup", (m, a) -> Values.luaOrNil(lookup(m, a, "lookup")));
        map.<LuaMap>method("slookup", (m, a) -> {
            String found = lookup(m, a, "slookup");
            return Values.lua(found == null ? "" : found);
        });
        LuaTable cls = new LuaTable();
        for (int i = 0; i < METHODS.length; i++) {
            cls.set(METHODS[i], LuaValue.valueOf(i));
            cls.set("_" + METHODS[i], LuaValue.valueOf(i));
        }
        cls.set("new", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs a) {
                if (a.narg() < 1 || a.narg() > 2) {
                    throw new LuaError("'new' needs at least 1 argument.");
                }
                String file = Values.text(LuaArgs.checkString(a, 1, "new"));
                long method = STR;
                if (a.narg() == 2) {
                    method = LuaArgs.checkInteger(a, 2, "new");
                    if (method < 0 || method >= METHODS.length) {
                        throw new LuaError("'new' needs a valid match method.");
                    }
                }
                String name = METHODS[(int) method];
                if (!LOOKUP_METHODS.contains(name)) {
                    throw new LuaError("'new' doesn't support this match mode.");
                }
                boolean running = state.engine().started(state);
                try {
                    // Once init is over a file is never read here (an event loop would wait for the
                    // disk): only maps the configuration or init loaded are found.
                    MatchTable table = running ? patterns.loadedMap(file, name) : patterns.map(file, name);
                    return map.wrap(new LuaMap(table, name.equals("int")));
                } catch (IllegalArgumentException e) {
                    throw new LuaError("'new': " + e.getMessage() + (running
                            ? " (at run time Map.new only finds the maps the configuration or the scripts' init loaded)"
                            : "") + ".");
                }
            }
        });
        return cls;
    }

    /** The key as HAProxy takes it: an integer for an int map, else a string (a number is written as Lua writes it). */
    private static String lookup(LuaMap map, Varargs a, String function) {
        ApiArgs.methodCount(a, 2, "lookup");
        String key = map.integer() ? Long.toString(LuaArgs.checkInteger(a, 1, function))
                : Values.text(LuaArgs.checkString(a, 1, function));
        return map.table().lookup(key);
    }
}
