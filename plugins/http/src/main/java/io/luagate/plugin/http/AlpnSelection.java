package io.luagate.plugin.http;

import io.luagate.spi.stream.Session;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/**
 * On a TLS bind without {@code proto}: once the handshake is done, the protocol the client chose
 * by ALPN installs its handlers: HTTP/2 for {@code h2}, HTTP/1.1 for {@code http/1.1} or no choice,
 * as HAProxy does. Bytes that arrive before that wait here and go to the chosen handlers.
 */
final class AlpnSelection extends ApplicationProtocolNegotiationHandler {

    private final Session session;
    private final Http2Tuning tuning;

    AlpnSelection(Session session, Http2Tuning tuning) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.session = session;
        this.tuning = tuning;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        // The connection does not read by itself: the handshake's first bytes are asked for here.
        ctx.read();
        super.channelActive(ctx);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            Http2ClientConnection.install(ctx.channel(), session, tuning);
        } else {
            HttpCodec.installHttp1(ctx.channel(), session);
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        // The tls plugin accounts for failed handshakes; the connection just ends.
        ctx.close();
    }
}
