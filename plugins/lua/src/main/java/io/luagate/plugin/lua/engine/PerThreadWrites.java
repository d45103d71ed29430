package io.luagate.plugin.lua.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * Finds, in the compiled code of what a {@code lua.load-per-thread} script registered, the writes
 * that keep state between calls: to an upvalue (SETUPVAL), to a global (SETTABUP on {@code _ENV}),
 * into a table held in an upvalue or a global (SETTABUP, SETTABLE). Each event loop has its own
 * state, with its own upvalues and tables, so such a change is seen by the streams of one thread
 * only. Read once from the prototypes at load; nothing runs. An upvalue that is a local of the
 * registered function itself (captured by a closure it makes) lives for one call and is not state.
 * Init functions are left out: they run once in every state, so their writes leave the copies equal.
 */
final class PerThreadWrites {

    private static final LuaString ENV = LuaString.valueOf("_ENV");

    /** One write: where it is, what it writes, and which registration runs it. */
    record Write(String file, int line, String what, String registration) {
        String warning() {
            return "lua: " + file + ":" + line + ": " + registration + " writes " + what + " at run time, but the script is "
                    + "loaded with lua.load-per-thread: every thread has its own copy of it, so a change is seen by the "
                    + "requests of that thread only. Load the script with lua.load if the state must be shared, or keep it "
                    + "where all threads see it (a proc.* variable, core.set_map)";
        }
    }

    private final List<Write> writes = new ArrayList<>();
    private final Set<String> seen = new LinkedHashSet<>();

    private PerThreadWrites() {
    }

    /** The writes of the functions {@code registrations} names, in registration order, each place once. */
    static List<Write> find(Registrations registrations) {
        PerThreadWrites found = new PerThreadWrites();
        registrations.fetches.forEach((name, f) -> found.function(f, "fetch '" + name + "'"));
        registrations.converters.forEach((name, f) -> found.function(f, "converter '" + name + "'"));
        registrations.actions.forEach((name, byEnv) -> byEnv.values().forEach(a -> found.function(a.function(), "action '" + name + "'")));
        registrations.services.forEach((name, s) -> found.function(s.function(), "service '" + name + "'"));
        registrations.filters.forEach((name, filter) -> {
            found.function(filter.init(), "filter '" + name + "'");
            for (LuaValue key = filter.filterClass().next(LuaValue.NIL).arg1(); !key.isnil();
                    key = filter.filterClass().next(key).arg1()) {
                found.function(filter.filterClass().get(key), "filter '" + name + "'");
            }
        });
        for (LuaValue task : registrations.tasks) {
            found.function(task, "a task");
        }
        return List.copyOf(found.writes);
    }

    private void function(LuaValue f, String registration) {
        if (f instanceof LuaClosure closure) {
            Prototype p = closure.p;
            // Every upvalue of the registered function lives outside it: in the script's chunk or an enclosing function.
            boolean[] outside = new boolean[p.upvalues.length];
            java.util.Arrays.fill(outside, true);
            prototype(p, outside, registration);
        }
    }

    private void prototype(Prototype p, boolean[] outside, String registration) {
        for (int pc = 0; pc < p.code.length; pc++) {
            int i = p.code[pc];
            int a = Lua.GETARG_A(i);
            switch (Lua.GET_OPCODE(i)) {
                case Lua.OP_SETUPVAL -> {
                    int b = Lua.GETARG_B(i);
                    if (outside[b] && !isEnv(p, b)) {
                        add(p, pc, "upvalue '" + upvalueName(p, b) + "'", registration);
                    }
                }
                case Lua.OP_SETTABUP -> {
                    if (isEnv(p, a)) {
                        add(p, pc, "global '" + key(p, Lua.GETARG_B(i)) + "'", registration);
                    } else if (outside[a]) {
                        add(p, pc, "into the table in upvalue '" + upvalueName(p, a) + "'", registration);
                    }
                }
                case Lua.OP_SETTABLE -> {
                    String held = heldTable(p, pc, a, outside);
                    if (held != null) {
                        add(p, pc, "into the table in " + held, registration);
                    }
                }
                default -> {
                }
            }
        }
        for (Prototype child : p.p) {
            boolean[] childOutside = new boolean[child.upvalues.length];
            for (int u = 0; u < child.upvalues.length; u++) {
                // An upvalue taken from the enclosing function's registers is one of its locals: per call.
                childOutside[u] = !child.upvalues[u].instack && outside[child.upvalues[u].idx];
            }
            prototype(child, childOutside, registration);
        }
    }

    /**
     * {@code "upvalue 'x'"} or {@code "global 'x'"} when register {@code reg} holds, at {@code pc},
     * a table read straight from an upvalue kept outside the call or from a global; null otherwise
     * (a local, a parameter, a field: what Lua's own error messages could not name either).
     */
    private static String heldTable(Prototype p, int pc, int reg, boolean[] outside) {
        if (p.getlocalname(reg + 1, pc) != null) {
            return null;
        }
        int setter = ObjectNames.setter(p, pc, reg);
        if (setter < 0) {
            return null;
        }
        int i = p.code[setter];
        return switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_GETUPVAL -> outside[Lua.GETARG_B(i)] && !isEnv(p, Lua.GETARG_B(i))
                    ? "upvalue '" + upvalueName(p, Lua.GETARG_B(i)) + "'" : null;
            case Lua.OP_GETTABUP -> isEnv(p, Lua.GETARG_B(i)) && Lua.ISK(Lua.GETARG_C(i))
                    ? "global '" + key(p, Lua.GETARG_C(i)) + "'" : null;
            case Lua.OP_MOVE -> Lua.GETARG_B(i) < Lua.GETARG_A(i) ? heldTable(p, setter, Lua.GETARG_B(i), outside) : null;
            default -> null;
        };
    }

    private static boolean isEnv(Prototype p, int upvalue) {
        return ENV.equals(p.upvalues[upvalue].name);
    }

    private static String upvalueName(Prototype p, int index) {
        LuaString name = p.upvalues[index].name;
        return name == null ? "?" : name.tojstring();
    }

    private static String key(Prototype p, int rk) {
        if (Lua.ISK(rk)) {
            LuaValue k = p.k[Lua.INDEXK(rk)];
            if (k.type() == LuaValue.TSTRING) {
                return k.tojstring();
            }
        }
        return "?";
    }

    private void add(Prototype p, int pc, String what, String registration) {
        String file = ChunkId.of(p.source.tojstring());
        int line = p.lineinfo != null && pc < p.lineinfo.length ? p.lineinfo[pc] : 0;
        if (seen.add(file + ":" + line + ":" + what)) {
            writes.add(new Write(file, line, what, registration));
        }
    }
}
