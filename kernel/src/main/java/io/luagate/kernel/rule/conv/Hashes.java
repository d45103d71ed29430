package io.luagate.kernel.rule.conv;

import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * HAProxy's 32-bit hash functions (src/hash.c) and Bob Jenkins' full avalanche (full_hash() in
 * include/haproxy/intops.h). Each returns the unsigned 32-bit result in an int.
 */
public final class Hashes {

    private Hashes() {
    }

    static int sdbm(byte[] key) {
        int hash = 0;
        for (byte b : key) {
            hash = (b & 0xff) + (hash << 6) + (hash << 16) - hash;
        }
        return hash;
    }

    static int djb2(byte[] key) {
        int hash = 5381;
        for (byte b : key) {
            hash = ((hash << 5) + hash) + (b & 0xff);
        }
        return hash;
    }

    static int wt6(byte[] key) {
        int h0 = 0xa53c965a;
        int h1 = 0x5ca6953a;
        int step0 = 6;
        int step1 = 18;
        for (byte b : key) {
            int t = b & 0xff;
            h0 = ~(h0 ^ t);
            h1 = ~(h1 + t);
            // C shifts by 32 are undefined; x86 masks the count to 0..31, as Java does.
            t = (h1 << step0) | (h1 >>> (32 - step0));
            h1 = (h0 << step1) | (h0 >>> (32 - step1));
            h0 = t;
            t = ((h0 >>> 16) ^ h1) & 0xffff;
            step0 = t & 0x1f;
            step1 = t >>> 11;
        }
        return h0 ^ h1;
    }

    /** The CRC32 of zlib, Ethernet, gzip and PNG. */
    static int crc32(byte[] key) {
        CRC32 crc = new CRC32();
        crc.update(key);
        return (int) crc.getValue();
    }

    /** CRC32C (Castagnoli, RFC 4960 appendix B). */
    static int crc32c(byte[] key) {
        CRC32C crc = new CRC32C();
        crc.update(key);
        return (int) crc.getValue();
    }

    /** HAProxy's full_hash(): a full avalanche of the 32 bits, then a multiply by 3221225473. */
    public static int fullHash(int a) {
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return a * 0xc0000001;
    }
}
