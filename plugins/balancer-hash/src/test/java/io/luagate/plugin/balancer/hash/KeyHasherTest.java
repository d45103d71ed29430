package io.luagate.plugin.balancer.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.luagate.spi.balancer.HashFunction;
import io.luagate.spi.balancer.HashMethod;
import io.luagate.spi.balancer.HashType;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class KeyHasherTest {

    private static final HashType SDBM = HashType.DEFAULT;

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static long sdbm(String s) {
        byte[] b = text(s);
        return HashFunctions.sdbm(b, 0, b.length) & 0xffffffffL;
    }

    @Test
    void functionsMatchTheirDefinitions() {
        // sdbm("ab") = 'b' + 65599 * 'a'; djb2("ab") = (5381 * 33 + 'a') * 33 + 'b'.
        assertEquals(('b' + 65599L * 'a') & 0xffffffffL, sdbm("ab"));
        byte[] ab = text("ab");
        assertEquals(((5381L * 33 + 'a') * 33 + 'b') & 0xffffffffL, HashFunctions.djb2(ab, 0, 2) & 0xffffffffL);
        byte[] data = text("The quick brown fox");
        CRC32 crc = new CRC32();
        crc.update(data);
        assertEquals(crc.getValue(), HashFunctions.crc32(data, 0, data.length) & 0xffffffffL);
        assertNotEquals(HashFunctions.wt6(data, 0, data.length), HashFunctions.wt6(data, 0, data.length - 1));
        assertEquals(0, HashFunctions.sdbm(data, 0, 0));
    }

    @Test
    void uriStopsAtTheQueryUnlessWhole() {
        assertEquals(sdbm("/a/b"), KeyHasher.uri(SDBM, 0, 0, false, false).hash(text("/a/b?x=1")));
        assertEquals(sdbm("/a/b?x=1"), KeyHasher.uri(SDBM, 0, 0, true, false).hash(text("/a/b?x=1")));
        assertEquals(sdbm("/a/"), KeyHasher.uri(SDBM, 0, 0, false, false).hash(text("/a/")));
    }

    @Test
    void uriLengthDepthAndPathOnly() {
        assertEquals(sdbm("/ab"), KeyHasher.uri(SDBM, 3, 0, false, false).hash(text("/abcdef")));
        // depth 2: up to, not including, the third slash.
        assertEquals(sdbm("/a/b"), KeyHasher.uri(SDBM, 0, 2, false, false).hash(text("/a/b/c/d")));
        assertEquals(sdbm("/p/q"), KeyHasher.uri(SDBM, 0, 0, false, true).hash(text("http://h.example:80/p/q?x")));
        assertEquals(sdbm("http://h.example:80/p/q"), KeyHasher.uri(SDBM, 0, 0, false, false).hash(text("http://h.example:80/p/q?x")));
    }

    @Test
    void urlParamIsTheValueOfTheFirstMatchingParameter() {
        KeyHasher id = KeyHasher.urlParam(SDBM, "id");
        assertEquals(sdbm("42"), id.hash(text("/p?id=42")));
        assertEquals(sdbm("42"), id.hash(text("/p?uid=7&id=42&id=9")));
        assertEquals(sdbm(""), id.hash(text("/p?id=")));
        assertEquals(KeyHasher.NONE, id.hash(text("/p?idx=1")));
        assertEquals(KeyHasher.NONE, id.hash(text("/p/id=42")));
        assertEquals(KeyHasher.NONE, id.hash(null));
    }

    @Test
    void headerValueOrItsDomain() {
        assertEquals(sdbm("www.example.com"), KeyHasher.header(SDBM, false).hash(text("www.example.com")));
        assertEquals(sdbm("example"), KeyHasher.header(SDBM, true).hash(text("www.example.com")));
        assertEquals(KeyHasher.NONE, KeyHasher.header(SDBM, false).hash(text("")));
    }

    @Test
    void sourceXorsTheAddressWords() {
        KeyHasher source = KeyHasher.source(SDBM);
        assertEquals(0x7f000002L, source.hash(new byte[] {127, 0, 0, 2}));
        byte[] v6 = new byte[16];
        v6[3] = 1;
        v6[15] = 3;
        assertEquals(2L, source.hash(v6));
        assertEquals(KeyHasher.NONE, source.hash(new byte[] {1, 2}));
        HashType avalanche = new HashType(HashMethod.MAP_BASED, HashFunction.SDBM, true);
        assertEquals(HashFunctions.fullHash(0x7f000002) & 0xffffffffL, KeyHasher.source(avalanche).hash(new byte[] {127, 0, 0, 2}));
    }

    @Test
    void anExpressionHashesItsWholeValue() {
        assertEquals(sdbm("a b,c"), KeyHasher.expression(SDBM).hash(text("a b,c")));
        assertEquals(KeyHasher.NONE, KeyHasher.expression(SDBM).hash(null));
    }
}
