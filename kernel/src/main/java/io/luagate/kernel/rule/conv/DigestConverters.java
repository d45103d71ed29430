package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.CompileContext;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Samples;
import java.security.MessageDigest;

/**
 * Digests: {@code sha1}, {@code sha2([<bits>])}, {@code digest(<algorithm>)},
 * {@code hmac(<algorithm>,<key>)} (binary in, binary out) and {@code secure_memcmp(<var>)}.
 * hmac's key is base64: a literal, decoded at load, or the name of a variable holding it,
 * decoded at each call (an undecodable variable fails the conversion).
 */
final class DigestConverters {

    private DigestConverters() {
    }

    static void register(SampleRegistry registry) {
        registry.converter("sha1", (args, context) -> {
            ConvArgs.none(args);
            return digestOf(Digester.named("sha1"));
        });
        registry.converter("sha2", (args, context) -> {
            ConvArgs.count(args, 0, 1);
            Long bits = ConvArgs.optionalInteger(args, 0);
            long size = bits == null ? 256 : bits;
            if (size != 224 && size != 256 && size != 384 && size != 512) {
                throw args.error("unsupported number of bits: '" + size + "' (224, 256, 384 or 512)");
            }
            return digestOf(Digester.named("sha" + size));
        });
        registry.converter("digest", (args, context) -> {
            ConvArgs.count(args, 1, 1);
            return digestOf(digester(args));
        });
        registry.converter("hmac", DigestConverters::hmac);
        registry.converter("secure_memcmp", (args, context) -> {
            ConvArgs.count(args, 1, 1);
            VarRef var = ConvArgs.variable(args, 0);
            return (txn, input) -> {
                byte[] left = Samples.asBytes(input);
                Object value = var.get(txn);
                byte[] right = value == null ? null : Samples.asBytes(value);
                if (left == null || right == null) {
                    return null;
                }
                // Constant time when the lengths are equal, as CRYPTO_memcmp().
                return left.length == right.length && MessageDigest.isEqual(left, right);
            };
        });
    }

    private static Digester digester(Args args) throws RuleSyntaxException {
        String name = args.all().get(0);
        Digester digester = Digester.named(name);
        if (digester == null) {
            throw args.error("unknown or unsupported message digest '" + name + "' (supported: md5, sha1, "
                    + "sha224, sha256, sha384, sha512, sha512-224, sha512-256, sha3-224, sha3-256, sha3-384, "
                    + "sha3-512, md5-sha1 and their OpenSSL aliases)");
        }
        return digester;
    }

    private static Converter digestOf(Digester digester) {
        return (txn, input) -> {
            byte[] bytes = Samples.asBytes(input);
            return bytes == null ? null : digester.digest(bytes);
        };
    }

    private static Converter hmac(Args args, CompileContext context) throws RuleSyntaxException {
        ConvArgs.count(args, 2, 2);
        Digester digester = digester(args);
        String key = args.all().get(1);
        VarRef var = key.isEmpty() ? null : VarRef.parse(key);
        if (var != null) {
            return (txn, input) -> {
                byte[] data = Samples.asBytes(input);
                Object value = var.get(txn);
                String text = value == null ? null : Samples.asString(value);
                byte[] decoded = text == null ? null : Base64Decoder.standard(Samples.asBytes(text));
                if (data == null || decoded == null) {
                    return null;
                }
                return digester.hmac(digester.hmacPads(decoded), data);
            };
        }
        byte[] decoded = Base64Decoder.standard(Samples.asBytes(key));
        if (decoded == null) {
            throw args.error("failed to parse key: it must be base64 encoded, or the name of a variable");
        }
        byte[][] pads = digester.hmacPads(decoded);
        return (txn, input) -> {
            byte[] data = Samples.asBytes(input);
            return data == null ? null : digester.hmac(pads, data);
        };
    }
}
