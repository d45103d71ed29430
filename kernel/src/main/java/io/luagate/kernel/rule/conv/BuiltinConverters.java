package io.luagate.kernel.rule.conv;

import io.luagate.kernel.rule.sample.SampleRegistry;

/**
 * Registers HAProxy 2.6's built-in converters (configuration.txt section 7.3.1), but for the map
 * family. Each converter casts its input the way HAProxy does before converting it (see
 * {@link io.luagate.spi.sample.Samples}, and {@link io.luagate.kernel.rule.match.IpAddresses#castToAddress}
 * for addresses) and returns {@code null} where HAProxy's conversion fails.
 */
public final class BuiltinConverters {

    private BuiltinConverters() {
    }

    public static void register(SampleRegistry registry) {
        StringConverters.register(registry);
        FieldConverters.register(registry);
        Regsub.register(registry);
        EncodingConverters.register(registry);
        HashConverters.register(registry);
        DigestConverters.register(registry);
        ArithmeticConverters.register(registry);
        IpMask.register(registry);
        TimeConverters.register(registry);
    }
}
