package io.luagate.plugin.lua.lib;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.luaj.vm2.lib.jse.JseOsLib;

/** Builds sandbox-like globals with {@link Lua53Library} installed and runs expressions in them. */
final class LuaHarness {

    private LuaHarness() {
    }

    static Globals globals() {
        Globals g = new Globals();
        g.load(new JseBaseLib());
        g.load(new PackageLib());
        g.load(new Bit32Lib());
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        // Like the sandbox: an os table with only LuaJ's harmless functions, copied from a throwaway state.
        Globals scratch = new Globals();
        scratch.load(new JseBaseLib());
        scratch.load(new PackageLib());
        scratch.load(new JseOsLib());
        LuaTable os = new LuaTable();
        for (String name : new String[] {"time", "clock", "date", "difftime"}) {
            os.set(name, scratch.get("os").get(name));
        }
        g.set("os", os);
        LoadState.install(g);
        LuaC.install(g);
        Lua53Library.install(g);
        // The string metatable is JVM-wide (the first StringLib wins); method calls in these
        // tests must reach this state's string table. The caller restores the previous one.
        LuaTable mt = new LuaTable();
        mt.set(LuaValue.INDEX, g.get("string"));
        LuaString.s_metatable = mt;
        return g;
    }

    /** Source as bytes (Latin-1), so "\xff" in a test's Java literal is one byte, as in C Lua. */
    static Varargs run(Globals g, String code) {
        byte[] src = code.getBytes(StandardCharsets.ISO_8859_1);
        return g.load(new ByteArrayInputStream(src), "=case", "t", g).invoke();
    }

    /**
     * Results in the generator's notation: {@code s:} string, {@code n:} number with an integer
     * value, {@code f:} other number, {@code nil}/{@code true}/{@code false}, or {@code error:}
     * and the message without its position.
     */
    static List<String> eval(Globals g, String expr) {
        List<String> out = new ArrayList<>();
        try {
            Varargs r = run(g, "return " + expr);
            for (int i = 1; i <= r.narg(); i++) {
                out.add(ser(r.arg(i)));
            }
        } catch (LuaError e) {
            out.add("error:" + stripPosition(e.getMessage()));
        }
        return out;
    }

    static String stripPosition(String msg) {
        // LuaJ writes "case:1 msg", or "=case:1 msg" for errors raised in a for iterator.
        return msg.replaceFirst("^=?case:\\d+:? ", "");
    }

    static String ser(LuaValue v) {
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.strvalue();
                return "s:" + new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
            }
            case LuaValue.TNUMBER -> {
                double d = v.todouble();
                if (d >= -0x1p63 && d < 0x1p63 && d == Math.floor(d)) {
                    return "n:" + (long) d;
                }
                return "f:" + d;
            }
            case LuaValue.TNIL, LuaValue.TBOOLEAN -> {
                return v.tojstring();
            }
            default -> {
                return v.typename();
            }
        }
    }

    /** Lua 5.3 writes floats as C's %a ("0x1.8p+1", "-nan"); Java compares their values. */
    static String canonical(String expected) {
        if (!expected.startsWith("f:")) {
            return expected;
        }
        String x = expected.substring(2);
        double d = switch (x) {
            case "nan", "-nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(x);
        };
        return "f:" + d;
    }
}
