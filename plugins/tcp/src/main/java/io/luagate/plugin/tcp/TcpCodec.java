package io.luagate.plugin.tcp;

import io.luagate.spi.codec.Codec;
import io.luagate.spi.codec.Mode;
import io.luagate.spi.codec.ModeTrait;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.stream.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.pf4j.Extension;

/** Serves {@code mode = tcp} frontends and backends. */
@Extension
public final class TcpCodec implements Codec {

    /** Runs content rules; an upstream connection serves one stream, never a pool. */
    private static final Mode MODE = Mode.of("tcp", ModeTrait.CONTENT_RULES);

    @Override
    public Mode mode() {
        return MODE;
    }

    @Override
    public void initClient(Channel channel, Session session) {
        // A client may send its bytes and its FIN before the upstream connection exists.
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        channel.pipeline().addLast("luagate-tcp", new TcpSessionHandler(session));
    }

    @Override
    public void initUpstream(Channel channel, Backend backend) {
        // Nothing to decode: the kernel's tunnel takes the channel as it is.
    }
}
