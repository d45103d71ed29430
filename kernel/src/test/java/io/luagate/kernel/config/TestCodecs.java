package io.luagate.kernel.config;

import io.luagate.spi.codec.Codec;
import io.luagate.spi.codec.Mode;
import io.luagate.spi.codec.ModeTrait;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.stream.Session;
import io.netty.channel.Channel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Codecs that only declare a mode, for checks that run before anything is built: the kernel's
 * tests cannot load the real codec plugins, which depend on the kernel's SPI, not the reverse.
 */
public final class TestCodecs {

    /** The modes the http and tcp plugins declare, by name. */
    public static final Map<String, Codec> HTTP_AND_TCP = of(
            Mode.of("http", ModeTrait.HTTP_MESSAGES, ModeTrait.CONNECTION_REUSE),
            Mode.of("tcp", ModeTrait.CONTENT_RULES));

    private TestCodecs() {
    }

    /** One declaring codec per mode, by name, in order. */
    public static Map<String, Codec> of(Mode... modes) {
        Map<String, Codec> codecs = new LinkedHashMap<>();
        for (Mode mode : modes) {
            codecs.put(mode.name(), new Codec() {
                @Override
                public Mode mode() {
                    return mode;
                }

                @Override
                public void initClient(Channel channel, Session session) {
                    throw new UnsupportedOperationException("declares a mode only");
                }

                @Override
                public void initUpstream(Channel channel, Backend backend) {
                    throw new UnsupportedOperationException("declares a mode only");
                }
            });
        }
        return codecs;
    }
}
