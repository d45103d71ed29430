package io.luagate.kernel.rule.conv;

/** XXH32, the 32-bit xxHash (as in HAProxy's include/import/xxhash.h). */
final class XxHash32 {

    private static final int P1 = 0x9E3779B1;
    private static final int P2 = 0x85EBCA77;
    private static final int P3 = 0xC2B2AE3D;
    private static final int P4 = 0x27D4EB2F;
    private static final int P5 = 0x165667B1;

    private XxHash32() {
    }

    static int hash(byte[] in, int seed) {
        int len = in.length;
        int i = 0;
        int h;
        if (len >= 16) {
            int v1 = seed + P1 + P2;
            int v2 = seed + P2;
            int v3 = seed;
            int v4 = seed - P1;
            for (; i <= len - 16; i += 16) {
                v1 = round(v1, le32(in, i));
                v2 = round(v2, le32(in, i + 4));
                v3 = round(v3, le32(in, i + 8));
                v4 = round(v4, le32(in, i + 12));
            }
            h = Integer.rotateLeft(v1, 1) + Integer.rotateLeft(v2, 7) + Integer.rotateLeft(v3, 12) + Integer.rotateLeft(v4, 18);
        } else {
            h = seed + P5;
        }
        h += len;
        for (; i <= len - 4; i += 4) {
            h += le32(in, i) * P3;
            h = Integer.rotateLeft(h, 17) * P4;
        }
        for (; i < len; i++) {
            h += (in[i] & 0xff) * P5;
            h = Integer.rotateLeft(h, 11) * P1;
        }
        h ^= h >>> 15;
        h *= P2;
        h ^= h >>> 13;
        h *= P3;
        h ^= h >>> 16;
        return h;
    }

    private static int round(int acc, int input) {
        return Integer.rotateLeft(acc + input * P2, 13) * P1;
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }
}
