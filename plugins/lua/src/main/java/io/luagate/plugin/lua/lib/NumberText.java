package io.luagate.plugin.lua.lib;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Numbers as Lua 5.3 writes them ({@code tostring}, {@code print}, {@code %s}, {@code table.concat},
 * gsub replacements). LuaJ keeps every number as a double and writes non-integral ones with Java's
 * float conversion ({@code 1/3} as {@code 0.33333334}, {@code 1e100} as {@code Infinity}); Lua 5.3
 * uses {@code %.14g}.
 *
 * <p>LuaJ has no integer subtype, so whether a value was an integer or a float in 5.3 is guessed:
 * an integral value inside the 64-bit range is written as an integer ({@code 3}, {@code 1e15} as
 * {@code 1000000000000000}), anything else with {@code %.14g} ({@code 0.33333333333333},
 * {@code 1e+100}, {@code 9.2233720368548e+18}, {@code inf}). Integer results of 5.3 (counters,
 * lengths, timestamps) thus print exactly; integral floats print without 5.3's {@code .0}
 * ({@code 100/2} is {@code 50}, 5.3 says {@code 50.0}).
 */
public final class NumberText {

    private NumberText() {
    }

    public static String format(double d) {
        if (d == 0 && Double.doubleToRawLongBits(d) != 0) {
            return "-0.0";
        }
        if (LuaArgs.fitsLong(d)) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d)) {
            // Lua 5.3 on x86-64 Linux prints the 0/0 NaN as "-nan"; LuaJ's NaNs carry no reliable sign.
            return "-nan";
        }
        ByteSink out = new ByteSink(24);
        PrintfNumbers.floating(out, 'g', 0, -1, 14, d);
        return out.toLuaString().tojstring();
    }

    /** Strings as they are, numbers in Lua 5.3's text; other values are the caller's concern. */
    public static LuaString toLuaString(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            if (v.isinttype()) {
                return v.strvalue();
            }
            return LuaValue.valueOf(format(v.todouble()));
        }
        return v.strvalue();
    }
}
