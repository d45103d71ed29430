package io.luagate.plugin.lua.lib;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Our own replacements for LuaJ 3.0.1 standard-library functions that are broken, plus the Lua
 * 5.3 pieces HAProxy scripts use. LuaJ is used as released; nothing here patches its classes.
 *
 * <p>Touches only the {@code string}, {@code table}, {@code math} and {@code os} tables of the
 * given globals (each only if present), {@code tostring}, {@code pairs}, {@code ipairs} and
 * {@code error}, and
 * adds {@code utf8}. String methods reach these
 * functions through the string metatable, which the sandbox owns.
 */
public final class Lua53Library {

    private static final long DEFAULT_MAX_STRING_BYTES = 64L << 20;

    /** Process-wide, like HAProxy's tune.lua.maxmem; read on every guarded call. */
    private static volatile long maxStringBytes = DEFAULT_MAX_STRING_BYTES;

    private Lua53Library() {
    }

    /** Replaces LuaJ's broken functions and adds the Lua 5.3 pieces, in globals that already have
     *  LuaJ's base, string, table, math (and our own os table) loaded. */
    public static void install(Globals globals) {
        install(globals, LibraryLimits.NONE);
    }

    /**
     * As {@link #install(Globals)}, with the check that lets long library calls (pattern matching)
     * honour the running call's limits.
     */
    public static void install(Globals globals, LibraryLimits limits) {
        LuaValue string = globals.get("string");
        if (string.istable()) {
            string.set("find", new StringFind(true, limits));
            string.set("match", new StringFind(false, limits));
            string.set("gmatch", new StringGmatch(limits));
            string.set("gsub", new StringGsub(limits));
            string.set("len", new StringLen());
            string.set("format", new StringFormat());
            string.set("upper", new AsciiCase(true));
            string.set("lower", new AsciiCase(false));
            string.set("rep", new StringRep());
            string.set("pack", new StringPack.Pack());
            string.set("unpack", new StringPack.Unpack());
            string.set("packsize", new StringPack.PackSize());
        }
        LuaValue table = globals.get("table");
        if (table.istable()) {
            table.set("move", new TableMove());
            table.set("concat", new TableConcat());
            table.set("remove", new TableRemove());
            table.set("insert", new TableInsert());
        }
        LuaValue math = globals.get("math");
        if (math.istable()) {
            Lua53Math.install((LuaTable) math);
        }
        LuaValue os = globals.get("os");
        if (os.istable()) {
            os.set("date", new OsDate());
            os.set("time", new OsTime.Time());
            os.set("difftime", new OsTime.DiffTime());
        }
        globals.set("utf8", Utf8Library.create());
        globals.set("_VERSION", LuaValue.valueOf("Lua 5.3"));
        globals.set("tostring", new LuaToString());
        globals.set("tonumber", new ToNumber(globals.get("tonumber")));
        globals.set("pairs", new Lua53Pairs.Pairs(globals.get("next")));
        globals.set("ipairs", new Lua53Pairs.Ipairs());
        globals.set("error", new ErrorFunction(globals.get("error"), ErrorSite.NONE));
    }

    /** Makes {@code error} and {@code assert} raise as Lua 5.3 does, with the positions and hand-over of an engine. */
    public static void installError(Globals globals, ErrorSite site) {
        globals.set("error", new ErrorFunction(null, site));
        globals.set("assert", new AssertFunction(site));
    }

    /**
     * Caps strings built in one step ({@code string.rep}, {@code string.pack}): such an
     * allocation happens between two instruction-count ticks, so no memory check could stop it.
     */
    public static void setMaxStringBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxStringBytes must be >= 0: " + bytes);
        }
        maxStringBytes = bytes;
    }

    public static long maxStringBytes() {
        return maxStringBytes;
    }
}
