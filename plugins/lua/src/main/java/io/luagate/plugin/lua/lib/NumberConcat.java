package io.luagate.plugin.lua.lib;

import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaValue;

/**
 * Makes {@code ..} write numbers as Lua 5.3 does. LuaJ's VM converts a number operand with its own
 * Java-float text ({@code 1/3 .. ""} is {@code 0.33333334}) and offers no way to replace it; but
 * its instruction hook runs before every instruction, and the operands of a CONCAT instruction are
 * always fresh registers filled for it (the 5.2 code generator puts both sides in new registers).
 * So before a CONCAT, a number whose LuaJ text differs from 5.3's is replaced in its register by
 * 5.3's text: the result is the same string 5.3 builds. Only when every operand is a string or a
 * number, so that a {@code __concat} metamethod still receives the original values.
 */
public final class NumberConcat {

    private NumberConcat() {
    }

    /** Whether {@code instruction} is a CONCAT (the hook's fast test). */
    public static boolean isConcat(int instruction) {
        return (instruction & 0x3f) == Lua.OP_CONCAT;
    }

    /** Rewrites the operands R(B)..R(C) of the CONCAT {@code instruction} in {@code stack}. */
    public static void prepare(LuaValue[] stack, int instruction) {
        int b = instruction >>> 23;
        int c = (instruction >>> 14) & 0x1ff;
        if (stack == null || c >= stack.length) {
            return;
        }
        boolean rewrite = false;
        for (int r = b; r <= c; r++) {
            LuaValue v = stack[r];
            int type = v.type();
            if (type == LuaValue.TNUMBER) {
                rewrite |= !v.isinttype() && !LuaArgs.fitsLong(v.todouble());
            } else if (type != LuaValue.TSTRING) {
                return;
            }
        }
        if (rewrite) {
            for (int r = b; r <= c; r++) {
                LuaValue v = stack[r];
                if (v.type() == LuaValue.TNUMBER && !v.isinttype()) {
                    stack[r] = LuaValue.valueOf(NumberText.format(v.todouble()));
                }
            }
        }
    }
}
