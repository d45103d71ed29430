package io.luagate.kernel.rule.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.TestTransaction;
import io.luagate.kernel.rule.conv.BuiltinConverters;
import io.luagate.kernel.rule.fetch.BuiltinFetches;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Expressions, their arguments and the request fetches, on an in-memory transaction. */
class ExprParserTest {

    private final ExprParser parser;

    ExprParserTest() {
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        BuiltinConverters.register(registry);
        parser = new ExprParser(new CompileContext(Path.of("."), new Maps(Path.of(".")), registry));
    }

    private Object eval(String expr, TestTransaction txn) throws RuleSyntaxException {
        return parser.parse(expr, 1).eval(txn);
    }

    @Test
    void requestFetches() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/p/a?x=1&y=two&z", "Host", "ex.com",
                "Accept", "a, b", "Accept", "c", "Cookie", "s=1; t=2");
        assertEquals("/p/a", eval("path", txn));
        assertEquals("/p/a?x=1&y=two&z", eval("pathq", txn));
        assertEquals("/p/a?x=1&y=two&z", eval("url", txn));
        assertEquals("x=1&y=two&z", eval("query", txn));
        assertEquals("two", eval("urlp(y)", txn));
        assertEquals("", eval("url_param(z)", txn));
        assertNull(eval("urlp(w)", txn));
        assertEquals("ex.com/p/a", eval("base", txn));
        assertEquals("GET", eval("method", txn));
        assertEquals("c", eval("hdr(accept)", txn));
        assertEquals("a", eval("req.hdr(accept,1)", txn));
        assertEquals("b", eval("hdr(accept,-2)", txn));
        assertEquals("a, b", eval("req.fhdr(accept,1)", txn));
        assertEquals(3L, eval("hdr_cnt(accept)", txn));
        assertEquals(2L, eval("req.fhdr_cnt(accept)", txn));
        assertEquals("2", eval("req.cook(t)", txn));
        assertEquals("1", eval("cook(s)", txn));
        assertNull(eval("hdr(missing)", txn));
        // The name is optional in HAProxy: no header without one, and every header counts.
        assertNull(eval("req.hdr", txn));
        assertEquals(5L, eval("hdr_cnt", txn));
        assertEquals(4L, eval("req.fhdr_cnt", txn));
        txn.body("a=1&b=two&b=3");
        assertEquals("two", new String((byte[]) eval("req.body_param(b)", txn), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals("1", new String((byte[]) eval("req.body_param", txn), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertNull(eval("req.body_param(c)", txn));
    }

    @Test
    void responseFetches() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/").respond(404, "Server", "a, b", "Set-Cookie", "sid=9; Path=/",
                "Set-Cookie", "lang=fr");
        assertEquals(404L, eval("status", txn));
        assertEquals("b", eval("res.hdr(server)", txn));
        assertEquals("b", eval("shdr(server)", txn));
        assertEquals("a, b", eval("res.fhdr(server)", txn));
        assertEquals(2L, eval("res.hdr_cnt(server)", txn));
        assertEquals("9", eval("res.cook(sid)", txn));
        assertEquals("fr", eval("scook(lang)", txn));
        assertNull(eval("status", new TestTransaction("GET", "/")), "no response yet");
    }

    @Test
    void generatorsAndEnvironment() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/", "A", "1");
        long now = System.currentTimeMillis() / 1000;
        long date = (Long) eval("date", txn);
        assertEquals(true, Math.abs(date - now) <= 2, "date " + date);
        assertEquals(true, Math.abs((Long) eval("date(3600)", txn) - now - 3600) <= 2);
        assertEquals(true, Math.abs((Long) eval("date(0,ms)", txn) / 1000 - now) <= 2);
        long rand = (Long) eval("rand(10)", txn);
        assertEquals(true, rand >= 0 && rand < 10);
        assertEquals(System.getenv("PATH"), eval("env(PATH)", txn));
        assertNull(eval("env(LUAGATE_SURELY_UNSET_VARIABLE)", txn));
        assertEquals(true, ((String) eval("hostname", txn)).length() > 0);
        assertEquals(true, ((String) eval("uuid", txn)).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
        assertEquals("A: 1\r\n\r\n", eval("req.hdrs", txn));
        assertEquals("1.1", eval("req.ver", txn));
        assertEquals(Boolean.TRUE, eval("req.proto_http", txn));
        assertEquals(Boolean.TRUE, eval("always_true", txn));
        assertEquals(Boolean.FALSE, eval("always_false", txn));
        assertThrows(RuleSyntaxException.class, () -> parser.parse("rand(0)", 1));
        assertThrows(RuleSyntaxException.class, () -> parser.parse("uuid(3)", 1));
        assertThrows(RuleSyntaxException.class, () -> parser.parse("date(0,h)", 1));
    }

    @Test
    void variablesWithDefaults() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/");
        txn.setVar(io.luagate.spi.sample.VarScope.SESS, "user", "ann");
        assertEquals("ann", eval("var(sess.user)", txn));
        assertEquals("none", eval("var(txn.user,none)", txn));
        assertNull(eval("var(txn.user)", txn));
    }

    @Test
    void constantsAndConverterChains() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/");
        assertEquals("ab", eval("str(aB),lower", txn));
        assertEquals(42L, eval("int(42)", txn));
        assertEquals(Boolean.TRUE, eval("bool(1)", txn));
        assertEquals("A,B", eval("str(\"a,b\"),upper", txn));
        assertNull(eval("hdr(x),lower,upper", txn), "a missing sample stops the chain");
    }

    @Test
    void parseErrorsHaveColumns() {
        assertEquals(1, assertThrows(RuleSyntaxException.class, () -> parser.parse("nosuch", 1)).column());
        assertEquals(6, assertThrows(RuleSyntaxException.class, () -> parser.parse("path,nosuch", 1)).column());
        assertThrows(RuleSyntaxException.class, () -> parser.parse("hdr(x", 1));
        assertThrows(RuleSyntaxException.class, () -> parser.parse("hdr(a,b,c)", 1));
        assertThrows(RuleSyntaxException.class, () -> parser.parse("hdr(x,0)", 1));
        assertThrows(RuleSyntaxException.class, () -> parser.parse("var(nope)", 1));
    }

    @Test
    void logFormats() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/p", "Host", "h");
        assertEquals("h:/p 100%", LogFormat.parse("%[hdr(host)]:%[path] 100%%", 1, parser).render(txn));
        assertEquals("[]", LogFormat.parse("[%[hdr(none)]]", 1, parser).render(txn));
        assertEquals("x=\"/p\" y=\"\"", LogFormat.parse("x=%{+Q}[path] y=%{+Q}[hdr(none)]", 1, parser).render(txn));
        assertEquals("GET /p", LogFormat.parse("%HM %HP", 1, parser).render(txn), "aliases stand for fetches");
        assertThrows(RuleSyntaxException.class, () -> LogFormat.parse("50% off", 1, parser));
        assertThrows(RuleSyntaxException.class, () -> LogFormat.parse("%Tt", 1, parser), "a timer means nothing in a rule");
        assertThrows(RuleSyntaxException.class, () -> LogFormat.parse("%[path", 1, parser));
    }
}
