package io.luagate.plugin.lua.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * The errors of Lua operations (call, index, arithmetic, concatenation, comparison, length) in
 * Lua 5.3's words, with the variable involved: {@code attempt to call a nil value (field 'x')}
 * where LuaJ says {@code attempt to call nil}. LuaJ's text tells which operation failed; the
 * instruction the frame stopped at and its registers tell on what ({@code ldebug.c}'s
 * {@code luaG_typeerror}, {@code luaG_concaterror}, {@code luaG_opinterror}, {@code luaG_ordererror}).
 */
final class VmErrors {

    private static final LuaValue NAME = LuaValue.valueOf("__name");

    private VmErrors() {
    }

    /**
     * Lua 5.3's message for LuaJ's {@code message} raised at instruction {@code pc} of {@code p}, or
     * {@code null} when it is not an operation's error (an {@code error} call, a library's message).
     */
    static String reword(String message, Prototype p, int pc, LuaValue[] registers) {
        String specific = specific(message, p, pc, registers);
        return specific != null ? specific : generic(message);
    }

    /**
     * Throws the error of a tail call to a value that cannot be called. LuaJ makes a tail call
     * after the calling frame is gone (in its caller, or in Java), where the error would name
     * neither the line nor the variable; Lua 5.3 reports it at the {@code return}. Run by the
     * hook before each TAILCALL instruction.
     */
    static void checkTailCall(LuaValue[] registers, int instruction) {
        LuaValue f = registers[Lua.GETARG_A(instruction)];
        if (!callable(f)) {
            throw new LuaError("attempt to call " + f.typename());
        }
    }

    static boolean isTailCall(int instruction) {
        return (instruction & 0x3f) == Lua.OP_TAILCALL;
    }

    private static String specific(String message, Prototype p, int pc, LuaValue[] registers) {
        if (p == null || registers == null || pc < 0 || pc >= p.code.length || !message.startsWith("attempt to ")
                && !message.startsWith("index expected, got ") && !message.startsWith("table index ")) {
            return null;
        }
        int i = p.code[pc];
        int op = Lua.GET_OPCODE(i);
        int a = Lua.GETARG_A(i);
        int b = Lua.GETARG_B(i);
        int c = Lua.GETARG_C(i);
        if (message.startsWith("attempt to call ")) {
            if (op == Lua.OP_CALL || op == Lua.OP_TAILCALL) {
                LuaValue f = registers[a];
                // A callable value failed inside: the message came from the function it called.
                return callable(f) ? null : "attempt to call a " + typeName(f) + " value" + ObjectNames.of(p, pc, a);
            }
            if (op == Lua.OP_TFORCALL) {
                return "attempt to call a " + typeName(registers[a]) + " value";
            }
            return null;
        }
        if (message.startsWith("attempt to index") || message.startsWith("index expected, got ")) {
            return switch (op) {
                case Lua.OP_GETTABLE, Lua.OP_SELF -> index(registers[b], ObjectNames.of(p, pc, b), "__index");
                case Lua.OP_SETTABLE -> index(registers[a], ObjectNames.of(p, pc, a), "__newindex");
                case Lua.OP_GETTABUP -> upvalueIndex(message, ObjectNames.upvalue(p, b));
                case Lua.OP_SETTABUP -> upvalueIndex(message, ObjectNames.upvalue(p, a));
                default -> null;
            };
        }
        if (message.startsWith("table index ") && (op == Lua.OP_SETTABLE || op == Lua.OP_SETTABUP)) {
            LuaValue key = rk(p, registers, b);
            return key.isnil() ? "table index is nil" : key.isnumber() && Double.isNaN(key.todouble()) ? "table index is NaN" : null;
        }
        if (message.startsWith("attempt to perform arithmetic")) {
            if (op >= Lua.OP_ADD && op <= Lua.OP_POW) {
                int culprit = rk(p, registers, b).tonumber().isnil() ? b : c;
                return "attempt to perform arithmetic on a " + typeName(rk(p, registers, culprit)) + " value"
                        + (Lua.ISK(culprit) ? "" : ObjectNames.of(p, pc, culprit));
            }
            if (op == Lua.OP_UNM) {
                return "attempt to perform arithmetic on a " + typeName(registers[b]) + " value" + ObjectNames.of(p, pc, b);
            }
            return null;
        }
        if (message.startsWith("attempt to concatenate") && op == Lua.OP_CONCAT) {
            int culprit = concatCulprit(registers, b, c);
            return culprit < 0 ? null
                    : "attempt to concatenate a " + typeName(registers[culprit]) + " value" + ObjectNames.of(p, pc, culprit);
        }
        if (message.startsWith("attempt to compare") && (op == Lua.OP_LT || op == Lua.OP_LE)) {
            String left = typeName(rk(p, registers, b));
            String right = typeName(rk(p, registers, c));
            return left.equals(right) ? "attempt to compare two " + left + " values" : "attempt to compare " + left + " with " + right;
        }
        if (message.startsWith("attempt to get length") && op == Lua.OP_LEN) {
            return "attempt to get length of a " + typeName(registers[b]) + " value" + ObjectNames.of(p, pc, b);
        }
        return null;
    }

    private static final Pattern CALL = Pattern.compile("attempt to call (\\w+)");
    private static final Pattern INDEX = Pattern.compile("attempt to index \\? \\(a (\\w+) value\\)|index expected, got (\\w+)");
    private static final Pattern ARITH = Pattern.compile("attempt to perform arithmetic (?:__\\w+ )?on (\\w+)(?: and (\\w+))?");
    private static final Pattern CONCAT = Pattern.compile("attempt to concatenate (\\w+) and (\\w+)");
    private static final Pattern COMPARE = Pattern.compile("attempt to compare (?:__\\w+ on )?(\\w+) (?:with|and) (\\w+)(?: expected, got \\w+)?");
    private static final Pattern LENGTH = Pattern.compile("attempt to get length of (\\w+)");

    /**
     * LuaJ's text alone in Lua 5.3's words, when the frame cannot tell the variable (an operation
     * inside a library function, a metamethod chain): the type Lua names, without the name.
     */
    static String generic(String message) {
        Matcher m;
        if ((m = CALL.matcher(message)).matches()) {
            return "attempt to call a " + m.group(1) + " value";
        }
        if ((m = INDEX.matcher(message)).matches()) {
            return "attempt to index a " + (m.group(1) != null ? m.group(1) : m.group(2)) + " value";
        }
        if ((m = ARITH.matcher(message)).matches()) {
            String culprit = m.group(2) == null || !m.group(1).equals("number") ? m.group(1) : m.group(2);
            return "attempt to perform arithmetic on a " + culprit + " value";
        }
        if ((m = CONCAT.matcher(message)).matches()) {
            String culprit = m.group(1).equals("string") || m.group(1).equals("number") ? m.group(2) : m.group(1);
            return "attempt to concatenate a " + culprit + " value";
        }
        if ((m = COMPARE.matcher(message)).matches()) {
            // LuaJ names the operands right to left.
            return m.group(1).equals(m.group(2)) ? "attempt to compare two " + m.group(1) + " values"
                    : "attempt to compare " + m.group(2) + " with " + m.group(1);
        }
        if ((m = LENGTH.matcher(message)).matches()) {
            return "attempt to get length of a " + m.group(1) + " value";
        }
        return null;
    }

    /** A value that {@code x()} would call: a function, or one with a {@code __call} metamethod. */
    private static boolean callable(LuaValue f) {
        return f.isfunction() || !f.metatag(LuaValue.CALL).isnil();
    }

    /** Indexing {@code value} failed: it is to blame when it cannot be indexed itself, else a value down its {@code __index} chain. */
    private static String index(LuaValue value, String info, String event) {
        boolean indexable = value.istable() || !value.metatag(LuaValue.valueOf(event)).isnil();
        return indexable ? null : "attempt to index a " + typeName(value) + " value" + info;
    }

    /** An upvalue that could not be indexed: LuaJ names its type, the instruction names the upvalue. */
    private static String upvalueIndex(String message, String info) {
        String type = message.startsWith("index expected, got ") ? message.substring("index expected, got ".length())
                : message.replaceFirst("^attempt to index \\? \\(a (\\S+) value\\)$", "$1");
        return type.indexOf(' ') >= 0 || type.equals("table") ? null : "attempt to index a " + type + " value" + info;
    }

    /**
     * The register Lua 5.3 blames in {@code R(b) .. ... .. R(c)}: it concatenates from the right,
     * pairwise, and names the left operand of the first pair that fails unless that one is a string.
     */
    private static int concatCulprit(LuaValue[] registers, int b, int c) {
        if (!concatenable(registers[c])) {
            return c - 1 >= b && !concatenable(registers[c - 1]) ? c - 1 : c;
        }
        for (int r = c - 1; r >= b; r--) {
            if (!concatenable(registers[r])) {
                return r;
            }
        }
        return -1;
    }

    private static boolean concatenable(LuaValue v) {
        return v.isstring() || !v.metatag(LuaValue.CONCAT).isnil();
    }

    private static LuaValue rk(Prototype p, LuaValue[] registers, int x) {
        return Lua.ISK(x) ? p.k[Lua.INDEXK(x)] : registers[x];
    }

    /** {@code luaT_objtypename}: a table's or userdata's {@code __name} when it is a string. */
    static String typeName(LuaValue v) {
        if (v.istable() || v.isuserdata()) {
            LuaValue mt = v.getmetatable();
            if (mt != null && mt.istable()) {
                LuaValue name = mt.rawget(NAME);
                if (name.type() == LuaValue.TSTRING) {
                    return name.tojstring();
                }
            }
        }
        return v.typename();
    }
}
