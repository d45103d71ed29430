package io.luagate.plugin.lua.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** {@code core.parse_addr} and {@code core.match_addr} from real scripts; also {@code core.set_nice}. */
class NetworkAddressTest {

    private static final String SCRIPT = """
            local office = core.parse_addr("192.168.1.0/24")
            assert(type(office) == "userdata")
            core.register_fetches("parse_type", function(_, s) return type(core.parse_addr(s)) end)
            core.register_fetches("parse", function(_, ...) return core.parse_addr(...) end)
            core.register_fetches("match", function(_, a, b)
              local x, y = core.parse_addr(a), core.parse_addr(b)
              assert(x and y, "both parse")
              return core.match_addr(x, y), core.match_addr(y, x)
            end)
            core.register_fetches("office", function(_, s) return core.match_addr(office, core.parse_addr(s)) end)
            core.register_fetches("match_raw", function(_, ...) return core.match_addr(...) end)
            core.register_fetches("match_regex", function()
              local _, re = Regex.new("x", true)
              return core.match_addr(re, office)
            end)
            core.register_fetches("nice", function(_, ...) return core.set_nice(...) end)
            """;

    @TempDir
    Path dir;

    private final EventLoop loop = new DefaultEventLoop();
    private ScriptRunner lua;

    @BeforeEach
    void load() throws Exception {
        lua = new ScriptRunner(dir, loop, SCRIPT);
    }

    @AfterEach
    void stop() throws Exception {
        if (lua != null) {
            lua.stop();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private boolean matches(String a, String b) throws Exception {
        var r = lua.values("match", LuaValue.valueOf(a), LuaValue.valueOf(b));
        assertEquals(r.arg1(), r.arg(2), () -> "match_addr(" + a + ", " + b + ") depends on the order");
        assertTrue(r.arg1().isboolean());
        return r.arg1().toboolean();
    }

    private void assertParses(String text) throws Exception {
        assertEquals("userdata", lua.values("parse_type", LuaValue.valueOf(text)).arg1().tojstring(), text);
    }

    private void assertRefused(String text) throws Exception {
        assertEquals("nil", lua.values("parse_type", LuaValue.valueOf(text)).arg1().tojstring(), text);
    }

    @Test
    void ipv4NetworksWithPrefixOrDottedMasks() throws Exception {
        assertTrue(matches("192.168.1.0/24", "192.168.1.77"));
        assertTrue(!matches("192.168.1.0/24", "192.168.2.1"));
        assertTrue(matches("10.0.0.0/255.0.0.0", "10.200.3.4"));
        assertTrue(!matches("10.0.0.0/255.0.0.0", "11.0.0.1"));
        assertTrue(matches("10.0.0.0/8", "10.1.0.0/16"), "overlapping networks");
        assertTrue(!matches("10.1.0.0/16", "10.2.0.0/16"));
        assertTrue(matches("0.0.0.0/0", "203.0.113.9"));
        assertTrue(matches("203.0.113.9", "203.0.113.9/32"));
        assertTrue(!matches("203.0.113.9", "203.0.113.10"));
        // any dotted mask, applied bit by bit as HAProxy does
        assertTrue(matches("10.0.0.5/255.0.0.255", "10.9.9.5"));
        assertTrue(!matches("10.0.0.5/255.0.0.255", "10.9.9.6"));
        // a prefix length as C's strtol reads it
        assertTrue(matches("10.0.0.0/ +8", "10.1.2.3"));
        assertTrue(matches("0.0.0.0/-0", "192.0.2.1"));
        assertTrue(lua.values("office", LuaValue.valueOf("192.168.1.200")).arg1().toboolean());
    }

    @Test
    void ipv6Networks() throws Exception {
        assertTrue(matches("2001:db8::/32", "2001:db8:ffff::1"));
        assertTrue(!matches("2001:db8::/32", "2001:db9::1"));
        assertTrue(matches("::1", "::1/128"));
        assertTrue(matches("::/0", "fe80::1"));
        assertTrue(matches("2001:DB8:0:0:0:0:0:1", "2001:db8::1"));
        assertTrue(matches("::ffff:10.0.0.0/104", "::ffff:10.9.8.7"));
        assertTrue(matches("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"));
        assertTrue(matches("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"));
        assertTrue(!matches("2001:db8::/127", "2001:db8::2"));
        assertTrue(matches("2001:db8::/126", "2001:db8::2"));
    }

    @Test
    void networksAreComparedAsWrittenLikeHaproxy() throws Exception {
        // HAProxy compares (ip1 & mask2) with (ip2 & mask1) and never clears a network's host bits:
        // a network written with host bits matches only addresses that carry the same ones.
        assertTrue(!matches("10.0.0.1/8", "10.0.0.1"));
        assertTrue(!matches("10.0.0.0/-0", "192.0.2.1"));
        assertTrue(matches("10.0.0.1/8", "10.9.9.9/8"));
        assertTrue(!matches("2001:db8::1/64", "2001:db8::1"));
    }

    @Test
    void familiesNeverMatchEachOther() throws Exception {
        assertTrue(!matches("10.0.0.1", "::ffff:10.0.0.1"));
        assertTrue(!matches("0.0.0.0/0", "::/0"));
    }

    @Test
    void malformedAddressesAndMasksGiveNil() throws Exception {
        assertParses("0.0.0.0");
        assertParses("255.255.255.255/255.255.255.255");
        assertParses("::");
        assertParses("::ffff:1.2.3.4/96");
        for (String bad : new String[] {"", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1", "10.0.0.1/24abc", "10.0.0.1/0x8",
                "10.0.0.256", "010.0.0.1", "10.0.0", "10.1", "10.0.0.1.", "1.2.3.4.5", "10.0.0.1/255.0.0.256",
                "10.0.0.1/8/8", "localhost", "example.com/24", " 10.0.0.1", "::1/129", "::1/", "::1/-1", "1:2:3:4:5:6:7:8:9",
                "1::2::3", ":1::2", "1:", "1::2:", "12345::1", "fe80::1%eth0", "[::1]", "::g", "1:2:3:4:5:6:7:8::",
                "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "::ffff:01.2.3.4"}) {
            assertRefused(bad);
        }
        // a C string ends at its first NUL
        assertEquals("userdata", lua.values("parse_type",
                LuaValue.valueOf("10.0.0.1\u0000garbage".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).arg1().tojstring());
    }

    @Test
    void matchAddrIsFalseOnAnythingButTwoParsedAddresses() throws Exception {
        LuaValue net = lua.values("parse", LuaValue.valueOf("10.0.0.0/8")).arg1();
        assertEquals(LuaValue.FALSE, lua.values("match_raw", LuaValue.valueOf("10.0.0.1"), LuaValue.valueOf("10.0.0.1")).arg1());
        assertEquals(LuaValue.FALSE, lua.values("match_raw", net).arg1());
        assertEquals(LuaValue.FALSE, lua.values("match_raw", LuaValue.NIL, net).arg1());
        assertEquals(LuaValue.FALSE, lua.values("match_raw", net, new LuaTable()).arg1());
        assertEquals(LuaValue.TRUE, lua.values("match_raw", net, net).arg1());
        assertEquals(LuaValue.FALSE, lua.values("match_regex").arg1());
        String error = lua.error("parse", new LuaTable());
        assertTrue(error.contains("bad argument #1 to 'parse_addr' (string expected, got table)"), error);
    }

    @Test
    void setNiceTakesOneIntegerAndChangesNothing() throws Exception {
        assertEquals(0, lua.values("nice", LuaValue.valueOf(5)).narg());
        assertEquals(0, lua.values("nice", LuaValue.valueOf(-5000)).narg());
        assertEquals(0, lua.values("nice", LuaValue.valueOf("12")).narg());
        String text = lua.error("nice", LuaValue.valueOf("x"));
        assertTrue(text.contains("bad argument #1 to 'set_nice' (number expected, got string)"), text);
        String fraction = lua.error("nice", LuaValue.valueOf(1.5));
        assertTrue(fraction.contains("bad argument #1 to 'set_nice' (number has no integer representation)"), fraction);
        String none = lua.error("nice");
        assertTrue(none.contains("'set_nice' needs 1 arguments"), none);
        String two = lua.error("nice", LuaValue.valueOf(1), LuaValue.valueOf(2));
        assertTrue(two.contains("'set_nice' needs 1 arguments"), two);
    }
}
