package io.luagate.plugin.tcp;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.RuleRun;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.service.TcpService;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.Session;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP stream: its {@link TcpAnalyser analysers} in order, advanced by one loop
 * ({@link #advance()}), and the {@link Transaction} that rules and scripts see. An analyser either
 * finishes and hands over to the next, or waits: for the client's bytes, a timer, a suspended
 * action, the server connection or the server's bytes; the event that ends the wait advances the
 * stream again. A failure names only its cause ({@link #stop}); what the stream was doing then
 * follows from the analyser it stood at ({@link #terminate}).
 *
 * <p>The held bytes of each direction are a {@link TcpChannel}, which rules and scripts read and
 * change ({@link #channel}). Bytes held before the tunnel exists (inspected, or delivered with a
 * FIN: epoll reads on RDHUP) are passed on, and so is each FIN. A request action may hand the
 * connection to a {@link TcpService} ({@code use-service}) instead of a backend.
 *
 * <p>Confined to the client connection's event loop.
 */
final class TcpStream implements Transaction, ConnectListener, RequestInspection.Outcome, ResponseInspection.Outcome {

    private static final Logger LOG = LoggerFactory.getLogger(TcpStream.class);

    private final Session session;
    /** The codec's handler on the client connection. */
    private final ChannelHandlerContext ctx;
    private final Stream stream;
    private final TcpChannel request;
    private final TcpChannel response;
    private final RequestInspection requestInspection;
    private TcpAnalyser analyser = TcpAnalyser.INSPECT_REQUEST;
    private boolean advancing;
    private boolean advanceAgain;
    private boolean clientEnded;
    private boolean connectAsked;
    /** A connect is under way: its outcome comes back to this stream, whatever happened meanwhile. */
    private boolean connecting;
    private Channel upstream;
    /** The backend's tcp-response rules, once the server is connected and the backend has some. */
    private ResponseInspection responseInspection;
    /** The stream's filters ({@code filter} lines), or {@code null}. */
    private TcpFilters filters;
    private TcpServiceConnection service;
    private boolean tunnelled;

    TcpStream(Session session, ChannelHandlerContext ctx) {
        this.session = session;
        this.ctx = ctx;
        this.stream = session.newStream();
        stream.transaction(this);
        Frontend frontend = session.frontend();
        this.request = new TcpChannel(false, frontend.bufferSize(), ctx.alloc(), ctx.executor(), stream,
                this::requestMayGrow);
        this.response = new TcpChannel(true, frontend.bufferSize(), ctx.alloc(), ctx.executor(), stream,
                () -> responseInspection != null && responseInspection.inspecting());
        // What a rule sends the client, or lets through of the response, goes out at once.
        response.peer(ctx.channel());
        this.requestInspection = new RequestInspection(ctx, this, stream.rules(), request, frontend, this);
    }

    /**
     * Runs the analysers from the current one on, until one waits for an event or the stream is
     * over. Called by every event that may end a wait; a call from inside an analyser (a rule that
     * decided at once) makes the running loop look again instead of nesting.
     */
    void advance() {
        if (advancing) {
            advanceAgain = true;
            return;
        }
        advancing = true;
        try {
            do {
                advanceAgain = false;
                while (step()) {
                    // The analyser finished: the next one runs now.
                }
            } while (advanceAgain);
        } finally {
            advancing = false;
        }
    }

    /** Runs the current analyser; {@code true} when it finished and the next one may run. */
    private boolean step() {
        return switch (analyser) {
            case INSPECT_REQUEST -> inspectRequest();
            case SWITCH_BACKEND -> switchBackend();
            case CONNECT -> connect();
            case INSPECT_RESPONSE -> inspectResponse();
            case FORWARD -> forward();
            // A service's connection drives it; an ended stream has nothing left to run.
            case SERVICE, END -> false;
        };
    }

    private boolean inspectRequest() {
        if (!requestInspection.started()) {
            if (!attachFilters(ProxySide.FRONTEND)) {
                return false;
            }
            requestInspection.start();
        }
        Verdict verdict = requestInspection.verdict();
        if (verdict == null || analyser != TcpAnalyser.INSPECT_REQUEST) {
            // Still deciding, or a rule handed the connection to a service.
            return false;
        }
        if (verdict == Verdict.STOP) {
            // The rule that refused recorded why.
            stop(null);
            return false;
        }
        analyser = TcpAnalyser.SWITCH_BACKEND;
        return true;
    }

    private boolean switchBackend() {
        Backend backend = stream.route(this);
        if (backend == null) {
            stop(TerminationCause.PROXY);
            return false;
        }
        if (!attachFilters(ProxySide.BACKEND)) {
            return false;
        }
        // As in HAProxy, req.* variables end where the server connection is asked for.
        stream.endRequestScope();
        analyser = TcpAnalyser.CONNECT;
        return true;
    }

    private boolean connect() {
        if (!connectAsked) {
            connectAsked = true;
            connecting = true;
            stream.connect(ReusePolicy.NEW_CONNECTION, this);
        }
        if (upstream == null || analyser != TcpAnalyser.CONNECT) {
            return false;
        }
        analyser = TcpAnalyser.INSPECT_RESPONSE;
        return true;
    }

    private boolean inspectResponse() {
        if (responseInspection == null) {
            if (filters != null) {
                filters.tap(upstream, false);
                if (!filters.startResponse()) {
                    filterFailed();
                    return false;
                }
            }
            // What the rules let through (and what was sent ahead of it) goes first.
            request.flushTo(upstream);
            Backend backend = stream.backend();
            if (backend == null || stream.rules().isEmpty(RuleList.BACKEND_TCP_RESPONSE_CONTENT)) {
                analyser = TcpAnalyser.FORWARD;
                return true;
            }
            if (clientEnded) {
                shutdownServerOutput();
            }
            responseInspection = new ResponseInspection(this, this, stream.rules(), upstream, response, backend);
            responseInspection.start();
            if (!responseInspection.decided()) {
                // The client's bytes keep going to the server while its first bytes are inspected.
                readClient();
            }
        }
        Verdict verdict = responseInspection.verdict();
        if (verdict == null || analyser != TcpAnalyser.INSPECT_RESPONSE) {
            return false;
        }
        if (verdict == Verdict.STOP) {
            stop(null);
            return false;
        }
        analyser = TcpAnalyser.FORWARD;
        return true;
    }

    /** Both connections become the kernel's tunnel; a FIN seen on either side is passed to it. */
    private boolean forward() {
        if (tunnelled) {
            return false;
        }
        boolean serverEnded = false;
        if (responseInspection != null) {
            response.flushTo(ctx.channel());
            if (responseInspection.closesServer()) {
                closeServerAfterResponse();
                return false;
            }
            serverEnded = responseInspection.serverEnded();
        }
        tunnelled = true;
        request.release();
        response.release();
        ctx.pipeline().remove(ctx.handler());
        stream.tunnel(upstream);
        if (clientEnded) {
            ctx.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        if (serverEnded) {
            upstream.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        return false;
    }

    /** {@code tcp-response content close}: the server goes now; the client gets what was held, then the end. */
    private void closeServerAfterResponse() {
        analyser = TcpAnalyser.END;
        upstream.close();
        request.release();
        response.release();
        stream.end();
        Channel client = ctx.channel();
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        long timeout = session.frontend().clientTimeoutMillis();
        if (timeout > 0) {
            // A client that does not read cannot hold the connection open.
            ScheduledFuture<?> force = client.eventLoop().schedule(() -> client.close(), timeout, TimeUnit.MILLISECONDS);
            client.closeFuture().addListener(f -> force.cancel(false));
        }
    }

    /**
     * Records why the stream ended; what it was doing then follows from the analyser it stood at,
     * as HAProxy's {@code sess_set_term_flags} derives it from the server side's state: before the
     * server connection was asked for, the request ({@code R}); while connecting, the connect
     * ({@code C}); from the established connection (or a service) on, the data ({@code D}). The
     * first cause recorded wins.
     */
    void terminate(TerminationCause cause) {
        stream.terminate(cause, switch (analyser) {
            case INSPECT_REQUEST, SWITCH_BACKEND -> StreamPhase.REQUEST;
            case CONNECT -> StreamPhase.CONNECT;
            case INSPECT_RESPONSE, FORWARD, SERVICE, END -> StreamPhase.DATA;
        });
    }

    /**
     * Ends the stream before its analysers are through, releasing everything it holds: held bytes,
     * a suspended action, the server connection, the client connection.
     *
     * @param cause why; {@code null} when a rule or the kernel recorded it already (a reject, a
     *              failed connect)
     */
    private void stop(TerminationCause cause) {
        if (analyser == TcpAnalyser.END) {
            return;
        }
        if (cause != null) {
            terminate(cause);
        }
        switch (analyser) {
            case FORWARD -> {
                // The kernel's tunnel ends the stream when its connections close.
                analyser = TcpAnalyser.END;
                upstream.close();
                ctx.channel().close();
            }
            case SERVICE -> {
                // The service hears the end when the connection closes; the stream ends now.
                releaseHeld();
                stream.end();
                ctx.close();
            }
            default -> {
                requestInspection.cancel();
                if (responseInspection != null) {
                    responseInspection.abandon();
                }
                releaseHeld();
                if (upstream != null) {
                    upstream.close();
                }
                if (connecting) {
                    // The connect's outcome comes back here, and ends the stream.
                    ctx.close();
                    return;
                }
                analyser = TcpAnalyser.END;
                stream.end();
                ctx.close();
            }
        }
    }

    // What the client connection reports (TcpSessionHandler).

    void clientRead(ByteBuf buf) {
        switch (analyser) {
            case INSPECT_REQUEST, SWITCH_BACKEND, CONNECT -> request.received(buf);
            case INSPECT_RESPONSE -> {
                stream.addBytesFromClient(buf.readableBytes());
                upstream.write(buf, upstream.voidPromise());
            }
            case SERVICE -> service.data(buf);
            case FORWARD, END -> buf.release();
        }
    }

    void clientReadComplete() {
        switch (analyser) {
            case INSPECT_REQUEST -> requestInspection.readComplete(clientEnded || request.isFull());
            case INSPECT_RESPONSE -> {
                upstream.flush();
                readClient();
            }
            case SERVICE -> service.readComplete();
            default -> {
                // Held until the server connection exists, or nobody reads any more.
            }
        }
    }

    /** The client ended its output (a FIN). */
    void clientEnded() {
        clientEnded = true;
        request.inputEnded();
        switch (analyser) {
            case INSPECT_REQUEST -> requestInspection.inputEnded();
            case INSPECT_RESPONSE -> shutdownServerOutput();
            case SERVICE -> service.inputEnded();
            default -> {
                // Passed to the tunnel when it starts.
            }
        }
    }

    void clientClosed() {
        switch (analyser) {
            case SERVICE -> {
                releaseHeld();
                service.closed();
            }
            case END -> releaseHeld();
            default -> stop(TerminationCause.CLIENT_ABORT);
        }
    }

    void clientWritabilityChanged() {
        if (analyser == TcpAnalyser.SERVICE) {
            service.writabilityChanged();
        }
    }

    // The server connection (ConnectListener).

    @Override
    public void connected(UpstreamConnection connection) {
        connecting = false;
        Channel server = connection.channel();
        if (!ctx.channel().isActive()) {
            server.close();
            stop(TerminationCause.CLIENT_ABORT);
            return;
        }
        upstream = server;
        advance();
    }

    @Override
    public void failed(Throwable cause) {
        connecting = false;
        // The kernel recorded why (no server, refused, timed out, the client left).
        stop(null);
    }

    // The rules' outcomes (RequestInspection.Outcome, ResponseInspection.Outcome).

    @Override
    public void requestDecided() {
        advance();
    }

    @Override
    public void requestActionTimedOut() {
        stop(TerminationCause.INTERNAL);
    }

    @Override
    public boolean served() {
        return service != null;
    }

    @Override
    public void responseDecided() {
        advance();
    }

    @Override
    public void responseActionTimedOut() {
        stop(TerminationCause.INTERNAL);
    }

    @Override
    public boolean clientAlive() {
        return analyser != TcpAnalyser.END && ctx.channel().isActive();
    }

    @Override
    public void serverWritabilityChanged() {
        if (upstream.isWritable()) {
            readClient();
        }
    }

    /**
     * Attaches a proxy's filters (the frontend's at accept, the backend's once routed); what is
     * written to the client passes them from then on.
     *
     * @return {@code false} when one failed the stream
     */
    private boolean attachFilters(ProxySide side) {
        if (!stream.rules().hasFilters(side)) {
            return true;
        }
        if (filters == null) {
            filters = new TcpFilters(this, this::filterFailed);
            filters.tap(ctx.channel(), true);
            TcpFilters attached = filters;
            ctx.channel().closeFuture().addListener(f -> attached.close());
        }
        if (!filters.attach(side)) {
            filterFailed();
            return false;
        }
        return true;
    }

    /** A filter said ERROR: both connections close. */
    private void filterFailed() {
        stop(TerminationCause.PROXY);
    }

    private boolean requestMayGrow() {
        return requestInspection != null && requestInspection.moreMayCome();
    }

    /** Reads the client while its bytes go straight to the server (tcp-response rules run). */
    private void readClient() {
        if (analyser == TcpAnalyser.INSPECT_RESPONSE && !clientEnded && ctx.channel().isActive() && upstream.isWritable()) {
            ctx.read();
        }
    }

    /** Passes the client's FIN to the server once what was written is flushed. */
    private void shutdownServerOutput() {
        if (upstream instanceof DuplexChannel duplex && upstream.isActive()) {
            upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput());
        } else {
            upstream.close();
        }
    }

    private void releaseHeld() {
        request.release();
        response.release();
    }

    // Transaction: what rules and scripts see.

    @Override
    public Suspension suspend() {
        return activeRules().suspend();
    }

    @Override
    public void markMayChange() {
        activeRules().markMayChange();
    }

    @Override
    public int mayChangeMarks() {
        return activeRules().mayChangeMarks();
    }

    private RuleRun activeRules() {
        return responseInspection != null ? responseInspection.rules() : requestInspection.rules();
    }

    @Override
    public ChannelBuffer channel(boolean response) {
        return response ? this.response : request;
    }

    @Override
    public void closeServer() {
        if (responseInspection == null || responseInspection.decided()) {
            throw new UnsupportedOperationException("'close' needs a server connection under tcp-response rules");
        }
        responseInspection.closeServer();
    }

    @Override
    public void serve(TcpService handler) {
        if (analyser != TcpAnalyser.INSPECT_REQUEST || requestInspection.verdict() != null) {
            throw new IllegalStateException("the connection is decided already");
        }
        service = new TcpServiceConnection(ctx, this, request.takeAll(), clientEnded, session.frontend().clientTimeoutMillis(),
                this::terminate);
        request.release();
        analyser = TcpAnalyser.SERVICE;
        // Served from a suspension too: the rules are over, whether or not the action resumes.
        requestInspection.settle();
        try {
            handler.serve(service);
        } catch (RuntimeException e) {
            LOG.warn("a TCP service failed to start", e);
            ctx.close();
        }
    }

    @Override
    public Stream stream() {
        return stream;
    }

    @Override
    public void reply(HttpReply reply) {
        // No HTTP here: an action that answers ends the connection.
        terminate(TerminationCause.LOCAL);
        ctx.close();
    }

    @Override
    public HttpHead request() {
        return null;
    }

    @Override
    public HttpHead response() {
        return null;
    }

    @Override
    public byte[] requestBody() {
        return requestInspection.inspecting() ? request.array() : null;
    }
}
