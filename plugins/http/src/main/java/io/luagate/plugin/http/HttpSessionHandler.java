package io.luagate.plugin.http;

import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.stream.DrainEvent;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One client connection in HTTP mode. Requests are handled one at a time, in order: while an
 * exchange waits for its response, later pipelined requests stay queued here, already decoded, and
 * no more input is asked for; {@link ClientInput} gives the decoder one small slice per ask, so the
 * queue holds what one slice brought. This keeps responses in request order without buffering them.
 * A client that does not read its answers is not served further (nor read) until its connection
 * can take more output again, within timeout.client: backpressure instead of buffering or closing.
 *
 * <p>On an HTTP/2 stream ({@link Http2ClientConnection}) the same handler serves the stream's one
 * request: it is then no handler in a pipeline but driven by its {@link Http2ClientStream}, which
 * calls the same methods (with no context). The stream ends with its response, so where an
 * HTTP/1.1 connection would wait for the next request or linger, the stream is closed once its
 * writes are out.
 *
 * <p>Timers: {@code timeout.http-request} runs from the first byte of a request until its head is
 * complete (408 after); {@code timeout.http-keep-alive} runs between requests (quiet close after).
 */
final class HttpSessionHandler extends ChannelInboundHandlerAdapter implements IdleTimer.Owner {

    /** The longest a closing connection reads and drops what the client still sends. */
    static final long LINGER_MILLIS = 2_000;

    private final Session session;
    private final WireCounter wire;
    /** The HTTP/2 stream this handler serves, or {@code null} on an HTTP/1.1 connection. */
    private final Http2ClientStream stream;
    /**
     * Where the timers wait for their checks: the HTTP/2 connection's {@link TimerGroup} for a
     * stream, the loop's {@link LoopTimers} for an HTTP/1.1 connection (set when it is added).
     */
    private TimerCheck timers;
    /** Decoded messages waiting for their turn; made when first needed (an idle connection holds none). */
    private ArrayDeque<Object> pending;
    /** The most messages {@link #pending} ever held (tests check the bound). */
    private int pendingPeak;
    /** The HTTP/1.1 connection's place in its pipeline; {@code null} on an HTTP/2 stream. */
    private ChannelHandlerContext ctx;
    /** Where requests come from and responses go: {@link #ctx}'s connection, or {@link #stream}. */
    private ClientEnd client;
    /** The HTTP/1.1 connection's socket end; {@code null} on an HTTP/2 stream. */
    private ClientInput input;
    private IdleTimer requestTimer;
    /** Made when first armed, dropped while the connection waits for a next request; see {@link #clientTimer()}. */
    private IdleTimer clientTimer;
    /** Made when first armed, dropped as {@link #clientTimer}; see {@link #serverTimer()}. */
    private IdleTimer serverTimer;
    private HttpExchange current;
    private boolean waitingFirstRequest = true;
    private boolean started;
    private boolean closing;
    /** No request after the current one will be served (Connection: close, HTTP/1.0...). */
    private boolean lastRequest;
    /** The client sent its FIN: answer what was asked, then close. */
    private boolean inputClosed;
    /** The client's request announced itself as its last, and was read to its end: nothing more comes. */
    private boolean clientFinished;
    private boolean dispatching;
    /** Between requests, the client's connection takes no more output: the next request waits. */
    private boolean outputBlocked;

    /** For an HTTP/1.1 connection whose socket end is {@code input}. */
    HttpSessionHandler(Session session, ClientInput input) {
        this(session, input.wire(), null, null);
        this.input = input;
    }

    /**
     * @param stream the HTTP/2 stream, or {@code null} for an HTTP/1.1 connection
     * @param streamTimers the HTTP/2 connection's timer check, with {@code stream}
     */
    HttpSessionHandler(Session session, WireCounter wire, Http2ClientStream stream, TimerGroup streamTimers) {
        this.session = session;
        this.wire = wire;
        this.stream = stream;
        this.timers = streamTimers;
    }

    Session session() {
        return session;
    }

    /** The session's frontend now: after a reload, the new generation's from the connection's next request on. */
    private Frontend frontend() {
        return session.frontend();
    }

    /** The HTTP/1.1 connection's context (a tunnel takes the connection over); {@code null} on an HTTP/2 stream. */
    ChannelHandlerContext ctx() {
        return ctx;
    }

    ClientEnd client() {
        return client;
    }

    WireCounter wire() {
        return wire;
    }

    /** The client-side inactivity timer (one per connection), made on first use. */
    IdleTimer clientTimer() {
        if (clientTimer == null) {
            clientTimer = new IdleTimer(this);
        }
        return clientTimer;
    }

    /** The server-side inactivity timer of the exchange in progress (one per connection), made on first use. */
    IdleTimer serverTimer() {
        if (serverTimer == null) {
            serverTimer = new IdleTimer(this);
        }
        return serverTimer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.client = new Http1ClientEnd(ctx);
        this.timers = LoopTimers.of(ctx.channel().eventLoop());
        this.requestTimer = new IdleTimer(this);
        // Only a keep-alive connection waits for the first byte of a next request.
        wire.onFirstRead(this);
        if (ctx.channel().isActive()) {
            // Installed on a live connection (after a TLS handshake chose HTTP/1.1): no channelActive comes.
            start();
        }
    }

    /** Starts serving an HTTP/2 stream (its HEADERS frame is about to be read). */
    void streamOpened() {
        this.client = stream;
        this.requestTimer = new IdleTimer(this);
        start();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    /** The first request may come: once, whether the connection became active before (after a TLS handshake) or after this was added. */
    private void start() {
        if (started) {
            return;
        }
        started = true;
        if (stream == null) {
            // An HTTP/2 stream's head is complete when the stream opens (its HEADERS frame is
            // waiting to be read): no timer is armed (and scheduled) for it.
            requestTimer.start(frontend().httpRequestTimeoutMillis());
        }
        client.read();
    }

    /** The first byte since the session started waiting for a request (counted by the {@link WireCounter}). */
    void firstByteOfRequest() {
        if (current == null && requestTimer.armed() && !waitingFirstRequest) {
            // Keep-alive wait over: the request head now has timeout.http-request to arrive.
            requestTimer.start(frontend().httpRequestTimeoutMillis());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        read(msg);
    }

    /** A request head or piece of body from the client. */
    void read(Object msg) {
        if (clientTimer != null) {
            clientTimer.touch();
        }
        if (closing) {
            ReferenceCountUtil.release(msg);
            if (stream != null) {
                // An HTTP/2 stream answered: the rest of its request is read and dropped.
                client.read();
            }
            return;
        }
        if (hasPending() || !canDispatch() || outputBlocked) {
            if (pending == null) {
                // Small: on a stream, what waits is a piece or two of its one request's body; on
                // an HTTP/1.1 connection, pipelined requests (rare) grow it.
                pending = new ArrayDeque<>(2);
            }
            pending.add(msg);
            pendingPeak = Math.max(pendingPeak, pending.size());
            return;
        }
        dispatch(msg);
        // A body streaming on: the next slice of it in the same batch (one flush to the server).
        readIfWanted();
    }

    /** The most decoded messages that ever waited on this connection. */
    int pendingPeak() {
        return pendingPeak;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readComplete();
    }

    /** The end of what one read brought. */
    void readComplete() {
        if (current != null) {
            current.clientReadComplete();
        }
        readIfWanted();
    }

    /** Whether the next message can be handled now (no exchange, or the current one still takes its body). */
    private boolean canDispatch() {
        return current == null || !current.requestComplete();
    }

    private void dispatch(Object msg) {
        if (current != null && current.upgrading()) {
            current.clientBytesDuringUpgrade(msg);
            return;
        }
        if (msg instanceof HttpRequest request) {
            if (lastRequest) {
                ReferenceCountUtil.release(msg);
                return;
            }
            startExchange(request);
        } else if (msg instanceof HttpContent content && current != null) {
            current.requestContent(content);
        } else if (msg instanceof ByteBuf buf && current == null) {
            // Raw bytes only come out of the decoder as it leaves for a tunnel; without an exchange, nothing to do.
            buf.release();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startExchange(HttpRequest request) {
        requestTimer.stop();
        waitingFirstRequest = false;
        Stream stream = session.newStream();
        int status = request.decoderResult().isFailure() ? decodeFailure(request.decoderResult().cause())
                : RequestHeadCheck.check(request, frontend().maxHeaders());
        if (status != RequestHeadCheck.ACCEPTED) {
            stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
            stream.requestReceived(null);
            fatalReply(stream, status);
            ReferenceCountUtil.release(request);
            return;
        }
        current = new HttpExchange(this, stream, request);
        clientTimer().start(frontend().clientTimeoutMillis());
        current.start();
    }

    private static int decodeFailure(Throwable cause) {
        return cause instanceof TooLongHttpHeaderException ? 431 : cause instanceof TooLongHttpLineException ? 414 : 400;
    }

    /** Answers with an error page and closes the connection: the request stream cannot be trusted. */
    void fatalReply(Stream stream, int status) {
        HttpReply reply = ErrorPages.forStatus(status);
        long before = wire.bytesOut;
        stream.status(status);
        // Made where HAProxy's H1 mux makes it, before any rule: http-after-response does not see it,
        // and only the frontend's empty error file for the status replaces it (by nothing).
        if (!ErrorPages.silenced(status, frontend())) {
            client.write(Replies.toResponse(reply, false, HttpVersion.HTTP_1_1));
        }
        stream.addBytesToClient(wire.bytesOut - before);
        stream.addBytesFromClient(wire.bytesIn - wire.bytesInCounted);
        wire.bytesInCounted = wire.bytesIn;
        stream.end();
        closeGracefully();
    }

    /**
     * Closes once what was written is flushed, but within timeout.client: a client that does not
     * read cannot keep the connection (and its maxconn slot) forever.
     */
    private void closeGracefully() {
        closing = true;
        releasePending();
        requestTimer.stop();
        clientTimer().start(frontend().clientTimeoutMillis());
        if (stream != null) {
            // Closing a stream that is not over resets it: only once the answer is out.
            stream.afterWrites(this::endStream);
            return;
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> linger(f.isSuccess()));
    }

    /**
     * The answer on an HTTP/2 stream is out. A client still sending its request is read to its end
     * and what it sends is dropped (the stream then closes by itself; HAProxy does the same, and
     * frames that break the protocol on the way still get their stream error); timeout.client
     * bounds that, after which the stream is reset.
     */
    private void endStream() {
        if (stream.isActive() && stream.clientSending()) {
            stream.read();
        } else {
            stream.close();
        }
    }

    /**
     * A lingering close (RFC 9112 section 9.6): the last response is followed by a FIN, then what the
     * client still sends (the rest of a huge head, pipelined requests) is read and dropped until it
     * closes too, for at most {@link #LINGER_MILLIS}. Closing at once with unread input would send a
     * reset that can destroy the response before the client reads it.
     */
    private void linger(boolean flushed) {
        // A client that said its request was its last, all of it read and nothing after it, sends
        // no more: closing now sends a FIN, not a reset, as HAProxy's shutdown and close at once do.
        // This spares the half-close, the wait for the client's FIN and a turn of the loop per
        // connection, which is most of a one-request connection's close.
        boolean quiet = clientFinished && (input == null || !input.holding());
        boolean clientDone = inputClosed || input != null && input.discard();
        if (!flushed || clientDone || quiet || !(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        duplex.shutdownOutput();
        clientTimer().start(Math.min(LINGER_MILLIS, frontend().clientTimeoutMillis()));
        ctx.read();
    }

    /**
     * Called by the exchange when both its request and its response are complete. Goes on with the
     * next request, or closes when either side asked for it.
     */
    void exchangeDone(HttpExchange exchange, boolean keepAlive) {
        if (exchange != current) {
            return;
        }
        current = null;
        clientTimer().stop();
        clientFinished = exchange.clientSaidClose() && exchange.requestComplete();
        if (stream != null || !keepAlive || session.draining() || lastRequest || closing || inputClosed && !hasPending()) {
            closeGracefully();
            return;
        }
        nextRequest();
    }

    private void nextRequest() {
        if (!client.isWritable()) {
            // The client does not read its answers: serve nothing more until it does, and let
            // timeout.client bound the wait (HAProxy's stream waits on its full response buffer).
            outputBlocked = true;
            requestTimer.stop();
            clientTimer().start(frontend().clientTimeoutMillis());
            return;
        }
        if (outputBlocked) {
            outputBlocked = false;
            clientTimer().stop();
        }
        wire.readSinceIdle = hasPending() || input != null && input.holding();
        if (!wire.readSinceIdle) {
            releaseExchangeTimers();
        }
        requestTimer.start(wire.readSinceIdle ? frontend().httpRequestTimeoutMillis() : frontend().httpKeepAliveTimeoutMillis());
        dispatchPending();
        readIfWanted();
    }

    private void dispatchPending() {
        if (dispatching) {
            return;
        }
        dispatching = true;
        try {
            while (hasPending() && canDispatch() && !closing) {
                dispatch(pollPending());
            }
        } finally {
            dispatching = false;
        }
    }

    /** Reads from the client when the state allows taking more bytes. */
    void readIfWanted() {
        if (closing || inputClosed || outputBlocked || !client.isActive() || hasPending()) {
            return;
        }
        if (current == null ? client.isWritable() : current.wantsRequestBody()) {
            if (input != null) {
                input.bodyAhead(current == null || current.requestComplete() ? 0 : current.bodyBytesLeft());
            }
            client.read();
        }
    }

    /** The exchange holds its request back for the rules: timeout.http-request runs meanwhile. */
    void bodyWaitStarted() {
        requestTimer.start(frontend().httpRequestTimeoutMillis());
    }

    void bodyWaitEnded() {
        requestTimer.stop();
    }

    private boolean hasPending() {
        return pending != null && !pending.isEmpty();
    }

    private Object pollPending() {
        return pending == null ? null : pending.poll();
    }

    @Override
    public TimerCheck timerCheck() {
        return timers;
    }

    @Override
    public void expired(IdleTimer timer) {
        if (timer == requestTimer) {
            requestTimedOut();
        } else if (timer == clientTimer) {
            clientTimedOut();
        } else if (timer == serverTimer) {
            serverTimedOut();
        }
    }

    private void requestTimedOut() {
        if (current != null && current.bufferingBody()) {
            current.bodyTimedOut();
            return;
        }
        if (current != null || closing) {
            return;
        }
        if (!waitingFirstRequest && !wire.readSinceIdle) {
            // timeout.http-keep-alive: an idle connection is closed quietly.
            closing = true;
            client.close();
            return;
        }
        Stream stream = session.newStream();
        stream.terminate(TerminationCause.CLIENT_TIMEOUT, StreamPhase.REQUEST);
        stream.requestReceived(null);
        fatalReply(stream, 408);
    }

    private void clientTimedOut() {
        if (current != null) {
            current.clientTimedOut();
        } else if (closing || outputBlocked) {
            client.close();
        }
    }

    private void serverTimedOut() {
        if (current != null) {
            current.serverTimedOut();
        }
    }

    /**
     * The connection now waits for a next request that may be long in coming: the client and server
     * timers, stopped, go (and leave their check) as HAProxy frees a stream's between requests; the
     * next exchange makes them again. An idle keep-alive connection holds its request timer only.
     */
    private void releaseExchangeTimers() {
        if (clientTimer != null) {
            clientTimer.cancel();
            clientTimer = null;
        }
        if (serverTimer != null) {
            serverTimer.cancel();
            serverTimer = null;
        }
    }

    private void cancelTimers() {
        if (requestTimer != null) {
            requestTimer.cancel();
        }
        if (clientTimer != null) {
            clientTimer.cancel();
        }
        if (serverTimer != null) {
            serverTimer.cancel();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    /** The client's end became writable or stopped being so. */
    void writabilityChanged() {
        if (clientTimer != null) {
            clientTimer.touch();
        }
        boolean writable = client.isWritable();
        if (current != null) {
            current.clientWritabilityChanged(writable);
        } else if (writable && outputBlocked && !closing) {
            nextRequest();
        } else if (writable) {
            readIfWanted();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputClosed = true;
            if (current != null && !current.requestComplete()) {
                // The request was cut short: nothing sensible can be answered.
                HttpExchange cut = current;
                current = null;
                cut.clientClosed();
                closing = true;
                ctx.close();
            } else if (current == null && !hasPending()) {
                // Answers may still be on their way to a client that reads slowly: they go first.
                closeGracefully();
            }
            return;
        }
        if (evt instanceof ChannelInputShutdownReadComplete) {
            return;
        }
        if (evt instanceof DrainEvent) {
            lastRequest = true;
            if (current == null) {
                closing = true;
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed();
        ctx.fireChannelInactive();
    }

    /** The client's end is gone (the connection closed, the stream ended or was reset). */
    void closed() {
        closing = true;
        cancelTimers();
        releasePending();
        if (current != null) {
            current.clientClosed();
            current = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and broken pipes end up here; channelInactive follows and cleans up. Anything
        // else is a fault of luagate's that would otherwise end the connection without a trace.
        if (!(cause instanceof IOException)) {
            RuleFailures.reportConnection(cause);
        }
        ctx.close();
    }

    /** Serves no request after the current one. */
    void lastRequest() {
        lastRequest = true;
    }

    boolean isLastRequest() {
        return lastRequest || session.draining();
    }

    /**
     * Ends the connection after what was written (a half-sent response cannot be finished): the
     * client gets the bytes that were on their way, then the close, within timeout.client.
     */
    void abort() {
        current = null;
        closeGracefully();
    }

    /** Whether the client already sent its FIN (it must be carried into a tunnel). */
    boolean inputClosed() {
        return inputClosed;
    }

    void releasePending() {
        Object msg;
        while ((msg = pollPending()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Takes this connection out of HTTP: the exchange hands it to the kernel's tunnel. */
    void leaveHttp() {
        cancelTimers();
        Object msg;
        while ((msg = pollPending()) != null) {
            if (current != null && !(msg instanceof HttpObject)) {
                current.clientBytesDuringUpgrade(msg);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }
        current = null;
    }
}
