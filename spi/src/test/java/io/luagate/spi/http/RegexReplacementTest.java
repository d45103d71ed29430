package io.luagate.spi.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Expected values are HAProxy 2.6.12's answers to the same headers and rules. */
class RegexReplacementTest {

    @Test
    void eachValueRewritesOnlyMatchedValuesWithoutTheirBlanks() {
        Pattern b = Pattern.compile("^b.*");
        assertEquals("a,Z,c,Z,   d ,,Z, \"b,q\"",
                RegexReplacement.eachValue(b, "a,  b1 ,c, bb,   d ,,  b\"x,y\" , \"b,q\"", "Z"));
        assertEquals("z1, b2 ,z3", RegexReplacement.eachValue(Pattern.compile("^a(.*)"), "a1 , b2 ,a3", "z\\1"));
        String untouched = "x, y ,z";
        assertSame(untouched, RegexReplacement.eachValue(b, untouched, "Z"));
    }

    @Test
    void wholeReplacesTheWholeInputWithGroups() {
        assertEquals("Qb", RegexReplacement.whole(Pattern.compile("^(b)"), "b1 , b2", "Q\\1"));
        assertEquals("foo=1;ip=x;bar=2",
                RegexReplacement.whole(Pattern.compile("foo=([^;]*);(.*)"), "foo=1;bar=2", "foo=\\1;ip=x;\\2"));
        assertEquals("nomatch", RegexReplacement.whole(Pattern.compile("^z"), "nomatch", "x"));
    }

    @Test
    void reasonsAreHaproxysTable() {
        assertEquals("Moved Temporarily", HttpReasons.of(302));
        assertEquals("Request Time-out", HttpReasons.of(408));
        assertEquals("Gateway Time-out", HttpReasons.of(504));
        assertEquals("Success", HttpReasons.of(299));
        assertEquals("Client Error", HttpReasons.of(460));
        assertEquals("Other", HttpReasons.of(600));
        assertEquals("Other", HttpReasons.of(99));
    }
}
