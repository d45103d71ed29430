package io.luagate.plugin.lua.lib;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Locale;
import java.util.TimeZone;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code os.date([format [, time]])} with C's strftime conversions in the "C" locale, {@code !}
 * for UTC and {@code *t}/{@code !*t} tables. LuaJ 3.0.1 only recognises exactly {@code "*t"}, so
 * {@code os.date("!*t")} returns a string, and several conversions are missing.
 *
 * <p>Local time is {@link TimeZone#getDefault()}, read on every call, like C's localtime which
 * follows TZ.
 */
final class OsDate extends VarArgFunction {

    private static final String NAME = "date";
    private static final LuaString DEFAULT_FORMAT = LuaValue.valueOf("%c");
    private static final String[] DAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    /** C99's strftime conversions, as LUA_STRFTIMEOPTIONS lists them: single letters, then E and O forms. */
    private static final String SINGLE = "aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%";
    private static final String E_FORMS = "cCxXyY";
    private static final String O_FORMS = "deHImMSuUVwWy";

    @Override
    public Varargs invoke(Varargs args) {
        LuaString fmt = LuaArgs.optString(args, 1, NAME, DEFAULT_FORMAT);
        long t = args.arg(2).isnil() ? Math.floorDiv(System.currentTimeMillis(), 1000L)
                : LuaArgs.checkInteger(args, 2, NAME);
        byte[] f = fmt.m_bytes;
        int p = fmt.m_offset;
        int end = p + fmt.m_length;
        boolean utc = p < end && f[p] == '!';
        if (utc) {
            p++;
        }
        ZonedDateTime z = toDateTime(t, utc);
        if (end - p == 2 && f[p] == '*' && f[p + 1] == 't') {
            LuaTable table = new LuaTable(0, 9);
            setAllFields(table, z);
            return table;
        }
        ByteSink out = new ByteSink(fmt.m_length + 16);
        StringBuilder sb = new StringBuilder(32);
        while (p < end) {
            int c = f[p++];
            if (c != '%') {
                out.add(c);
                continue;
            }
            int conv = p < end ? f[p] : -1;
            if ((conv == 'E' || conv == 'O') && p + 1 < end
                    && (conv == 'E' ? E_FORMS : O_FORMS).indexOf(f[p + 1]) >= 0) {
                conv = f[p + 1];
                p += 2;
            } else if (conv > 0 && conv != 'E' && conv != 'O' && SINGLE.indexOf(conv) >= 0) {
                p++;
            } else {
                String rest = new String(f, p, end - p, java.nio.charset.StandardCharsets.ISO_8859_1);
                throw LuaArgs.argError(1, NAME, "invalid conversion specifier '%" + rest + "'");
            }
            sb.setLength(0);
            strftime(sb, conv, z, utc);
            out.addAscii(sb);
        }
        return out.toLuaString();
    }

    static ZonedDateTime toDateTime(long t, boolean utc) {
        try {
            return Instant.ofEpochSecond(t).atZone(utc ? ZoneOffset.UTC : ZoneId.systemDefault());
        } catch (DateTimeException e) {
            throw new LuaError("time result cannot be represented in this installation");
        }
    }

    /** The nine fields of a {@code *t} table; also how {@code os.time} writes back normalised fields. */
    static void setAllFields(LuaTable t, ZonedDateTime z) {
        t.set("year", LuaArgs.integer(z.getYear()));
        t.set("month", LuaValue.valueOf(z.getMonthValue()));
        t.set("day", LuaValue.valueOf(z.getDayOfMonth()));
        t.set("hour", LuaValue.valueOf(z.getHour()));
        t.set("min", LuaValue.valueOf(z.getMinute()));
        t.set("sec", LuaValue.valueOf(z.getSecond()));
        t.set("yday", LuaValue.valueOf(z.getDayOfYear()));
        t.set("wday", LuaValue.valueOf(z.getDayOfWeek().getValue() % 7 + 1));
        t.set("isdst", LuaValue.valueOf(isDst(z)));
    }

    private static boolean isDst(ZonedDateTime z) {
        return z.getZone().getRules().isDaylightSavings(z.toInstant());
    }

    private static void strftime(StringBuilder sb, int conv, ZonedDateTime z, boolean utc) {
        int wday = z.getDayOfWeek().getValue() % 7;
        int yday = z.getDayOfYear() - 1;
        switch (conv) {
            case 'a' -> sb.append(DAYS[wday], 0, 3);
            case 'A' -> sb.append(DAYS[wday]);
            case 'b', 'h' -> sb.append(MONTHS[z.getMonthValue() - 1], 0, 3);
            case 'B' -> sb.append(MONTHS[z.getMonthValue() - 1]);
            case 'c' -> {
                strftime(sb, 'a', z, utc);
                sb.append(' ');
                strftime(sb, 'b', z, utc);
                sb.append(' ');
                strftime(sb, 'e', z, utc);
                sb.append(' ');
                strftime(sb, 'T', z, utc);
                sb.append(' ');
                sb.append(z.getYear());
            }
            case 'C' -> two(sb, Math.floorDiv(z.getYear(), 100));
            case 'd' -> two(sb, z.getDayOfMonth());
            case 'D', 'x' -> {
                two(sb, z.getMonthValue());
                sb.append('/');
                two(sb, z.getDayOfMonth());
                sb.append('/');
                two(sb, Math.floorMod(z.getYear(), 100));
            }
            case 'e' -> {
                if (z.getDayOfMonth() < 10) {
                    sb.append(' ');
                }
                sb.append(z.getDayOfMonth());
            }
            case 'F' -> {
                sb.append(z.getYear()).append('-');
                two(sb, z.getMonthValue());
                sb.append('-');
                two(sb, z.getDayOfMonth());
            }
            case 'g' -> two(sb, Math.floorMod(z.get(IsoFields.WEEK_BASED_YEAR), 100));
            case 'G' -> sb.append(z.get(IsoFields.WEEK_BASED_YEAR));
            case 'H' -> two(sb, z.getHour());
            case 'I' -> two(sb, z.getHour() % 12 == 0 ? 12 : z.getHour() % 12);
            case 'j' -> {
                int d = yday + 1;
                sb.append(d < 10 ? "00" : d < 100 ? "0" : "").append(d);
            }
            case 'm' -> two(sb, z.getMonthValue());
            case 'M' -> two(sb, z.getMinute());
            case 'n' -> sb.append('\n');
            case 'p' -> sb.append(z.getHour() < 12 ? "AM" : "PM");
            case 'r' -> {
                strftime(sb, 'I', z, utc);
                sb.append(':');
                two(sb, z.getMinute());
                sb.append(':');
                two(sb, z.getSecond());
                sb.append(' ');
                strftime(sb, 'p', z, utc);
            }
            case 'R' -> {
                two(sb, z.getHour());
                sb.append(':');
                two(sb, z.getMinute());
            }
            case 'S' -> two(sb, z.getSecond());
            case 't' -> sb.append('\t');
            case 'T', 'X' -> {
                two(sb, z.getHour());
                sb.append(':');
                two(sb, z.getMinute());
                sb.append(':');
                two(sb, z.getSecond());
            }
            case 'u' -> sb.append(z.getDayOfWeek().getValue());
            case 'U' -> two(sb, (yday + 7 - wday) / 7);
            case 'V' -> two(sb, z.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case 'w' -> sb.append(wday);
            case 'W' -> two(sb, (yday + 7 - (wday + 6) % 7) / 7);
            case 'y' -> two(sb, Math.floorMod(z.getYear(), 100));
            case 'Y' -> sb.append(z.getYear());
            case 'z' -> {
                int off = z.getOffset().getTotalSeconds();
                sb.append(off < 0 ? '-' : '+');
                off = Math.abs(off) / 60;
                two(sb, off / 60);
                two(sb, off % 60);
            }
            // glibc's gmtime names its zone "GMT"; localtime uses the zone's abbreviation.
            case 'Z' -> sb.append(utc ? "GMT"
                    : TimeZone.getTimeZone(z.getZone()).getDisplayName(isDst(z), TimeZone.SHORT, Locale.US));
            default -> sb.append('%');
        }
    }

    private static void two(StringBuilder sb, int v) {
        if (v >= 0 && v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }
}
