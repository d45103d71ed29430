package io.luagate.plugin.lua.engine;

import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * What a register held, named as Lua 5.3's error messages name it: {@code (global 'x')},
 * {@code (local 'x')}, {@code (field 'x')}, {@code (method 'x')}, {@code (upvalue 'x')},
 * {@code (constant 'x')}. The symbolic execution of {@code ldebug.c} ({@code getobjname},
 * {@code findsetreg}), over LuaJ's bytecode, which is Lua 5.2's.
 */
final class ObjectNames {

    private ObjectNames() {
    }

    /** {@code " (kind 'name')"} for register {@code reg} at instruction {@code pc}, or "" when Lua has no name for it. */
    static String of(Prototype p, int pc, int reg) {
        String[] found = name(p, pc, reg);
        return found == null ? "" : " (" + found[0] + " '" + found[1] + "')";
    }

    /** The name Lua gives the function called by the CALL at {@code pc} ({@code funcnamefromcode}): {kind, name}, or null. */
    static String[] called(Prototype p, int pc, int reg) {
        return name(p, pc, reg);
    }

    /** {@code " (upvalue 'name')"} for the function's upvalue {@code index}. */
    static String upvalue(Prototype p, int index) {
        return " (upvalue '" + upvalueName(p, index) + "')";
    }

    private static String upvalueName(Prototype p, int index) {
        LuaString name = p.upvalues != null && index < p.upvalues.length ? p.upvalues[index].name : null;
        return name == null ? "?" : name.tojstring();
    }

    private static String local(Prototype p, int reg, int pc) {
        LuaString name = p.locvars == null ? null : p.getlocalname(reg + 1, pc);
        return name == null ? null : name.tojstring();
    }

    private static String[] name(Prototype p, int lastpc, int reg) {
        String local = local(p, reg, lastpc);
        if (local != null) {
            return new String[] {"local", local};
        }
        int pc = setter(p, lastpc, reg);
        if (pc < 0) {
            return null;
        }
        int i = p.code[pc];
        switch (Lua.GET_OPCODE(i)) {
            case Lua.OP_MOVE: {
                int b = Lua.GETARG_B(i);
                return b < Lua.GETARG_A(i) ? name(p, pc, b) : null;
            }
            case Lua.OP_GETTABUP:
            case Lua.OP_GETTABLE: {
                int t = Lua.GETARG_B(i);
                String table = Lua.GET_OPCODE(i) == Lua.OP_GETTABLE ? local(p, t, pc) : upvalueName(p, t);
                return new String[] {"_ENV".equals(table) ? "global" : "field", key(p, pc, Lua.GETARG_C(i))};
            }
            case Lua.OP_GETUPVAL:
                return new String[] {"upvalue", upvalueName(p, Lua.GETARG_B(i))};
            case Lua.OP_LOADK:
            case Lua.OP_LOADKX: {
                int b = Lua.GET_OPCODE(i) == Lua.OP_LOADK ? Lua.GETARG_Bx(i) : Lua.GETARG_Ax(p.code[pc + 1]);
                LuaValue k = p.k[b];
                return k.type() == LuaValue.TSTRING ? new String[] {"constant", k.tojstring()} : null;
            }
            case Lua.OP_SELF:
                return new String[] {"method", key(p, pc, Lua.GETARG_C(i))};
            default:
                return null;
        }
    }

    /** A key's name: a string constant, or a register that holds one; "?" otherwise. */
    private static String key(Prototype p, int pc, int c) {
        if (Lua.ISK(c)) {
            LuaValue k = p.k[Lua.INDEXK(c)];
            return k.type() == LuaValue.TSTRING ? k.tojstring() : "?";
        }
        String[] found = name(p, pc, c);
        return found != null && found[0].equals("constant") ? found[1] : "?";
    }

    /** The last instruction before {@code lastpc} that surely set {@code reg}, or -1 ({@code findsetreg}). */
    static int setter(Prototype p, int lastpc, int reg) {
        int setreg = -1;
        int jmptarget = 0;
        for (int pc = 0; pc < lastpc && pc < p.code.length; pc++) {
            int i = p.code[pc];
            int op = Lua.GET_OPCODE(i);
            int a = Lua.GETARG_A(i);
            boolean sets = switch (op) {
                case Lua.OP_LOADNIL -> a <= reg && reg <= a + Lua.GETARG_B(i);
                case Lua.OP_TFORCALL -> reg >= a + 2;
                case Lua.OP_CALL, Lua.OP_TAILCALL -> reg >= a;
                case Lua.OP_JMP -> {
                    int dest = pc + 1 + Lua.GETARG_sBx(i);
                    // A forward jump that does not skip lastpc: code up to its target runs conditionally.
                    if (pc < dest && dest <= lastpc && dest > jmptarget) {
                        jmptarget = dest;
                    }
                    yield false;
                }
                default -> setsA(op) && reg == a;
            };
            if (sets) {
                setreg = pc < jmptarget ? -1 : pc;
            }
        }
        return setreg;
    }

    /** Whether the instruction writes register A (Lua 5.2's {@code testAMode}). */
    private static boolean setsA(int op) {
        return switch (op) {
            case Lua.OP_SETTABUP, Lua.OP_SETUPVAL, Lua.OP_SETTABLE, Lua.OP_JMP, Lua.OP_EQ, Lua.OP_LT, Lua.OP_LE,
                    Lua.OP_TEST, Lua.OP_RETURN, Lua.OP_TFORCALL, Lua.OP_SETLIST, Lua.OP_EXTRAARG -> false;
            default -> true;
        };
    }
}
