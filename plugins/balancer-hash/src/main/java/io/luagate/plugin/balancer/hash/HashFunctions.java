package io.luagate.plugin.balancer.hash;

import io.luagate.spi.balancer.HashFunction;

/**
 * HAProxy 2.6's hash functions ({@code src/hash.c}) and its integer mixer ({@code full_hash}), on
 * unsigned 32-bit values held in {@code int}s, so that a key lands where HAProxy puts it.
 */
final class HashFunctions {

    private HashFunctions() {
    }

    /** {@code gen_hash}: the backend's function over {@code length} bytes of {@code key} from {@code from}. */
    static int hash(HashFunction function, byte[] key, int from, int length) {
        return switch (function) {
            case SDBM -> sdbm(key, from, length);
            case DJB2 -> djb2(key, from, length);
            case WT6 -> wt6(key, from, length);
            case CRC32 -> crc32(key, from, length);
        };
    }

    static int sdbm(byte[] key, int from, int length) {
        int hash = 0;
        for (int i = from; i < from + length; i++) {
            hash = (key[i] & 0xff) + (hash << 6) + (hash << 16) - hash;
        }
        return hash;
    }

    static int djb2(byte[] key, int from, int length) {
        int hash = 5381;
        for (int i = from; i < from + length; i++) {
            hash = ((hash << 5) + hash) + (key[i] & 0xff);
        }
        return hash;
    }

    static int wt6(byte[] key, int from, int length) {
        int h0 = 0xa53c965a;
        int h1 = 0x5ca6953a;
        int step0 = 6;
        int step1 = 18;
        for (int i = from; i < from + length; i++) {
            int t = key[i] & 0xff;
            h0 = ~(h0 ^ t);
            h1 = ~(h1 + t);
            t = Integer.rotateLeft(h1, step0);
            h1 = Integer.rotateLeft(h0, step1);
            h0 = t;
            t = ((h0 >>> 16) ^ h1) & 0xffff;
            step0 = t & 0x1f;
            step1 = t >>> 11;
        }
        return h0 ^ h1;
    }

    static int crc32(byte[] key, int from, int length) {
        int hash = ~0;
        for (int i = from; i < from + length; i++) {
            hash ^= key[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                hash = (hash >>> 1) ^ ((hash & 1) != 0 ? 0xedb88320 : 0);
            }
        }
        return ~hash;
    }

    /** Bob Jenkins' full-avalanche integer hash, then HAProxy's spreading multiplier. */
    static int fullHash(int a) {
        a = (a + 0x7ed55d16) + (a << 12);
        a = (a ^ 0xc761c23c) ^ (a >>> 19);
        a = (a + 0x165667b1) + (a << 5);
        a = (a + 0xd3a2646c) ^ (a << 9);
        a = (a + 0xfd7046c5) + (a << 3);
        a = (a ^ 0xb55a4f09) ^ (a >>> 16);
        return a * (int) 3221225473L;
    }
}
