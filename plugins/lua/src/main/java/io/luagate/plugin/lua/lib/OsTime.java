package io.luagate.plugin.lua.lib;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code os.time([t])} and {@code os.difftime(t2, t1)} of Lua 5.3. LuaJ's {@code os.time()}
 * returns milliseconds as a fraction (1.7e9 plus change), does not write the normalised fields
 * back into the table, and its {@code difftime} accepts fractional times 5.3 refuses.
 */
final class OsTime {

    /** 5.3's L_MAXDATEFIELD (INT_MAX / 2): larger fields are refused before mktime. */
    private static final long MAX_DATE_FIELD = Integer.MAX_VALUE / 2;

    private OsTime() {
    }

    static final class Time extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue a = args.arg1();
            if (a.isnil()) {
                return LuaArgs.integer(Math.floorDiv(System.currentTimeMillis(), 1000L));
            }
            if (!a.istable()) {
                throw LuaArgs.typeError(args, 1, "time", "table");
            }
            LuaTable t = a.checktable();
            long sec = field(t, "sec", 0);
            long min = field(t, "min", 0);
            long hour = field(t, "hour", 12);
            long day = field(t, "day", -1);
            long month = field(t, "month", -1);
            long year = field(t, "year", -1);
            LuaValue dst = t.get("isdst");
            ZoneId zone = ZoneId.systemDefault();
            ZonedDateTime z;
            try {
                // mktime's normalisation: months carry into years first, then days, hours... are added.
                LocalDateTime ldt = LocalDateTime.of((int) year, 1, 1, 0, 0).plusMonths(month - 1)
                        .plusDays(day - 1).plusHours(hour).plusMinutes(min).plusSeconds(sec);
                z = ZonedDateTime.ofLocal(ldt, zone, null);
                if (!dst.isnil()) {
                    boolean wantDst = dst.toboolean();
                    boolean isDst = zone.getRules().isDaylightSavings(z.toInstant());
                    // mktime with an explicit tm_isdst reads the clock time in that regime.
                    if (wantDst && !isDst) {
                        z = z.minusHours(1);
                    } else if (!wantDst && isDst) {
                        z = z.plusSeconds(zone.getRules().getDaylightSavings(z.toInstant()).getSeconds());
                    }
                }
            } catch (DateTimeException | ArithmeticException e) {
                throw new LuaError("time result cannot be represented in this installation");
            }
            OsDate.setAllFields(t, z);
            return LuaArgs.integer(z.toEpochSecond());
        }

        private static long field(LuaTable t, String key, long def) {
            LuaValue v = t.get(key);
            if (!LuaArgs.isInteger(v)) {
                if (!v.isnil()) {
                    throw new LuaError("field '" + key + "' is not an integer");
                }
                if (def < 0) {
                    throw new LuaError("field '" + key + "' missing in date table");
                }
                return def;
            }
            long r = (long) v.tonumber().todouble();
            if (r < -MAX_DATE_FIELD || r > MAX_DATE_FIELD) {
                throw new LuaError("field '" + key + "' is out-of-bound");
            }
            return r;
        }
    }

    static final class DiffTime extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            long t2 = LuaArgs.checkInteger(args, 1, "difftime");
            long t1 = LuaArgs.checkInteger(args, 2, "difftime");
            return LuaValue.valueOf((double) t2 - (double) t1);
        }
    }
}
