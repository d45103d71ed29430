package io.luagate.plugin.tcp;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.proxy.Frontend;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.HttpReply;
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
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP session: {@code tcp-request content} rules (after reading the client's first bytes for
 * up to {@code inspect-delay}, when set), then the backend is chosen and connected (with the
 * kernel's retries); when the backend has {@code tcp-response content} rules, the server's first
 * bytes are held for them ({@link ResponseInspection}) while the client's bytes keep flowing to
 * the server; then both connections are handed to the kernel's tunnel. Bytes held before the
 * tunnel exists (inspected, or delivered with a FIN: epoll reads on RDHUP) are passed on, and so
 * is each FIN.
 *
 * <p>The held bytes of each direction are a {@link TcpChannel}, which rules and scripts read and
 * change ({@link #channel}). An action may suspend the rules ({@link Transaction#suspend()}): what
 * arrives meanwhile is held, a later trigger to decide (more data, the FIN, the end of
 * inspect-delay) is remembered instead of re-running the rules, and the resume goes on from the
 * next rule; {@code timeout.client} (request rules) or {@code timeout.server} (response rules)
 * bounds the wait. A request action may also hand the connection to a {@link TcpService}
 * ({@code use-service}).
 */
final class TcpSessionHandler extends ChannelInboundHandlerAdapter
        implements ConnectListener, Transaction, ContentRules.Host, ResponseInspection.Outcome {

    private static final Logger LOG = LoggerFactory.getLogger(TcpSessionHandler.class);

    private final Session session;
    private Stream stream;
    private ChannelHandlerContext ctx;
    private TcpChannel request;
    private TcpChannel response;
    private ContentRules requestRules;
    private boolean inputShutdown;
    private boolean inspecting;
    private boolean decided;
    private ScheduledFuture<?> inspectionDeadline;
    private TcpServiceConnection service;
    /** The server connection once made, and its inspection while tcp-response rules run. */
    private Channel upstream;
    private ResponseInspection responseInspection;
    /** The connections are being closed by the codec itself: late events change nothing. */
    private boolean closing;
    /** The stream's filters ({@code filter} lines), or {@code null}. */
    private TcpFilters filters;
    /** Both connections are the kernel's tunnel now. */
    private boolean tunnelled;

    TcpSessionHandler(Session session) {
        this.session = session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        stream = session.newStream();
        stream.transaction(this);
        Frontend frontend = session.frontend();
        requestRules = new ContentRules(frontend.tcpRequestRules(), this, ctx.executor(), frontend.clientTimeoutMillis(), this);
        request = new TcpChannel(false, frontend.bufferSize(), ctx.alloc(), ctx.executor(), stream,
                () -> inspecting && !requestRules.inLastEvaluation());
        response = new TcpChannel(true, frontend.bufferSize(), ctx.alloc(), ctx.executor(), stream,
                () -> responseInspection != null && responseInspection.inspecting());
        // What a rule sends the client, or lets through of the response, goes out at once.
        response.peer(ctx.channel());
        ctx.fireChannelActive();
        if (!attachFilters(frontend.filters())) {
            return;
        }
        long delay = frontend.tcpInspectDelayMillis();
        if (delay > 0 && !requestRules.isEmpty()) {
            // Inspect: read what the client sends, for up to inspect-delay, until a rule decides.
            inspecting = true;
            inspectionDeadline = ctx.executor().schedule(() -> decide(true), delay, TimeUnit.MILLISECONDS);
            // Rules that do not need data decide at once (server-speaks-first protocols go through).
            decide(false);
            return;
        }
        decide(true);
    }

    /**
     * Runs the content rules on what arrived so far; {@code last}: inspect-delay ended, the
     * client's FIN, or a full buffer (what is there is final). When no rule decides, the
     * connection is accepted.
     */
    private void decide(boolean last) {
        if (decided || !ctx.channel().isActive()) {
            return;
        }
        requestRules.evaluate(last);
        if (last) {
            // A caller waiting for more bytes looks again: these rules will not wait any more.
            request.wake();
        }
    }

    // ---- the request rules (ContentRules.Host) -----------------------------------------------

    @Override
    public void concluded(Verdict verdict) {
        if (verdict == Verdict.PENDING) {
            readWhileSuspended();
            return;
        }
        if (verdict == Verdict.WAIT) {
            ctx.read();
            return;
        }
        decided = true;
        inspecting = false;
        if (inspectionDeadline != null) {
            inspectionDeadline.cancel(false);
        }
        request.wake();
        if (service != null) {
            return;
        }
        if (verdict == Verdict.STOP) {
            releaseHeld();
            stream.end();
            ctx.close();
            return;
        }
        proceed();
    }

    @Override
    public void suspensionTimedOut() {
        stream.terminate(TerminationCause.INTERNAL, StreamPhase.REQUEST);
        releaseHeld();
        stream.end();
        ctx.close();
    }

    @Override
    public boolean alive() {
        return ctx.channel().isActive();
    }

    @Override
    public boolean served() {
        return service != null;
    }

    /**
     * Reads on while an action waits, up to tune.bufsize (what arrives is held for the rules, as
     * during inspection): a client that leaves is noticed, and a full buffer holds the client back.
     */
    private void readWhileSuspended() {
        if (request.mayReceive() && ctx.channel().isActive()) {
            ctx.read();
        }
    }

    private void proceed() {
        Backend backend = stream.route(this);
        if (backend == null) {
            stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
            stream.end();
            releaseHeld();
            ctx.close();
            return;
        }
        if (!attachFilters(backend.filters())) {
            return;
        }
        // As in HAProxy, req.* variables end where the server connection is asked for.
        stream.endRequestScope();
        stream.connect(ReusePolicy.NEW_CONNECTION, this);
    }

    /**
     * Attaches a proxy's filters (the frontend's at accept, the backend's once routed); what is
     * written to the client passes them from then on.
     *
     * @return {@code false} when one failed the stream
     */
    private boolean attachFilters(java.util.List<io.luagate.spi.filter.Filter> declared) {
        if (declared.isEmpty()) {
            return true;
        }
        if (filters == null) {
            filters = new TcpFilters(this, this::filterFailed);
            filters.tap(ctx.channel(), true);
            TcpFilters attached = filters;
            ctx.channel().closeFuture().addListener(f -> attached.close());
        }
        if (!filters.attach(declared)) {
            filterFailed();
            return false;
        }
        return true;
    }

    /** A filter said ERROR: both connections close. */
    private void filterFailed() {
        if (closing) {
            return;
        }
        stream.terminate(TerminationCause.PROXY, upstream == null ? StreamPhase.REQUEST : StreamPhase.DATA);
        if (tunnelled) {
            // The kernel's tunnel ends the stream when its connections close.
            closing = true;
            upstream.close();
            ctx.channel().close();
            return;
        }
        if (upstream == null) {
            closing = true;
            releaseHeld();
            stream.end();
            ctx.close();
            return;
        }
        closeBoth();
    }

    // ---- the server connection ---------------------------------------------------------------

    @Override
    public void connected(UpstreamConnection connection) {
        Channel server = connection.channel();
        if (!ctx.channel().isActive()) {
            server.close();
            releaseHeld();
            stream.terminate(TerminationCause.CLIENT_ABORT, StreamPhase.CONNECT);
            stream.end();
            return;
        }
        upstream = server;
        if (filters != null) {
            filters.tap(server, false);
            if (!filters.startResponse()) {
                filterFailed();
                return;
            }
        }
        // What the rules let through (and what was sent ahead of it) goes first.
        request.flushTo(server);
        Backend backend = stream.backend();
        if (backend == null || backend.tcpResponseRules().isEmpty()) {
            startTunnel(false);
            return;
        }
        if (inputShutdown) {
            shutdownServerOutput();
        }
        responseInspection = new ResponseInspection(this, this, server, response, backend);
        responseInspection.start();
        if (!responseInspection.decided()) {
            // The client's bytes keep going to the server while its first bytes are inspected.
            readClient();
        }
    }

    @Override
    public void failed(Throwable cause) {
        releaseHeld();
        stream.end();
        ctx.close();
    }

    /** Both connections become the kernel's tunnel; a FIN seen on either side is passed to it. */
    private void startTunnel(boolean serverEnded) {
        request.release();
        response.release();
        ctx.pipeline().remove(this);
        tunnelled = true;
        stream.tunnel(upstream);
        if (inputShutdown) {
            ctx.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
        if (serverEnded) {
            upstream.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    // ---- the response rules (ResponseInspection.Outcome) -------------------------------------

    @Override
    public void responseAccepted(boolean serverEnded, boolean closeServer) {
        response.flushTo(ctx.channel());
        if (!closeServer) {
            startTunnel(serverEnded);
            return;
        }
        // tcp-response close: the server goes now; the client gets what was held, then the end.
        closing = true;
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

    @Override
    public void responseRefused() {
        closeBoth();
    }

    @Override
    public void responseActionTimedOut() {
        stream.terminate(TerminationCause.INTERNAL, StreamPhase.DATA);
        closeBoth();
    }

    @Override
    public boolean clientAlive() {
        return !closing && ctx.channel().isActive();
    }

    @Override
    public void serverWritabilityChanged() {
        if (upstream.isWritable()) {
            readClient();
        }
    }

    private void closeBoth() {
        closing = true;
        releaseHeld();
        upstream.close();
        stream.end();
        ctx.close();
    }

    /** Reads the client while its bytes go straight to the server (tcp-response rules run). */
    private void readClient() {
        if (!inputShutdown && !closing && ctx.channel().isActive() && upstream.isWritable()) {
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

    private boolean responsePhase() {
        return responseInspection != null;
    }

    // ---- Transaction -------------------------------------------------------------------------

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

    private ContentRules activeRules() {
        return responsePhase() ? responseInspection.rules() : requestRules;
    }

    @Override
    public ChannelBuffer channel(boolean response) {
        return response ? this.response : request;
    }

    @Override
    public void closeServer() {
        if (!responsePhase() || responseInspection.decided()) {
            throw new UnsupportedOperationException("'close' needs a server connection under tcp-response rules");
        }
        responseInspection.closeServer();
    }

    @Override
    public void serve(TcpService handler) {
        if (service != null || decided) {
            throw new IllegalStateException("the connection is decided already");
        }
        service = new TcpServiceConnection(ctx, this, request.takeAll(), inputShutdown, session.frontend().clientTimeoutMillis());
        request.release();
        decided = true;
        inspecting = false;
        if (inspectionDeadline != null) {
            inspectionDeadline.cancel(false);
        }
        // Served from a suspension too: the rules are over, whether or not the action resumes.
        requestRules.settle();
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
        stream.terminate(TerminationCause.LOCAL, responsePhase() ? StreamPhase.DATA : StreamPhase.REQUEST);
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
        return inspecting ? request.array() : null;
    }

    // ---- the client connection ---------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (service != null) {
            service.data(buf);
        } else if (closing) {
            buf.release();
        } else if (responsePhase()) {
            stream.addBytesFromClient(buf.readableBytes());
            upstream.write(buf, upstream.voidPromise());
        } else {
            request.received(buf);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (service != null) {
            service.readComplete();
            return;
        }
        if (closing) {
            return;
        }
        if (responsePhase()) {
            upstream.flush();
            readClient();
            return;
        }
        boolean last = inputShutdown || request.isFull();
        if (requestRules.suspended()) {
            if (last) {
                decide(true);
            }
            readWhileSuspended();
            return;
        }
        if (inspecting) {
            decide(last);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            request.inputEnded();
            if (service != null) {
                service.inputEnded();
            } else if (responsePhase()) {
                if (!closing) {
                    shutdownServerOutput();
                }
            } else if (inspecting) {
                decide(true);
            }
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (inspectionDeadline != null) {
            inspectionDeadline.cancel(false);
        }
        if (service != null) {
            releaseHeld();
            service.closed();
        } else if (responsePhase()) {
            if (!closing) {
                closing = true;
                responseInspection.abandon();
                releaseHeld();
                upstream.close();
                stream.terminate(TerminationCause.CLIENT_ABORT, StreamPhase.DATA);
                stream.end();
            }
        } else if (stream != null && !stream.ended()) {
            boolean wasSuspended = requestRules.suspended();
            requestRules.cancel();
            releaseHeld();
            stream.terminate(TerminationCause.CLIENT_ABORT, wasSuspended || !decided ? StreamPhase.REQUEST : StreamPhase.CONNECT);
            if (!decided) {
                // Nothing else will end it: no connect is under way.
                stream.end();
            }
        } else {
            releaseHeld();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (service != null) {
            service.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void releaseHeld() {
        if (request != null) {
            request.release();
            response.release();
        }
    }
}
