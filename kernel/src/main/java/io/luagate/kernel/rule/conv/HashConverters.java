package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.kernel.rule.sample.Args;
import io.luagate.kernel.rule.sample.SampleRegistry;
import io.luagate.spi.sample.Converter;
import io.luagate.spi.sample.Samples;
import java.util.function.ToIntFunction;

/**
 * {@code sdbm}, {@code djb2}, {@code wt6}, {@code crc32}, {@code crc32c} ({@code [<avalanche>]})
 * and {@code xxh32}, {@code xxh64} ({@code [<seed>]}): binary in, integer out. The 32-bit hashes
 * are unsigned; {@code xxh64} is the 64-bit value as a signed integer.
 */
final class HashConverters {

    private HashConverters() {
    }

    static void register(SampleRegistry registry) {
        hash32(registry, "sdbm", Hashes::sdbm);
        hash32(registry, "djb2", Hashes::djb2);
        hash32(registry, "wt6", Hashes::wt6);
        hash32(registry, "crc32", Hashes::crc32);
        hash32(registry, "crc32c", Hashes::crc32c);
        registry.converter("xxh32", (args, context) -> {
            int seed = (int) seed(args);
            return (txn, input) -> {
                byte[] key = Samples.asBytes(input);
                return key == null ? null : Integer.toUnsignedLong(XxHash32.hash(key, seed));
            };
        });
        registry.converter("xxh64", (args, context) -> {
            long seed = seed(args);
            return (txn, input) -> {
                byte[] key = Samples.asBytes(input);
                return key == null ? null : XxHash64.hash(key, seed);
            };
        });
    }

    /** A 32-bit hash; HAProxy applies the avalanche when its argument is any non-zero integer. */
    private static void hash32(SampleRegistry registry, String keyword, ToIntFunction<byte[]> hash) {
        registry.converter(keyword, (args, context) -> {
            ConvArgs.count(args, 0, 1);
            Long avalanche = ConvArgs.optionalInteger(args, 0);
            Converter converter = avalanche != null && avalanche != 0
                    ? (txn, input) -> {
                        byte[] key = Samples.asBytes(input);
                        return key == null ? null : Integer.toUnsignedLong(Hashes.fullHash(hash.applyAsInt(key)));
                    }
                    : (txn, input) -> {
                        byte[] key = Samples.asBytes(input);
                        return key == null ? null : Integer.toUnsignedLong(hash.applyAsInt(key));
                    };
            return converter;
        });
    }

    private static long seed(Args args) throws RuleSyntaxException {
        ConvArgs.count(args, 0, 1);
        Long seed = ConvArgs.optionalInteger(args, 0);
        return seed == null ? 0 : seed;
    }
}
