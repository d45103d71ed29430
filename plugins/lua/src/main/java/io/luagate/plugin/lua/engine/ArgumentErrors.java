package io.luagate.plugin.lua.engine;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * The argument errors of the library functions luagate takes from LuaJ ({@code table.sort},
 * {@code setmetatable}, {@code select}...) in Lua 5.3's words: {@code bad argument #2 to 'sort'
 * (function expected, got table)} where LuaJ says {@code bad argument: function expected, got
 * table}. The CALL instruction the frame stopped at names the function ({@code luaL_argerror});
 * LuaJ's text names the type, and the argument is the only one of that type, else Lua's number
 * cannot be known and LuaJ's text stays.
 */
final class ArgumentErrors {

    private static final Pattern NUMBERED = Pattern.compile("bad argument #(\\d+): (.*)", Pattern.DOTALL);
    private static final Pattern NAMED = Pattern.compile("bad argument #(\\d+) to '([^']*)' \\((.*)\\)", Pattern.DOTALL);
    private static final Pattern TYPED = Pattern.compile("bad argument: (.+) expected, got (\\w+)");

    private ArgumentErrors() {
    }

    static String reword(String message, Prototype p, int pc, LuaValue[] registers) {
        if (!message.startsWith("bad argument") || p == null || registers == null || pc < 0 || pc >= p.code.length) {
            return null;
        }
        int i = p.code[pc];
        int op = Lua.GET_OPCODE(i);
        int a = Lua.GETARG_A(i);
        // A Lua function's error is its own; a tail call LuaJ made in this frame's place is not this CALL's.
        if (op != Lua.OP_CALL || registers[a] instanceof LuaClosure) {
            return null;
        }
        String[] called = ObjectNames.called(p, pc, a);
        String name = called == null ? "?" : called[1];
        boolean method = called != null && called[0].equals("method");
        int number;
        String detail;
        Matcher m = NAMED.matcher(message);
        if (m.matches()) {
            // The string functions name themselves, but cannot know they were called as a method of a
            // string (the API's classes count their arguments as methods already).
            if (!method || !m.group(2).equals(name) || registers[a + 1].type() != LuaValue.TSTRING) {
                return null;
            }
            number = Integer.parseInt(m.group(1));
            detail = m.group(3);
        } else if ((m = NUMBERED.matcher(message)).matches()) {
            number = Integer.parseInt(m.group(1));
            detail = m.group(2);
        } else if ((m = TYPED.matcher(message)).matches()) {
            int b = Lua.GETARG_B(i);
            if (b == 0) {
                return null;
            }
            int count = b - 1;
            number = 0;
            for (int arg = 1; arg <= count; arg++) {
                if (registers[a + arg].typename().equals(m.group(2))) {
                    if (number != 0) {
                        return null;
                    }
                    number = arg;
                }
            }
            String got = m.group(2);
            if (number == 0 && got.equals("nil")) {
                number = count + 1;
                got = "no value";
            }
            if (number == 0) {
                return null;
            }
            detail = m.group(1) + " expected, got " + got;
        } else {
            return null;
        }
        if (method && --number == 0) {
            return "calling '" + name + "' on bad self (" + detail + ")";
        }
        return "bad argument #" + number + " to '" + name + "' (" + detail + ")";
    }
}
