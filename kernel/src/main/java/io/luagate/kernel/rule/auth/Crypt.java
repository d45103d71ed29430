package io.luagate.kernel.rule.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The crypt(3) hashes the JDK's digests can compute exactly: glibc's SHA-512 ({@code $6$}) and
 * SHA-256 ({@code $5$}) crypt (Drepper's specification, rounds included) and MD5 crypt
 * ({@code $1$}). Other kinds (DES, bcrypt, yescrypt) are not supported: {@link #supports} tells.
 */
final class Crypt {

    private static final String ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int ROUNDS_DEFAULT = 5000;
    private static final int[][] SHA256_ORDER = {{0, 10, 20}, {21, 1, 11}, {12, 22, 2}, {3, 13, 23}, {24, 4, 14},
            {15, 25, 5}, {6, 16, 26}, {27, 7, 17}, {18, 28, 8}, {9, 19, 29}};
    private static final int[][] SHA512_ORDER = {{0, 21, 42}, {22, 43, 1}, {44, 2, 23}, {3, 24, 45}, {25, 46, 4},
            {47, 5, 26}, {6, 27, 48}, {28, 49, 7}, {50, 8, 29}, {9, 30, 51}, {31, 52, 10}, {53, 11, 32},
            {12, 33, 54}, {34, 55, 13}, {56, 14, 35}, {15, 36, 57}, {37, 58, 16}, {59, 17, 38}, {18, 39, 60},
            {40, 61, 19}, {62, 20, 41}};

    private Crypt() {
    }

    /** Whether {@code hash} is of a kind this class computes. */
    static boolean supports(String hash) {
        return hash.startsWith("$1$") || hash.startsWith("$5$") || hash.startsWith("$6$");
    }

    /** Whether {@code password} hashes to {@code hash} (compared in constant time). */
    static boolean matches(String password, String hash) {
        String computed = crypt(password, hash);
        return computed != null && MessageDigest.isEqual(computed.getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
    }

    /** crypt(3) of {@code password} with the setting (prefix, rounds, salt) of {@code hash}; null if unsupported. */
    static String crypt(String password, String hash) {
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        if (hash.startsWith("$1$")) {
            return md5(key, salt(hash.substring(3), 8));
        }
        if (hash.startsWith("$5$") || hash.startsWith("$6$")) {
            boolean sha512 = hash.charAt(1) == '6';
            String rest = hash.substring(3);
            int rounds = ROUNDS_DEFAULT;
            boolean customRounds = false;
            if (rest.startsWith("rounds=")) {
                int end = rest.indexOf('$');
                if (end < 0) {
                    return null;
                }
                try {
                    long asked = Long.parseLong(rest.substring(7, end));
                    rounds = (int) Math.max(1000, Math.min(999_999_999L, asked));
                } catch (NumberFormatException e) {
                    return null;
                }
                customRounds = true;
                rest = rest.substring(end + 1);
            }
            return sha(key, salt(rest, 16), rounds, customRounds, sha512);
        }
        return null;
    }

    private static String salt(String rest, int max) {
        int end = rest.indexOf('$');
        String salt = end < 0 ? rest : rest.substring(0, end);
        return salt.length() > max ? salt.substring(0, max) : salt;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    private static String sha(byte[] key, String saltText, int rounds, boolean customRounds, boolean sha512) {
        MessageDigest md = digest(sha512 ? "SHA-512" : "SHA-256");
        byte[] salt = saltText.getBytes(StandardCharsets.UTF_8);
        md.update(key);
        md.update(salt);
        md.update(key);
        byte[] b = md.digest();
        md.update(key);
        md.update(salt);
        repeat(md, b, key.length);
        for (int i = key.length; i > 0; i >>= 1) {
            md.update((i & 1) != 0 ? b : key);
        }
        byte[] a = md.digest();
        for (int i = 0; i < key.length; i++) {
            md.update(key);
        }
        byte[] p = stretch(md.digest(), key.length);
        for (int i = 0; i < 16 + (a[0] & 0xff); i++) {
            md.update(salt);
        }
        byte[] s = stretch(md.digest(), salt.length);
        byte[] c = a;
        for (int i = 0; i < rounds; i++) {
            md.update((i & 1) != 0 ? p : c);
            if (i % 3 != 0) {
                md.update(s);
            }
            if (i % 7 != 0) {
                md.update(p);
            }
            md.update((i & 1) != 0 ? c : p);
            c = md.digest();
        }
        StringBuilder out = new StringBuilder(sha512 ? "$6$" : "$5$");
        if (customRounds) {
            out.append("rounds=").append(rounds).append('$');
        }
        out.append(saltText).append('$');
        for (int[] group : sha512 ? SHA512_ORDER : SHA256_ORDER) {
            encode(out, c[group[0]], c[group[1]], c[group[2]], 4);
        }
        if (sha512) {
            encode(out, (byte) 0, (byte) 0, c[63], 2);
        } else {
            encode(out, (byte) 0, c[31], c[30], 3);
        }
        return out.toString();
    }

    /** {@code source}'s bytes over and over, {@code length} in all. */
    private static void repeat(MessageDigest md, byte[] source, int length) {
        int left = length;
        for (; left > source.length; left -= source.length) {
            md.update(source);
        }
        md.update(source, 0, left);
    }

    private static byte[] stretch(byte[] source, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = source[i % source.length];
        }
        return out;
    }

    private static String md5(byte[] key, String saltText) {
        MessageDigest md = digest("MD5");
        byte[] salt = saltText.getBytes(StandardCharsets.UTF_8);
        md.update(key);
        md.update(salt);
        md.update(key);
        byte[] alt = md.digest();
        md.update(key);
        md.update("$1$".getBytes(StandardCharsets.US_ASCII));
        md.update(salt);
        for (int left = key.length; left > 0; left -= 16) {
            md.update(alt, 0, Math.min(16, left));
        }
        for (int i = key.length; i != 0; i >>>= 1) {
            md.update((i & 1) != 0 ? (byte) 0 : key[0]);
        }
        byte[] last = md.digest();
        for (int i = 0; i < 1000; i++) {
            md.update((i & 1) != 0 ? key : last);
            if (i % 3 != 0) {
                md.update(salt);
            }
            if (i % 7 != 0) {
                md.update(key);
            }
            md.update((i & 1) != 0 ? last : key);
            last = md.digest();
        }
        StringBuilder out = new StringBuilder("$1$").append(saltText).append('$');
        encode(out, last[0], last[6], last[12], 4);
        encode(out, last[1], last[7], last[13], 4);
        encode(out, last[2], last[8], last[14], 4);
        encode(out, last[3], last[9], last[15], 4);
        encode(out, last[4], last[10], last[5], 4);
        encode(out, (byte) 0, (byte) 0, last[11], 2);
        return out.toString();
    }

    private static void encode(StringBuilder out, byte b2, byte b1, byte b0, int chars) {
        int w = (b2 & 0xff) << 16 | (b1 & 0xff) << 8 | b0 & 0xff;
        for (int i = 0; i < chars; i++) {
            out.append(ITOA64.charAt(w & 0x3f));
            w >>>= 6;
        }
    }
}
