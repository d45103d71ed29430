package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.lib.LuaArgs;
import io.luagate.spi.sample.ArgMask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The arguments of one {@code txn.f}/{@code txn.c} method, typed and checked as HAProxy's bridge
 * does ({@code hlua_lua2arg} then {@code hlua_lua2arg_check}): a number or a boolean is an integer
 * ({@code lua_tointeger}: a boolean and any inexact number are 0), a string is a string, anything
 * else the integer 0; each must then be of the type the keyword declares, in order, with HAProxy's
 * messages. Arguments past the twelfth are ignored, as HAProxy ignores them. The checked
 * arguments reach the keyword's compiler as words, as a rule would write them.
 */
final class SampleArgs {

    /** HAProxy's {@code ARGM_NBARGS}: how many arguments a call passes on at most. */
    static final int MAX = 12;

    /** What HAProxy declares for the fetches and converters scripts register: up to 12 optional strings. */
    static final ArgMask SCRIPT_KEYWORD = new ArgMask(0, Collections.nCopies(MAX, ArgMask.Type.STR));

    private final String function;
    private final ArgMask mask;
    private final int position;

    /**
     * @param function the method's name, for messages
     * @param mask     what the keyword declares; {@code null}: nothing to check
     * @param position the argument number of the first keyword argument in messages (HAProxy's,
     *                 for a method call: 1 for a fetch, 2 for a converter after its input)
     */
    SampleArgs(String function, ArgMask mask, int position) {
        this.function = function;
        this.mask = mask;
        this.position = position;
    }

    /** How many arguments from {@code first} on are passed on. */
    int count(Varargs args, int first) {
        return Math.max(0, Math.min(args.narg() - first + 1, MAX));
    }

    /** The arguments from {@code first} on as words, once checked; a {@link LuaError} as HAProxy's when one is wrong. */
    List<String> words(Varargs args, int first) {
        int count = count(args, first);
        List<String> words = new ArrayList<>(count);
        if (mask == null) {
            for (int i = 0; i < count; i++) {
                words.add(Values.anyText(args.arg(first + i)));
            }
            return words;
        }
        List<ArgMask.Type> types = mask.types();
        for (int idx = 0; ; idx++) {
            if (idx == count) {
                if (idx < mask.mandatory() && (idx > 0 || !defaultsToCurrent(types.get(0)))) {
                    throw error(idx, "Mandatory argument expected");
                }
                return words;
            }
            if (idx >= types.size()) {
                throw error(idx, "Last argument expected");
            }
            words.add(word(args.arg(first + idx), types.get(idx), idx));
        }
    }

    /**
     * A missing first frontend or table argument means the current proxy's. A backend one would
     * too when the rules that run are a backend's; luagate's scripts cannot tell, and take it as
     * HAProxy does for a frontend's rules (actions, services): mandatory.
     */
    private static boolean defaultsToCurrent(ArgMask.Type type) {
        return type == ArgMask.Type.FE || type == ArgMask.Type.TAB;
    }

    private String word(LuaValue value, ArgMask.Type type, int idx) {
        boolean string = value.type() == LuaValue.TSTRING;
        return switch (type) {
            case SINT, TIME, SIZE -> {
                if (string) {
                    throw error(idx, "integer expected");
                }
                yield Long.toString(integer(value));
            }
            // The integer's storage read as a string: HAProxy's chunk_dup() finds none.
            case STR -> {
                if (!string) {
                    throw error(idx, "unable to duplicate string arg");
                }
                yield Values.text(value);
            }
            case MSK4, MSK6 -> string ? Values.text(value) : Long.toString(integer(value));
            case MAP -> throw error(idx, "type not yet supported");
            default -> {
                if (!string) {
                    throw error(idx, "string expected");
                }
                yield Values.text(value);
            }
        };
    }

    /** hlua_lua2arg's integer: lua_tointeger of a number, 0 for a boolean and for anything else. */
    private static long integer(LuaValue value) {
        return value.type() == LuaValue.TNUMBER ? Values.toInteger(value.todouble()) : 0;
    }

    private LuaError error(int idx, String message) {
        return LuaArgs.argError(position + idx, function, message);
    }
}
