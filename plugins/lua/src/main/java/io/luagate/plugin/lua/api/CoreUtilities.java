package io.luagate.plugin.lua.api;

import io.luagate.plugin.lua.lib.LuaArgs;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The {@code core} functions that need nothing from the stream or the state: the HTTP date
 * parsers ({@code http_date}, {@code imf_date}, {@code rfc850_date}, {@code asctime_date}), the
 * network helpers ({@code parse_addr}, {@code match_addr}) and {@code set_nice}.
 */
final class CoreUtilities {

    private interface DateParser {
        long parse(byte[] bytes, int offset, int length);
    }

    private CoreUtilities() {
    }

    static void install(LuaTable core) {
        date(core, "http_date", HttpDates::http);
        date(core, "imf_date", HttpDates::imf);
        date(core, "rfc850_date", HttpDates::rfc850);
        date(core, "asctime_date", HttpDates::asctime);
        core.set("parse_addr", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaString text = LuaArgs.checkString(args, 1, "parse_addr");
                NetworkAddress network = NetworkAddress.parse(text.m_bytes, text.m_offset, text.m_length);
                // Opaque, as HAProxy's raw userdata: only match_addr looks inside.
                return network == null ? NIL : new LuaUserdata(network);
            }
        });
        core.set("match_addr", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return valueOf(args.arg(1).touserdata() instanceof NetworkAddress a
                        && args.arg(2).touserdata() instanceof NetworkAddress b
                        && a.overlaps(b));
            }
        });
        core.set("set_nice", new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                // HAProxy sets the running task's nice (clamped to -1024..1024); luagate's
                // streams and tasks have no nice, so the value is checked and dropped.
                ApiArgs.count(args, 1, "set_nice");
                LuaArgs.checkInteger(args, 1, "set_nice");
                return NONE;
            }
        });
    }

    private static void date(LuaTable core, String function, DateParser parser) {
        // (not "name": LuaJ's LibFunction has a field of that name, which would win inside the class)
        core.set(function, new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                LuaString text = LuaArgs.checkString(args, 1, function);
                long epoch = parser.parse(text.m_bytes, text.m_offset, text.m_length);
                return epoch == HttpDates.INVALID ? NIL : LuaArgs.integer(epoch);
            }
        });
    }
}
