package io.luagate.plugin.balancer.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.spi.balancer.HashFunction;
import io.luagate.spi.balancer.HashMethod;
import io.luagate.spi.balancer.HashType;
import io.luagate.spi.proxy.ServerAdmin;
import io.luagate.testkit.BalancedServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The servers HAProxy 2.6.12 picked, recorded by running it (Debian's /usr/sbin/haproxy) with
 * servers a, b, c written in that order and 30 requests, key i in 0..29: luagate must pick the very
 * same ones. Configurations: {@code balance hdr(x-user)} with {@code x-user: user<i>};
 * {@code source} from 127.0.0.(i+2); {@code uri} for {@code /p<i>/q?x=<i>}; {@code uri whole} for
 * {@code /p/q?x=<i>}; {@code url_param id} for {@code /p?a=1&id=v<i>&b=2};
 * {@code hash req.hdr(x-user),lower} with {@code x-user: USER<i>} (here: the lower-cased value).
 */
class HaproxyPicksTest {

    private static final int KEYS = 30;

    private static String picks(KeyHasher hasher, HashMethod method, int[] weights, boolean bDown, IntFunction<byte[]> key) {
        BalancedServer a = new BalancedServer("a", weights[0]);
        BalancedServer b = new BalancedServer("b", weights[1]);
        BalancedServer c = new BalancedServer("c", weights[2]);
        if (bDown) {
            b.admin = ServerAdmin.MAINT;
        }
        var balancer = new HashBalancer(List.of(a, b, c), hasher, method, 0);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < KEYS; i++) {
            out.append(balancer.next(null, key.apply(i)).name());
        }
        return out.toString();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String header(HashType type, int[] weights, boolean bDown) {
        return picks(KeyHasher.header(type, false), type.method(), weights, bDown, i -> text("user" + i));
    }

    private static final int[] W111 = {1, 1, 1};
    private static final int[] W123 = {1, 2, 3};

    @Test
    void mapBasedSdbm() {
        HashType type = new HashType(HashMethod.MAP_BASED, HashFunction.SDBM, false);
        assertEquals("cabcabcabccabcabcabcabcabcabca", header(type, W111, false));
        assertEquals("cacbcbcacbbcbcacbcbccbcacbcbca", header(type, W123, false));
        assertEquals("cacacacacaacacacacaccacacacaca", header(type, W111, true));
        // HAProxy divides the weights by their GCD: 2,4,6 maps as 1,2,3.
        assertEquals("cacbcbcacbbcbcacbcbccbcacbcbca", header(type, new int[] {2, 4, 6}, false));
    }

    @Test
    void consistentAloneIsSdbmWithAvalanche() {
        // What the kernel reads "hash-type = consistent" as, like HAProxy.
        HashType type = new HashType(HashMethod.CONSISTENT, HashFunction.SDBM, true);
        assertEquals("abbcaacabacccbcacbabbccbacccca", header(type, W111, false));
        assertEquals("cbbcccbabaccccbccbabcccbcccbca", header(type, W123, false));
        assertEquals("acacaacacacccccacaaccccaacccca", header(type, W111, true));
    }

    @Test
    void consistentDjb2ClustersSimilarKeysAsHaproxyDoes() {
        HashType type = new HashType(HashMethod.CONSISTENT, HashFunction.DJB2, false);
        assertEquals("c".repeat(KEYS), header(type, W111, false));
        assertEquals("c".repeat(KEYS), header(type, W123, false));
    }

    @Test
    void mapBasedCrc32Avalanche() {
        HashType type = new HashType(HashMethod.MAP_BASED, HashFunction.CRC32, true);
        assertEquals("abaacbacabbbbabbcccabaacbbcaac", header(type, W111, false));
        assertEquals("abaccccbcbccbabbcbbabaccccbccc", header(type, W123, false));
        assertEquals("aaaccccacaccaaaacaaaaaccccaccc", header(type, W111, true));
    }

    @Test
    void otherAlgorithmsConsistentWt6() {
        HashType type = new HashType(HashMethod.CONSISTENT, HashFunction.WT6, false);
        assertEquals("b".repeat(KEYS), picks(KeyHasher.source(type), type.method(), W123, false,
                i -> new byte[] {127, 0, 0, (byte) (i + 2)}));
        assertEquals("ccccccccccbcccccbcccbbcccbabcc", picks(KeyHasher.uri(type, 0, 0, false, false), type.method(), W123, false,
                i -> text("/p" + i + "/q?x=" + i)));
        assertEquals("cbcbcbcbcbcacccacccbcacbcacbca", picks(KeyHasher.uri(type, 0, 0, true, false), type.method(), W123, false,
                i -> text("/p/q?x=" + i)));
        assertEquals("acacccccacbbcbbbccbcbbcbbbccbc", picks(KeyHasher.urlParam(type, "id"), type.method(), W123, false,
                i -> text("/p?a=1&id=v" + i + "&b=2")));
        assertEquals("ccccccccccaaacaccbcbbbccabcccc", picks(KeyHasher.expression(type), type.method(), W123, false,
                i -> text("user" + i)));
    }

    @Test
    void otherAlgorithmsMapBased() {
        HashType type = HashType.DEFAULT;
        assertEquals("acbcbcacbcbcacbcbcacbcbcacbcbc", picks(KeyHasher.source(type), type.method(), W123, false,
                i -> new byte[] {127, 0, 0, (byte) (i + 2)}));
        assertEquals("cbcbcbcbcbacacacacaccacacacaca", picks(KeyHasher.uri(type, 0, 0, false, false), type.method(), W123, false,
                i -> text("/p" + i + "/q?x=" + i)));
        assertEquals("cacbcbcacbacbcbcacbccbcbcacbcb", picks(KeyHasher.uri(type, 0, 0, true, false), type.method(), W123, false,
                i -> text("/p/q?x=" + i)));
        assertEquals("bcacbcbcaccbcbcacbcbbcbcacbcbc", picks(KeyHasher.urlParam(type, "id"), type.method(), W123, false,
                i -> text("/p?a=1&id=v" + i + "&b=2")));
        assertEquals("cacbcbcacbbcbcacbcbccbcacbcbca", picks(KeyHasher.expression(type), type.method(), W123, false,
                i -> text("user" + i)));
    }

    /** {@code hash-balance-factor 150}, nine requests held open with one key: HAProxy spread them so. */
    @Test
    void boundedLoadSpreadsAHotKeyAsHaproxy() {
        BalancedServer a = new BalancedServer("a", 1);
        BalancedServer b = new BalancedServer("b", 1);
        BalancedServer c = new BalancedServer("c", 1);
        HashType type = new HashType(HashMethod.CONSISTENT, HashFunction.SDBM, true);
        var balancer = new HashBalancer(List.of(a, b, c), KeyHasher.header(type, false), HashMethod.CONSISTENT, 150);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            BalancedServer picked = (BalancedServer) balancer.next(null, text("user0"));
            picked.streams++;
            out.append(picked.name);
        }
        assertEquals("abbababab", out.toString());
    }
}
