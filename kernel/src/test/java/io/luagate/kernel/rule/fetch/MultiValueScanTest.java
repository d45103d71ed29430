package io.luagate.kernel.rule.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.TestTransaction;
import io.luagate.kernel.rule.conv.BuiltinConverters;
import io.luagate.kernel.rule.expr.ExprParser;
import io.luagate.kernel.rule.map.Maps;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.MultiValueFetch;
import io.luagate.kernel.rule.sample.SampleRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An ACL tests a multi-valued fetch's values in one scan ({@link MultiValueFetch#anyValue}): it must
 * see exactly the values, in the order, that {@code count} and {@code value(i)} list, and stop at the
 * first that passes.
 */
class MultiValueScanTest {

    private final ExprParser parser;

    MultiValueScanTest() {
        SampleRegistry registry = new SampleRegistry();
        BuiltinFetches.register(registry);
        BuiltinConverters.register(registry);
        parser = new ExprParser(new CompileContext(Path.of("."), new Maps(Path.of(".")), registry));
    }

    private MultiValueFetch fetch(String expr) throws RuleSyntaxException {
        return (MultiValueFetch) parser.parse(expr, 1).fetch();
    }

    private static List<Object> indexed(MultiValueFetch fetch, TestTransaction txn) {
        List<Object> values = new ArrayList<>();
        for (int i = 0, n = fetch.count(txn); i < n; i++) {
            values.add(fetch.value(txn, i));
        }
        return values;
    }

    private static List<Object> scanned(MultiValueFetch fetch, TestTransaction txn) {
        List<Object> values = new ArrayList<>();
        assertFalse(fetch.anyValue(txn, value -> !values.add(value)));
        return values;
    }

    @Test
    void headerValuesScannedAsListed() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/p?a=1&b=2&a=3", "Host", "h",
                "x-v", " one ", "x-v", "two, \"th,ree\" ,, four", "x-v", "", "x-v", "\"open, end",
                "x-w", "single");
        for (String expr : List.of("hdr(x-v)", "req.fhdr(x-v)", "hdr(x-w)", "hdr(x-none)", "urlp(a)")) {
            MultiValueFetch fetch = fetch(expr);
            assertEquals(indexed(fetch, txn), scanned(fetch, txn), expr);
        }
        assertEquals(List.of("one", "two", "\"th,ree\"", "", "four", "", "\"open, end"), scanned(fetch("hdr(x-v)"), txn));
        assertEquals(List.of("one", "two, \"th,ree\" ,, four", "", "\"open, end"), scanned(fetch("req.fhdr(x-v)"), txn));
    }

    @Test
    void cookiesScannedInHaproxysOrder() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/", "Host", "h",
                "Cookie", "a=12; b=2; a=7x", "Cookie", "$a=9, a = \"q;,v\" ; a=-3", "Cookie", "ab=1; a");
        MultiValueFetch fetch = fetch("cook(a)");
        assertEquals(List.of("12", "7x", "\"q;,v\"", "-3"), scanned(fetch, txn));
        assertEquals(indexed(fetch, txn), scanned(fetch, txn));
        assertEquals("-3", fetch.fetch(txn));
        assertEquals("12", parser.parse("cook()", 1).eval(txn));

        txn.respond(200, "Set-Cookie", "a=1; Path=/; a=9", "Set-Cookie", "b=2, a=3", "Set-Cookie", "$a=4");
        MultiValueFetch response = fetch("res.cook(a)");
        assertEquals(List.of("1", "3"), scanned(response, txn));
        assertEquals(indexed(response, txn), scanned(response, txn));
    }

    @Test
    void theScanStopsAtTheFirstValueThatPasses() throws RuleSyntaxException {
        TestTransaction txn = new TestTransaction("GET", "/", "Host", "h", "x-v", "a, b, c", "Cookie", "k=1; k=2; k=3");
        for (String expr : List.of("hdr(x-v)", "cook(k)")) {
            List<Object> seen = new ArrayList<>();
            assertTrue(fetch(expr).anyValue(txn, value -> {
                seen.add(value);
                return seen.size() == 2;
            }), expr);
            assertEquals(2, seen.size(), expr);
        }
    }
}
