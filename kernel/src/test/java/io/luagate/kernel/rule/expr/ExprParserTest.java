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
        assertThrows(RuleSyntaxException.class, () -> LogFormat.parse("50% off", 1, parser));
        assertThrows(RuleSyntaxException.class, () -> LogFormat.parse("%[path", 1, parser));
    }
}
