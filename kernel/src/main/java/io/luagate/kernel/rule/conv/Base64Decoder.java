package io.luagate.kernel.rule.conv;

import java.util.Arrays;

/**
 * HAProxy's base64 decoders (base64dec() and base64urldec() in src/base64.c), quirks included:
 * the standard one needs a multiple of 4 characters, accepts padding inside the text ("YQ==YWJj"
 * is "aabc", "Y===" is nothing) and ignores the unused low bits ("YR==" is "a"); the URL one takes
 * unpadded text and reads '=' as the value 63, like '_'.
 */
final class Base64Decoder {

    private static final int PAD = 64;
    private static final byte[] STANDARD = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", '=', PAD);
    private static final byte[] URL = table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", '=', 63);

    private Base64Decoder() {
    }

    private static byte[] table(String alphabet, char extra, int extraValue) {
        byte[] table = new byte[256];
        Arrays.fill(table, (byte) -1);
        for (int i = 0; i < alphabet.length(); i++) {
            table[alphabet.charAt(i)] = (byte) i;
        }
        table[extra] = (byte) extraValue;
        return table;
    }

    /** Standard base64 (with '+', '/' and '=' padding); {@code null} when invalid. */
    static byte[] standard(byte[] in) {
        if (in.length % 4 != 0) {
            return null;
        }
        byte[] out = new byte[in.length / 4 * 3];
        int[] t = new int[4];
        int length = 0;
        int i = 0;
        int pad = 0;
        for (byte c : in) {
            int b = STANDARD[c & 0xff];
            if (b < 0 || (pad > 0 && b != PAD) || (pad > 0 && i < 2)) {
                return null;
            }
            if (b == PAD) {
                pad++;
            }
            t[i++] = b;
            if (i == 4) {
                write(out, length, t);
                length += 3 - pad;
                pad = 0;
                i = 0;
            }
        }
        return Arrays.copyOf(out, length);
    }

    /** base64url without padding ('-', '_'); a length of 1 modulo 4 is invalid. */
    static byte[] url(byte[] in) {
        int pad = switch (in.length % 4) {
            case 0 -> 0;
            case 2 -> 2;
            case 3 -> 1;
            default -> -1;
        };
        if (pad < 0) {
            return null;
        }
        byte[] out = new byte[(in.length + pad) / 4 * 3];
        int[] t = new int[4];
        int length = 0;
        int i = 0;
        for (int k = 0; k < in.length + pad; k++) {
            int b = k < in.length ? URL[in[k] & 0xff] : PAD;
            if (b < 0) {
                return null;
            }
            t[i++] = b;
            if (i == 4) {
                write(out, length, t);
                length += 3;
                i = 0;
            }
        }
        return Arrays.copyOf(out, length - pad);
    }

    private static void write(byte[] out, int at, int[] t) {
        out[at] = (byte) ((t[0] << 2) + (t[1] >> 4));
        if (at + 1 < out.length) {
            out[at + 1] = (byte) ((t[1] << 4) + (t[2] >> 2));
        }
        if (at + 2 < out.length) {
            out[at + 2] = (byte) ((t[2] << 6) + t[3]);
        }
    }
}
