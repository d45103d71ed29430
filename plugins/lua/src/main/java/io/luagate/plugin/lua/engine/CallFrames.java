package io.luagate.plugin.lua.engine;

import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * The Lua frames of one call or coroutine, kept by the hook: where each function is, for
 * tracebacks and for naming the line that writes a global. LuaJ's own call stack is per state and
 * synchronized; this one is per call and plain, since one thread runs a call at a time.
 */
final class CallFrames {

    private Prototype[] functions = new Prototype[16];
    private LuaValue[][] stacks = new LuaValue[16][];
    private int[] pcs = new int[16];
    private int depth;
    /** The innermost frame's instructions and registers ({@code null} in a Java function): the hook reads them per instruction. */
    int[] code;
    LuaValue[] stack;

    void push(Prototype function, LuaValue[] registers) {
        if (depth == functions.length) {
            functions = java.util.Arrays.copyOf(functions, depth * 2);
            stacks = java.util.Arrays.copyOf(stacks, depth * 2);
            pcs = java.util.Arrays.copyOf(pcs, depth * 2);
        }
        functions[depth] = function;
        stacks[depth] = registers;
        pcs[depth++] = 0;
        code = function == null ? null : function.code;
        stack = registers;
    }

    void pop() {
        if (depth > 0) {
            functions[--depth] = null;
            stacks[depth] = null;
        }
        Prototype top = depth > 0 ? functions[depth - 1] : null;
        code = top == null ? null : top.code;
        stack = depth > 0 ? stacks[depth - 1] : null;
    }

    void pc(int pc) {
        if (depth > 0) {
            pcs[depth - 1] = pc;
        }
    }

    /** {@code file:line} of the innermost Lua function, or {@code ?}. */
    String where() {
        for (int i = depth - 1; i >= 0; i--) {
            if (functions[i] != null) {
                return location(i);
            }
        }
        return "?";
    }

    /** The innermost frame's function when it is a Lua function, else {@code null}. */
    Prototype innermostFunction() {
        return depth > 0 ? functions[depth - 1] : null;
    }

    /** The instruction the innermost frame runs. */
    int innermostPc() {
        return depth > 0 ? pcs[depth - 1] : -1;
    }

    int depth() {
        return depth;
    }

    /**
     * {@code file:line:} of the frame {@code level} steps out (1: the innermost), or null when that
     * frame is a Java function or does not exist.
     */
    String where(int level) {
        int i = depth - level;
        return i >= 0 && i < depth && functions[i] != null ? location(i) + ":" : null;
    }

    /** Whether the innermost frame is a Lua function (LuaJ will run the error hook in it). */
    boolean inLua() {
        return depth > 0 && functions[depth - 1] != null;
    }

    private String location(int i) {
        Prototype p = functions[i];
        int[] lines = p.lineinfo;
        int pc = pcs[i];
        String line = lines != null && pc >= 0 && pc < lines.length ? String.valueOf(lines[pc]) : "?";
        return source(p) + ":" + line;
    }

    /** The chunk's name as Lua prints it: a file chunk is named {@code @file}. */
    private static String source(Prototype p) {
        String source = p.source.tojstring();
        return source.startsWith("@") ? source.substring(1) : source;
    }

    /** Lua's "stack traceback:" text, innermost first. */
    String traceback() {
        StringBuilder out = new StringBuilder("stack traceback:");
        for (int i = depth - 1; i >= 0; i--) {
            if (functions[i] == null) {
                out.append("\n\t[Java]: in ?");
            } else {
                Prototype p = functions[i];
                out.append("\n\t").append(location(i)).append(": in ")
                        .append(p.linedefined == 0 ? "main chunk" : "function <" + source(p) + ":" + p.linedefined + ">");
            }
        }
        return out.toString();
    }
}
