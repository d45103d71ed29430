package io.luagate.kernel.rule.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.TestTransaction;
import io.luagate.kernel.rule.conv.BuiltinConverters;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.expr.ExprParser;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.IpText;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code hdr_val}, {@code hdr_ip}, {@code cook_val}, {@code cook_cnt}, {@code base}, {@code base32}
 * and {@code url32}: every expected value is what HAProxy 2.6.12 answered to the same request
 * (its {@code http-request return ... lf-string} and {@code http-response set-header} echoing them).
 */
class TypedHeaderFetchesTest {

    private final ExprParser parser;

    TypedHeaderFetchesTest() {
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        BuiltinConverters.register(registry);
        parser = new ExprParser(new CompileContext(Path.of("."), new Maps(Path.of(".")), registry));
    }

    private Object eval(String expr, TestTransaction txn) throws RuleSyntaxException {
        return parser.parse(expr, 1).eval(txn);
    }

    private String ip(String expr, TestTransaction txn) throws RuleSyntaxException {
        Object value = eval(expr, txn);
        return value == null ? null : IpText.format(((InetAddress) value).getAddress());
    }

    @Test
    void numbersAddressesAndCookiesOfARequest() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/a/b?x=1", "Host", "example.com",
                "Cookie", "a=12; b=2; a=7x", "Cookie", "a=-3", "x-n", "42abc, 1 2", "x-ip", "1.2.3.4:80, ::1");
        assertEquals(3L, eval("req.cook_cnt(a)", txn));
        assertEquals(4L, eval("req.cook_cnt", txn));
        assertEquals(4L, eval("cook_cnt()", txn));
        assertEquals(-3L, eval("req.cook_val(a)", txn));
        // strl2ic: a blank is a "negative digit" ("1 2" is 1*10-16, *10+2).
        assertEquals(-58L, eval("req.hdr_val(x-n)", txn));
        assertEquals(42L, eval("hdr_val(x-n,1)", txn));
        assertEquals("::1", ip("req.hdr_ip(x-ip)", txn));
        assertEquals("1.2.3.4", ip("hdr_ip(x-ip,1)", txn));
        assertEquals(2306047707L, eval("base32", txn));
        assertEquals(33776310L, eval("url32", txn));
        assertEquals("example.com/a/b", eval("base", txn));
    }

    @Test
    void edgeValues() throws RuleSyntaxException {
        TestTransaction emptyHost = new TestTransaction("GET", "/", "Host", "");
        assertEquals(2118074832L, eval("base32", emptyHost));
        assertEquals(2118074832L, eval("url32", emptyHost));
        assertEquals("/", eval("base", emptyHost));
        assertEquals(0L, eval("req.cook_cnt(a)", emptyHost));
        assertNull(eval("req.cook_val(a)", emptyHost));
        assertNull(eval("req.hdr_val(x-n)", emptyHost));

        // base32 takes Host's first value, url32 the whole line; a cookie without '=' is none.
        TestTransaction list = new TestTransaction("GET", "/p", "Host", "a, b", "x-ip", "1.2.3.4:99999",
                "x-n", "-12", "Cookie", "a");
        assertEquals(1690518478L, eval("base32", list));
        assertEquals(2056818895L, eval("url32", list));
        assertEquals("a/p", eval("base", list));
        assertEquals(0L, eval("req.cook_cnt(a)", list));
        assertEquals(0L, eval("req.cook_cnt", list));
        assertEquals(-12L, eval("req.hdr_val(x-n)", list));
        assertNull(eval("req.hdr_ip(x-ip)", list), "port out of range");

        // Bytes above 0x7F hash as C's signed chars (UTF-8 of "é", then a lone 0xE9).
        TestTransaction utf8 = new TestTransaction("GET", "/p", "Host", "\u00c3\u00a9", "x-ip", "001.2.3.4",
                "Cookie", "=1; a=2");
        assertEquals(1689416582L, eval("base32", utf8));
        assertEquals(1689416582L, eval("url32", utf8));
        assertEquals(1L, eval("req.cook_cnt(a)", utf8));
        assertEquals(2L, eval("req.cook_cnt", utf8));
        assertEquals(2L, eval("req.cook_val(a)", utf8));
        assertEquals("1.2.3.4", ip("req.hdr_ip(x-ip)", utf8));
        assertEquals(3752888320L, eval("base32", new TestTransaction("GET", "/x", "Host", "\u00e9")));

        // Sent as "http://h.com:80/abs?q" with "Host: h.com:80", which HAProxy normalises to this first.
        TestTransaction absolute = new TestTransaction("GET", "http://h.com/abs?q", "Host", "h.com");
        assertEquals(3588414880L, eval("base32", absolute));
        assertEquals(2830963994L, eval("url32", absolute));
        assertEquals("h.com/abs", eval("base", absolute));
        TestTransaction star = new TestTransaction("OPTIONS", "*", "Host", "zz");
        assertEquals(3507944051L, eval("base32", star));
        assertEquals(3507944051L, eval("url32", star));
        assertEquals("zz", eval("base", star));

        TestTransaction mapped = new TestTransaction("GET", "/x", "Host", "zz", "x-ip", "1.2.3.4, junk",
                "x-ip", "::ffff:1.2.3.4", "x-n", "99999999999");
        assertEquals(688441373L, eval("base32", mapped));
        Object last = eval("req.hdr_ip(x-ip)", mapped);
        assertEquals(Inet6Address.class, last.getClass(), "an IPv4-mapped address stays IPv6");
        assertEquals("::ffff:1.2.3.4", ip("req.hdr_ip(x-ip)", mapped));
        assertEquals("1.2.3.4", ip("hdr_ip(x-ip,1)", mapped));
        assertNull(eval("hdr_ip(x-ip,2)", mapped));
        assertEquals(1215752191L, eval("req.hdr_val(x-n)", mapped), "32-bit wrap");

        TestTransaction junk = new TestTransaction("GET", "/x", "x-ip", "1.2.3.4", "x-ip", "junk", "x-n", "");
        assertNull(eval("req.hdr_ip(x-ip)", junk));
        assertEquals("1.2.3.4", ip("req.hdr_ip(x-ip,1)", junk));
        assertEquals(0L, eval("req.hdr_val(x-n)", junk));
        assertNull(eval("req.hdr_ip(x-ip)", new TestTransaction("GET", "/", "x-ip", "[::1]")));
        assertNull(eval("req.hdr_ip(x-ip)", new TestTransaction("GET", "/", "x-ip", "1.2.3.4:")));
    }

    @Test
    void responseCookiesAndHeaders() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/").respond(200, "set-cookie", "sid=9; Path=/; Max-Age=5",
                "set-cookie", "lang=fr", "set-cookie", "sid=\"3x\"; a=b", "x-ip", "10.0.0.1:8080", "x-ip", "fe80::1",
                "x-n", "7");
        assertEquals(2L, eval("res.cook_cnt(sid)", txn));
        // Without a name every attribute of a Set-Cookie line counts, as in HAProxy.
        assertEquals(6L, eval("scook_cnt", txn));
        assertEquals(-137L, eval("res.cook_val(sid)", txn));
        assertEquals(9L, eval("scook_val", txn));
        assertEquals("fe80::1", ip("res.hdr_ip(x-ip)", txn));
        assertEquals("10.0.0.1", ip("shdr_ip(x-ip,1)", txn));
        assertEquals(7L, eval("res.hdr_val(x-n)", txn));
        assertEquals(7L, eval("shdr_val(x-n)", txn));
    }
}
