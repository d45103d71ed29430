package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.spi.sample.ArgMask;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** The messages are HAProxy 2.6.12's for the same calls (method calls: {@code txn.c:field(...)}). */
class SampleArgsTest {

    /** A converter's call: self, the input, then the arguments. */
    private static Varargs converterCall(LuaValue... args) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.varargsOf(LuaValue.valueOf("in"), LuaValue.varargsOf(args)));
    }

    private static Varargs fetchCall(LuaValue... args) {
        return LuaValue.varargsOf(LuaValue.NIL, LuaValue.varargsOf(args));
    }

    private static String error(SampleArgs checks, Varargs call, int first) {
        return assertThrows(LuaError.class, () -> checks.words(call, first)).getMessage();
    }

    @Test
    void integersAndStringsAsDeclared() {
        SampleArgs field = new SampleArgs("field", ArgMask.of("2,SINT,STR,SINT"), 2);
        assertEquals(List.of("2", ",", "0"), field.words(converterCall(LuaValue.valueOf(2.0), LuaValue.valueOf(","),
                LuaValue.valueOf(2.5)), 3));
        assertEquals("bad argument #2 to 'field' (integer expected)",
                error(field, converterCall(LuaValue.valueOf(","), LuaValue.valueOf(2)), 3));
        assertEquals("bad argument #2 to 'field' (Mandatory argument expected)",
                error(field, converterCall(), 3));
        assertEquals("bad argument #3 to 'field' (Mandatory argument expected)",
                error(field, converterCall(LuaValue.valueOf(1)), 3));
        assertEquals("bad argument #5 to 'field' (Last argument expected)",
                error(field, converterCall(LuaValue.valueOf(1), LuaValue.valueOf(","), LuaValue.valueOf(1),
                        LuaValue.valueOf(1)), 3));
        // A boolean, nil or table where an integer is declared is 0, as lua_tointeger makes it.
        assertEquals(List.of("0", ",", "0"), field.words(converterCall(LuaValue.TRUE, LuaValue.valueOf(","),
                new LuaTable()), 3));
    }

    @Test
    void aNumberWhereAStringIsDeclaredFails() {
        SampleArgs hdr = new SampleArgs("req_hdr", ArgMask.of("0,STR,SINT"), 1);
        assertEquals("bad argument #1 to 'req_hdr' (unable to duplicate string arg)",
                error(hdr, fetchCall(LuaValue.valueOf(1)), 2));
        assertEquals(List.of("x-bin", "-1"), hdr.words(fetchCall(LuaValue.valueOf("x-bin"), LuaValue.valueOf(-1)), 2));
        assertEquals(List.of(), hdr.words(fetchCall(), 2));
        SampleArgs method = new SampleArgs("method", ArgMask.of("0"), 1);
        assertEquals("bad argument #1 to 'method' (Last argument expected)",
                error(method, fetchCall(LuaValue.valueOf("a")), 2));
    }

    @Test
    void otherTypesAsHaproxyChecksThem() {
        SampleArgs nbsrv = new SampleArgs("nbsrv", ArgMask.of("1,BE"), 1);
        assertEquals("bad argument #1 to 'nbsrv' (string expected)", error(nbsrv, fetchCall(LuaValue.valueOf(1)), 2));
        // No backend: HAProxy takes the current proxy only in a backend's rules; scripts run in a frontend's.
        assertEquals("bad argument #1 to 'nbsrv' (Mandatory argument expected)", error(nbsrv, fetchCall(), 2));
        SampleArgs ipmask = new SampleArgs("ipmask", ArgMask.of("1,MSK4,MSK6"), 2);
        assertEquals(List.of("8"), ipmask.words(converterCall(LuaValue.valueOf(8)), 3));
        assertEquals(List.of("255.0.0.0"), ipmask.words(converterCall(LuaValue.valueOf("255.0.0.0")), 3));
        SampleArgs map = new SampleArgs("m", new ArgMask(1, List.of(ArgMask.Type.MAP)), 2);
        assertEquals("bad argument #2 to 'm' (type not yet supported)", error(map, converterCall(LuaValue.valueOf("f")), 3));
    }

    @Test
    void bytesAboveAsciiReachTheKeywordUnchanged() {
        SampleArgs hdr = new SampleArgs("req_hdr", ArgMask.of("0,STR,SINT"), 1);
        assertEquals(List.of("x\u00e9\u00ff"), hdr.words(fetchCall(LuaString.valueOf(new byte[] {'x', (byte) 0xE9, (byte) 0xFF})), 2));
    }

    @Test
    void scriptKeywordsTakeUpToTwelveStringsAndIgnoreTheRest() {
        SampleArgs lua = new SampleArgs("lua_f", SampleArgs.SCRIPT_KEYWORD, 1);
        LuaValue[] many = new LuaValue[14];
        for (int i = 0; i < many.length; i++) {
            many[i] = LuaValue.valueOf("a" + i);
        }
        assertEquals(12, lua.words(fetchCall(many), 2).size());
        // Without a declaration, nothing to check: words as Lua's tostring writes them.
        SampleArgs free = new SampleArgs("x", null, 1);
        assertEquals(List.of("1", "true"), free.words(fetchCall(LuaValue.valueOf(1), LuaValue.TRUE), 2));
    }
}
