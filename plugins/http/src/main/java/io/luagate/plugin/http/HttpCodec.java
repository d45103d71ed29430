package io.luagate.plugin.http;

import io.luagate.spi.codec.Codec;
import io.luagate.spi.codec.Mode;
import io.luagate.spi.codec.ModeTrait;
import io.luagate.spi.codec.MultiplexedConnection;
import io.luagate.spi.config.ConfigSection;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.stream.Session;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.util.List;
import org.pf4j.Extension;

/**
 * Serves {@code mode = http} frontends and backends: client connections in HTTP/1.1 with
 * luagate's own request decoder ({@link ClientCodec}) or in HTTP/2 ({@link Http2ClientConnection},
 * by {@code proto = h2} or ALPN), server connections in HTTP/1.1 with Netty's codecs
 * behind {@link UpstreamCodec} or in HTTP/2 ({@link Http2UpstreamConnection}, by the server's
 * {@code proto = h2} or ALPN); strict line endings and header validation, Transfer-Encoding and
 * Content-Length taken as HAProxy 2.6 takes them; {@link RequestHeadCheck} and
 * {@link UpstreamCodec} refuse what HAProxy refuses beyond that.
 */
@Extension
public final class HttpCodec implements Codec {

    /** Largest response head accepted from a server. */
    private static final int MAX_RESPONSE_HEAD = 64 * 1024;
    /** Largest piece a body is cut into; bodies are streamed, never held whole. */
    private static final int MAX_CHUNK = 16 * 1024;

    /** {@code global.tune.h2}, read before any connection (set on the main thread, read on the loops). */
    private volatile Http2Tuning h2 = Http2Tuning.DEFAULTS;

    @Override
    public Mode mode() {
        return Mode.of("http", ModeTrait.HTTP_MESSAGES, ModeTrait.CONNECTION_REUSE);
    }

    /** HTTP/2 first when the client offers it, then HTTP/1.1: what a TLS bind's {@code alpn} may offer. */
    @Override
    public List<String> applicationProtocols() {
        return List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    }

    /** What a TLS server's {@code alpn} may offer: HTTP/2 ({@link Http2UpstreamConnection}) and HTTP/1.1. */
    @Override
    public List<String> upstreamApplicationProtocols() {
        return List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
    }

    /** HAProxy's {@code tune.h2.*} keys, in {@code global.tune.h2} (defaults in {@code http-reference.conf}). */
    @Override
    public String configSection() {
        return "global.tune.h2";
    }

    @Override
    public String defaultsResource() {
        return "http-reference.conf";
    }

    @Override
    public void configure(ConfigSection section) {
        h2 = Http2Tuning.read(section);
    }

    /**
     * HTTP/2 from the first byte on a bind with {@code proto = h2}; on a TLS bind without
     * {@code proto}, what ALPN chooses ({@link AlpnSelection}); else HTTP/1.1.
     */
    @Override
    public void initClient(Channel channel, Session session) {
        String proto = session.listener().protocol();
        if ("h2".equals(proto)) {
            Http2ClientConnection.install(channel, session, h2);
        } else if (proto == null && (channel.pipeline().get(SslHandler.class) != null
                || channel.pipeline().get(AbstractSniHandler.class) != null)) {
            channel.pipeline().addLast(new AlpnSelection(session, h2));
        } else {
            installHttp1(channel, session);
        }
    }

    /** Makes {@code channel} an HTTP/1.1 client connection. */
    static void installHttp1(Channel channel, Session session) {
        // HAProxy reads a head only within its buffer (tune.bufsize).
        int maxHead = Math.min(session.frontend().maxHeaderSize(), session.frontend().bufferSize());
        // A client that sends its request and then its FIN (nc, scripts) still gets its response.
        channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ClientInput input = new ClientInput();
        channel.pipeline()
                .addLast(input)
                .addLast(new ClientCodec(maxHead, maxHead, MAX_CHUNK))
                .addLast(new HttpSessionHandler(session, input));
    }

    @Override
    public void initUpstream(Channel channel, Backend backend) {
        channel.pipeline()
                .addLast(new UpstreamCodec(new HttpDecoderConfig()
                        .setMaxInitialLineLength(16 * 1024)
                        .setMaxHeaderSize(MAX_RESPONSE_HEAD)
                        .setMaxChunkSize(MAX_CHUNK)
                        .setAllowDuplicateContentLengths(true)
                        .setUseRfc9112TransferEncoding(false), backend.maxHeaders()))
                .addLast(new UpstreamHandler());
    }

    /** HTTP/2 ({@code proto = h2}, or ALPN h2) multiplexes its streams; HTTP/1.1 ({@code h1}, {@code http/1.1}) does not. */
    @Override
    public Future<MultiplexedConnection> multiplex(Channel channel, String protocol, long connectTimeoutMillis,
                                                   long idleTimeoutMillis) {
        if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            return null;
        }
        return Http2UpstreamConnection.install(channel, h2, connectTimeoutMillis, idleTimeoutMillis, MAX_RESPONSE_HEAD);
    }
}
