package io.luagate.kernel.rule.conv;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A message digest chosen at load by its OpenSSL name (as EVP_get_digestbyname() knows it, case
 * insensitively: "sha256", "SHA2-256", "RSA-SHA256", an OID...) and HMAC over it. Thread-safe:
 * each thread hashes with its own MessageDigest, cloned from one made at load.
 *
 * <p>Supported: MD5, SHA-1, the SHA-2 family (with SHA-512/224 and SHA-512/256), SHA-3 and
 * MD5-SHA1. OpenSSL's other digests (SHAKE, BLAKE2, SM3, RIPEMD-160...) are not in the JDK.
 */
final class Digester {

    private record Spec(List<String> javaNames, int blockSize) {
    }

    private static final Map<String, Spec> BY_NAME = names();

    private final ThreadLocal<MessageDigest[]> digests;
    private final int blockSize;

    private Digester(MessageDigest[] prototypes, int blockSize) {
        this.blockSize = blockSize;
        this.digests = ThreadLocal.withInitial(() -> {
            MessageDigest[] copies = new MessageDigest[prototypes.length];
            for (int i = 0; i < copies.length; i++) {
                try {
                    copies[i] = (MessageDigest) prototypes[i].clone();
                } catch (CloneNotSupportedException e) {
                    copies[i] = create(prototypes[i].getAlgorithm());
                }
            }
            return copies;
        });
    }

    /** The digest OpenSSL calls {@code name}, or {@code null} when this build does not know it. */
    static Digester named(String name) {
        Spec spec = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (spec == null) {
            return null;
        }
        MessageDigest[] prototypes = spec.javaNames().stream().map(Digester::create).toArray(MessageDigest[]::new);
        return new Digester(prototypes, spec.blockSize());
    }

    private static MessageDigest create(String javaName) {
        try {
            return MessageDigest.getInstance(javaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + javaName, e);
        }
    }

    /** The digest of the concatenation of {@code parts}. */
    byte[] digest(byte[]... parts) {
        MessageDigest[] ds = digests.get();
        if (ds.length == 1) {
            for (byte[] part : parts) {
                ds[0].update(part);
            }
            return ds[0].digest();
        }
        byte[][] outputs = new byte[ds.length][];
        int length = 0;
        for (int i = 0; i < ds.length; i++) {
            for (byte[] part : parts) {
                ds[i].update(part);
            }
            outputs[i] = ds[i].digest();
            length += outputs[i].length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] output : outputs) {
            System.arraycopy(output, 0, out, at, output.length);
            at += output.length;
        }
        return out;
    }

    /** HMAC's inner and outer padded keys (RFC 2104) for {@code key}: {ipad, opad}. */
    byte[][] hmacPads(byte[] key) {
        byte[] k = key.length > blockSize ? digest(key) : key;
        byte[] inner = Arrays.copyOf(k, blockSize);
        byte[] outer = Arrays.copyOf(k, blockSize);
        for (int i = 0; i < blockSize; i++) {
            inner[i] ^= 0x36;
            outer[i] ^= 0x5c;
        }
        return new byte[][] {inner, outer};
    }

    /** HMAC of {@code data} with pads from {@link #hmacPads}. */
    byte[] hmac(byte[][] pads, byte[] data) {
        return digest(pads[1], digest(pads[0], data));
    }

    private static Map<String, Spec> names() {
        Map<String, Spec> names = new HashMap<>();
        add(names, new Spec(List.of("MD5"), 64), "md5", "ssl3-md5", "rsa-md5", "md5withrsaencryption", "1.2.840.113549.2.5");
        add(names, new Spec(List.of("SHA-1"), 64), "sha1", "sha-1", "ssl3-sha1", "rsa-sha1", "rsa-sha1-2",
                "sha1withrsaencryption", "1.3.14.3.2.26");
        add(names, new Spec(List.of("MD5", "SHA-1"), 64), "md5-sha1");
        sha2(names, "224", "SHA-224", 64, "4");
        sha2(names, "256", "SHA-256", 64, "1");
        sha2(names, "384", "SHA-384", 128, "2");
        sha2(names, "512", "SHA-512", 128, "3");
        add(names, new Spec(List.of("SHA-512/224"), 128), "sha512-224", "sha-512/224", "sha2-512/224",
                "rsa-sha512/224", "sha512-224withrsaencryption", "2.16.840.1.101.3.4.2.5");
        add(names, new Spec(List.of("SHA-512/256"), 128), "sha512-256", "sha-512/256", "sha2-512/256",
                "rsa-sha512/256", "sha512-256withrsaencryption", "2.16.840.1.101.3.4.2.6");
        sha3(names, "224", 144, "7");
        sha3(names, "256", 136, "8");
        sha3(names, "384", 104, "9");
        sha3(names, "512", 72, "10");
        return Map.copyOf(names);
    }

    private static void sha2(Map<String, Spec> names, String bits, String javaName, int blockSize, String oid) {
        add(names, new Spec(List.of(javaName), blockSize), "sha" + bits, "sha-" + bits, "sha2-" + bits, "rsa-sha" + bits,
                "sha" + bits + "withrsaencryption", "2.16.840.1.101.3.4.2." + oid);
    }

    private static void sha3(Map<String, Spec> names, String bits, int blockSize, String oid) {
        add(names, new Spec(List.of("SHA3-" + bits), blockSize), "sha3-" + bits, "rsa-sha3-" + bits, "2.16.840.1.101.3.4.2." + oid);
    }

    private static void add(Map<String, Spec> names, Spec spec, String... aliases) {
        for (String alias : aliases) {
            names.put(alias, spec);
        }
    }
}
