package io.luagate.plugin.http;

import io.luagate.spi.filter.Filter;
import io.luagate.spi.http.HttpHead;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.proxy.ConnectionMode;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One request and its response: rules, routing, upstream connect, then the request head and body
 * streamed up and the response streamed down, chunk by chunk, with backpressure both ways (a side
 * is read only while the other can take what is read). Confined to the client's event loop.
 *
 * <p>Failure handling follows DESIGN section 4: a reused upstream connection that closes before
 * any response byte gets one retry on a brand-new connection when the request is replayable;
 * anything else gets 502, 503 or 504 if nothing was sent to the client yet, or a closed client
 * connection if a response was already half-sent.
 */
final class HttpExchange implements ConnectListener, Transaction, RuleRunner.Host {

    /** A request body up to this size is read and dropped after a proxy answer; larger closes. */
    private static final long MAX_DRAINED_BODY = 64 * 1024;

    private final HttpSessionHandler owner;
    private final Stream stream;
    private final HttpRequest request;
    private final ChannelHandlerContext client;
    private final HttpVersion clientVersion;
    private final boolean clientWantsKeepAlive;
    private final boolean upgradeRequested;
    private final boolean replayable;
    /** The request came with a body (chunked, or a non-zero Content-Length): rewrites of its head cannot take it away. */
    private final boolean requestHasBody;
    /** No body, or one small enough to read and drop when the proxy answers by itself. */
    private final boolean cheapToDrain;
    /** Bytes of a Content-Length body still to come (0 for chunked): the client's input may go to the decoder in larger slices. */
    private long bodyLeft;
    private final long wireOutStart;
    private final long wireInStart;
    private final RuleRunner rules;
    /** The filters of this stream ({@code filter} lines of the frontend, then the backend), or {@code null}. */
    private ExchangeFilters filters;
    private Backend backend;
    /** The service answering this request ({@code use-service}), or {@code null}. */
    private ServiceExchange service;
    /** The service's response ends with the connection (it said so, or its body has no length). */
    private boolean serviceClosesAfter;
    /** The service answers in the request's HTTP version (HAProxy's Lua services). */
    private boolean serviceInRequestVersion;
    /** The service was handed the request (after the request filters saw its head). */
    private boolean serviceStarted;
    /** The service's response head is in the response rules: the rules no longer mean the request's. */
    private boolean serviceResponding;
    /** The response head waiting for the response rules (an action suspended), with the body parts read meanwhile. */
    private HttpResponse heldResponse;
    private ArrayDeque<HttpContent> heldContent;
    /** The server's whole response is among the held parts: it may close its connection now. */
    private boolean heldLast;
    /** The response rules were suspended: the response goes on outside a server read. */
    private boolean responseRulesWaited;
    /** The server's response head said where its body ends (Content-Length or chunked). */
    private boolean serverFramed;
    private int serverStatus;
    private NettyHttpHead requestHead;
    private NettyHttpHead responseHead;
    private UpstreamConnection upstream;
    private UpstreamHandler upstreamHandler;
    /** Body parts that arrived before the upstream connection existed (held back, or while connecting). */
    private ArrayDeque<HttpContent> backlog;
    private long backlogBytes;
    /** The rules stage waiting for the body (http-buffer-request), or 0. */
    private int bufferingFor;
    /** The held-back body as one array, built on first use by req.body. */
    private byte[] bufferedBody;
    /** Bytes that arrived on either side while switching to a tunnel. */
    private List<ByteBuf> clientUpgradeBytes;
    private List<ByteBuf> upstreamUpgradeBytes;

    private boolean requestComplete;
    private boolean requestForwarded;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean answeredByProxy;
    private boolean keepClientAlive;
    private boolean responseKeepAlive;
    private boolean responseDelimited;
    private boolean skipInterimEnd;
    private boolean retried;
    private boolean upgrading;
    private boolean finished;

    HttpExchange(HttpSessionHandler owner, Stream stream, HttpRequest request) {
        this.owner = owner;
        this.stream = stream;
        this.request = request;
        this.client = owner.ctx();
        this.clientVersion = request.protocolVersion();
        // The frontend's httpclose closes the client connection after each response, as the client's "close" would.
        this.clientWantsKeepAlive = HttpUtil.isKeepAlive(request)
                && owner.session().frontend().connectionMode() != ConnectionMode.CLOSE;
        // Upgrade is HTTP/1.1's: a 1.0 exchange never becomes a tunnel (its Upgrade header is not
        // forwarded, and a 101 to it is a 502), so no second request can slip past the rules in one.
        // The cheap checks first: scanning Connection's values costs more, and is rarely needed.
        this.upgradeRequested = clientVersion == HttpVersion.HTTP_1_1
                && request.headers().contains(HttpHeaderNames.UPGRADE)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        // Read once above; from here on rules and scripts see Connection as HAProxy's parser leaves it.
        ConnectionTokens.clean(request.headers());
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        long length = chunked ? -1 : HttpUtil.getContentLength(request, 0L);
        this.replayable = isIdempotent(request.method()) && length == 0;
        this.requestHasBody = chunked || length > 0;
        this.cheapToDrain = !chunked && length <= MAX_DRAINED_BODY;
        this.bodyLeft = chunked ? 0 : length;
        this.wireOutStart = owner.wire().bytesOut;
        this.wireInStart = owner.wire().bytesInCounted;
        this.keepClientAlive = clientWantsKeepAlive;
        this.rules = new RuleRunner(this, client.executor(), this);
        stream.transaction(this);
        if (!clientWantsKeepAlive) {
            owner.lastRequest();
        }
    }

    private static boolean isIdempotent(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                || method == HttpMethod.TRACE || method == HttpMethod.PUT || method == HttpMethod.DELETE;
    }

    boolean requestComplete() {
        return requestComplete;
    }

    boolean upgrading() {
        return upgrading;
    }

    @Override
    public Stream stream() {
        return stream;
    }

    @Override
    public HttpHead request() {
        if (requestHead == null) {
            requestHead = new NettyHttpHead(request);
        }
        return requestHead;
    }

    @Override
    public HttpHead response() {
        return responseHead;
    }

    @Override
    public byte[] requestBody() {
        if (backlog == null || upstream != null) {
            return null;
        }
        if (bufferedBody == null) {
            byte[] body = new byte[(int) Math.min(backlogBytes, Integer.MAX_VALUE - 8)];
            int at = 0;
            for (HttpContent part : backlog) {
                ByteBuf buf = part.content();
                int n = Math.min(buf.readableBytes(), body.length - at);
                buf.getBytes(buf.readerIndex(), body, at, n);
                at += n;
            }
            bufferedBody = body;
        }
        return bufferedBody;
    }


    @Override
    public ChannelBuffer channel(boolean response) {
        return new HttpChannelBuffer(this, response);
    }

    // ---- request side -------------------------------------------------------------------------

    void start() {
        stream.requestReceived(request.method().name() + ' ' + request.uri() + ' ' + clientVersion.text());
        if (request.method() == HttpMethod.CONNECT) {
            // Tunnels through CONNECT are not offered: the client codec would leave HTTP for good.
            stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
            answer(ErrorPages.forStatus(501));
            return;
        }
        List<Filter> frontendFilters = owner.session().frontend().filters();
        if (!frontendFilters.isEmpty()) {
            filters = new ExchangeFilters(this, client.executor(), client.alloc());
            filters.attachAndStart(frontendFilters, this::frontendAnalysis, this::requestFilterFailed);
            return;
        }
        frontendAnalysis();
    }

    private void frontendAnalysis() {
        if (owner.session().frontend().httpBufferRequest() && !bodyReady()) {
            waitBody(FRONTEND_RULES);
            return;
        }
        frontendRules();
    }

    private static final int FRONTEND_RULES = 1;
    private static final int BACKEND_RULES = 2;

    /** Holds the request back until its body is complete or fills tune.bufsize (http-buffer-request). */
    private void waitBody(int resumeAt) {
        bufferingFor = resumeAt;
        backlog = backlog == null ? new ArrayDeque<>(4) : backlog;
        if (HttpUtil.is100ContinueExpected(request)) {
            // The client waits for leave to send its body: give it now, and the server none again.
            request.headers().remove(HttpHeaderNames.EXPECT);
            writeInterim(new io.netty.handler.codec.http.DefaultHttpResponse(HttpVersion.HTTP_1_1,
                    io.netty.handler.codec.http.HttpResponseStatus.CONTINUE));
        }
        // The whole wait is bounded by timeout.http-request, as HAProxy bounds it.
        owner.bodyWaitStarted();
        owner.readIfWanted();
    }

    boolean bufferingBody() {
        return bufferingFor != 0;
    }

    /** timeout.http-request struck while the body was held back for the rules. */
    void bodyTimedOut() {
        if (bufferingFor == 0 || finished) {
            return;
        }
        bufferingFor = 0;
        stream.terminate(TerminationCause.CLIENT_TIMEOUT, StreamPhase.REQUEST);
        owner.lastRequest();
        failResponse(408);
    }

    private boolean bodyReady() {
        return requestComplete || backlogBytes >= owner.session().frontend().bufferSize();
    }

    private void frontendRules() {
        rules.run(RuleRunner.Stage.FRONTEND_REQUEST, owner.session().frontend().httpRequestRules(), 0);
    }

    @Override
    public boolean answered() {
        // A service's response goes through the response rules as a server's does: the service
        // answers the request, not the response rules that run on its head.
        return finished || answeredByProxy || service != null && !serviceResponding;
    }

    @Override
    public void stageDone(RuleRunner.Stage stage) {
        switch (stage) {
            case FRONTEND_REQUEST -> route();
            case BACKEND_REQUEST -> connectUpstream();
            case BACKEND_RESPONSE ->
                    rules.run(RuleRunner.Stage.FRONTEND_RESPONSE, owner.session().frontend().httpResponseRules(), 0);
            case FRONTEND_RESPONSE -> afterResponse();
        }
    }

    /**
     * The response rules let the response through: the http-after-response rules see it, then
     * the filters see its head (HAProxy's order in http_process_res_common).
     */
    private void afterResponse() {
        stream.endRequestScope();
        if (!AfterResponseRules.run(this, backend, owner.session().frontend())) {
            stream.terminate(TerminationCause.INTERNAL, StreamPhase.HEADERS);
            failResponse(500);
            return;
        }
        if (filters != null) {
            filters.headers(true, responseHead, this::forwardResponse, this::responseFilterFailed);
        } else {
            forwardResponse();
        }
    }

    @Override
    public void stoppedUnanswered(RuleRunner.Stage stage) {
        // An action said it answered and did not: the client must not wait for nothing.
        stream.terminate(TerminationCause.INTERNAL, requestSide(stage) ? StreamPhase.REQUEST : StreamPhase.HEADERS);
        failResponse(500);
    }

    private static boolean requestSide(RuleRunner.Stage stage) {
        return stage == RuleRunner.Stage.FRONTEND_REQUEST || stage == RuleRunner.Stage.BACKEND_REQUEST;
    }

    private void route() {
        backend = stream.route(this);
        if (backend == null) {
            stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
            answer(ErrorPages.forStatus(503));
            return;
        }
        List<Filter> backendFilters = backend.filters();
        if (!backendFilters.isEmpty()) {
            if (filters == null) {
                filters = new ExchangeFilters(this, client.executor(), client.alloc());
            }
            filters.attachAndStart(backendFilters, this::backendAnalysis, this::requestFilterFailed);
            return;
        }
        backendAnalysis();
    }

    private void backendAnalysis() {
        if (backend.httpBufferRequest() && !bodyReady()) {
            waitBody(BACKEND_RULES);
            return;
        }
        backendRules();
    }

    private void backendRules() {
        rules.run(RuleRunner.Stage.BACKEND_REQUEST, backend.httpRequestRules(), 0);
    }

    private void connectUpstream() {
        HeadRewriter.forUpstream(request, upgradeRequested);
        UniqueIdHeader.add(stream, owner.session().frontend(), request);
        ForwardedForHeader.add(stream.source().getAddress(), owner.session().frontend(), backend, request);
        // Last, as HAProxy's H1 multiplexer writes it: server-close and httpclose tell the server to close.
        if (owner.session().frontend().connectionMode() != ConnectionMode.KEEP_ALIVE
                || backend.connectionMode() != ConnectionMode.KEEP_ALIVE) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (filters != null) {
            // The filters see the request's own version (HAProxy's get_stline); the server gets HTTP/1.1.
            request.setProtocolVersion(clientVersion);
            filters.headers(false, request(), this::requestHeadersFiltered, this::requestFilterFailed);
            return;
        }
        reframeRequest();
        // The request's processing ends where the server connection is asked for, as in HAProxy.
        stream.endRequestScope();
        stream.connect(ReusePolicy.BACKEND_DEFAULT, this);
    }

    /**
     * A body whose framing headers a rule or a filter removed still goes to the server: chunked,
     * as HAProxy re-frames it (its length is known apart from the headers there, and here).
     */
    private void reframeRequest() {
        if (requestHasBody && !HttpUtil.isTransferEncodingChunked(request) && !HttpUtil.isContentLengthSet(request)) {
            HttpUtil.setTransferEncodingChunked(request, true);
        }
    }

    private void requestHeadersFiltered() {
        request.setProtocolVersion(HttpVersion.HTTP_1_1);
        reframeRequest();
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        boolean hasBody = requestHasBody;
        if (hasBody && !chunked && filters.wantsPayload(false)) {
            // A filter may change the body's length: the server gets it chunked.
            request.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            HttpUtil.setTransferEncodingChunked(request, true);
            chunked = true;
        }
        filters.framing(false, hasBody, chunked);
        stream.endRequestScope();
        stream.connect(ReusePolicy.BACKEND_DEFAULT, this);
    }

    /** A filter said ERROR on the request side: 400, as HAProxy answers. */
    private void requestFilterFailed() {
        stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
        failResponse(400);
    }

    /** A filter said ERROR on the response side: 502, or a closed connection once the response is under way. */
    private void responseFilterFailed() {
        stream.terminate(TerminationCause.PROXY, responseStarted ? StreamPhase.DATA : StreamPhase.HEADERS);
        failResponse(502);
    }

    /**
     * Writes a part of the request body to the server, through the filters that see it.
     *
     * @return {@code false} when a filter failed the request (the exchange is answered)
     */
    private boolean writeRequestContent(Channel up, HttpContent content) {
        if (filters != null) {
            boolean last = content instanceof LastHttpContent;
            content = filters.payload(false, content);
            if (content == null || last && (content = filters.end(false, content)) == null) {
                requestFilterFailed();
                return false;
            }
        }
        up.write(content, up.voidPromise());
        return true;
    }

    void requestContent(HttpContent content) {
        bodyLeft -= Math.min(bodyLeft, content.content().readableBytes());
        if (content.decoderResult().isFailure()) {
            // A broken request body (bad chunk): the server must not take it as complete.
            content.release();
            requestComplete = true;
            stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
            owner.lastRequest();
            failResponse(400);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
        }
        if (service != null && !responseComplete) {
            if (serviceStarted) {
                toService(content);
                return;
            }
            // The filters still look at the head: the body waits with the head.
            if (backlog == null) {
                backlog = new ArrayDeque<>(4);
            }
            backlog.add(content);
            backlogBytes += content.content().readableBytes();
            return;
        }
        if (answeredByProxy || finished || upstream == null && backlog == null && responseComplete) {
            content.release();
            if (last) {
                maybeFinish();
            }
            return;
        }
        if (upstream == null) {
            if (backlog == null) {
                backlog = new ArrayDeque<>(4);
            }
            backlog.add(content);
            backlogBytes += content.content().readableBytes();
            bufferedBody = null;
            if (bufferingFor != 0 && bodyReady()) {
                int resumeAt = bufferingFor;
                bufferingFor = 0;
                owner.bodyWaitEnded();
                if (resumeAt == FRONTEND_RULES) {
                    frontendRules();
                } else {
                    backendRules();
                }
            }
            return;
        }
        Channel up = upstream.channel();
        if (!writeRequestContent(up, content)) {
            return;
        }
        if (last) {
            requestForwarded = true;
            up.flush();
        } else if (!up.isWritable()) {
            up.flush();
        }
    }

    /** Bytes of this request's body that are known to come next from the client (0 if unknown). */
    long bodyBytesLeft() {
        return bodyLeft;
    }

    /** The client read batch ended: push what it brought to the server in one flush. */
    void clientReadComplete() {
        if (upstream != null) {
            upstream.channel().flush();
        }
    }

    /**
     * Whether the client should be read: for more of this request's body, or, while an action or
     * a service makes it wait, to notice a client that leaves (a read then brings at most the next
     * pipelined request, which is queued, or up to tune.bufsize of body, which is held).
     */
    boolean wantsRequestBody() {
        boolean serving = service != null && !responseComplete;
        if (requestComplete) {
            return serving || rules.waiting();
        }
        if (serving) {
            // Until the filters let the service start, at most tune.bufsize waits with the head.
            return serviceStarted ? service.wantsBody() : backlogBytes < owner.session().frontend().bufferSize();
        }
        RuleRunner.Stage waitingIn = rules.waitingStage();
        if (waitingIn != null && requestSide(waitingIn)) {
            return backlogBytes < owner.session().frontend().bufferSize();
        }
        return answeredByProxy || bufferingFor != 0 || upstream != null && upstream.channel().isWritable();
    }

    // ---- upstream connection ------------------------------------------------------------------

    @Override
    public void connected(UpstreamConnection connection) {
        if (finished || answeredByProxy) {
            stream.release(connection, false);
            return;
        }
        upstream = connection;
        Channel up = connection.channel();
        upstreamHandler = up.pipeline().get(UpstreamHandler.class);
        upstreamHandler.attach(this);
        owner.serverTimer().start(backend.serverTimeoutMillis());
        up.write(request, up.voidPromise());
        if (retried) {
            // A replayable request has no body: its end is all there is to send again.
            up.write(LastHttpContent.EMPTY_LAST_CONTENT, up.voidPromise());
            requestForwarded = true;
        } else if (backlog != null) {
            HttpContent content;
            while (backlog != null && (content = backlog.poll()) != null) {
                if (!writeRequestContent(up, content)) {
                    return;
                }
            }
            backlog = null;
        }
        if (requestComplete) {
            requestForwarded = true;
        }
        up.flush();
        up.read();
        owner.readIfWanted();
    }

    @Override
    public void failed(Throwable cause) {
        releaseBacklog();
        if (finished) {
            return;
        }
        if (!client.channel().isActive()) {
            finish();
            return;
        }
        // The kernel already set the termination state (SC, or sC on a connect timeout).
        answer(ErrorPages.forStatus(503));
    }

    // ---- response side ------------------------------------------------------------------------

    void upstreamRead(Object msg) {
        owner.serverTimer().touch();
        if (upgrading) {
            if (msg instanceof ByteBuf buf) {
                if (upstreamUpgradeBytes == null) {
                    upstreamUpgradeBytes = new ArrayList<>(2);
                }
                upstreamUpgradeBytes.add(buf);
            } else {
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (finished || answeredByProxy) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            // A response that failed to decode may also be content (a "full" message): it is handled once, here.
            boolean failed = response.decoderResult().isFailure();
            responseHead(response);
            if (failed || finished || answeredByProxy || !(msg instanceof HttpContent)) {
                ReferenceCountUtil.release(msg);
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            responseContent(content);
        } else {
            // Raw bytes mean the decoder left HTTP (an unrequested switch): the connection is unusable.
            ReferenceCountUtil.release(msg);
            upstreamFailed(responseStarted ? StreamPhase.DATA : StreamPhase.HEADERS);
        }
    }

    private void responseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            upstreamFailed(StreamPhase.HEADERS);
            return;
        }
        int status = response.status().code();
        if (status < 100 || status > 599) {
            // Not a three-digit status of HTTP's five classes (RFC 9110 section 15): the server's
            // answer cannot be understood, so it fails now, not at timeout.server, and never pools.
            upstreamFailed(StreamPhase.HEADERS);
            return;
        }
        if (status == 101) {
            if (upgradeRequested) {
                beginUpgrade(response);
            } else {
                // The server left HTTP on a request that did not ask for it (an HTTP/1.0 one, say):
                // as HAProxy does with a bad response, answer 502 and close, so nothing pipelined
                // behind this request is read in a state the rules never saw.
                keepClientAlive = false;
                owner.lastRequest();
                upstreamFailed(StreamPhase.HEADERS);
            }
            return;
        }
        if (status < 200) {
            // Interim response (100, 102, 103...): forwarded at once and without rules, to HTTP/1.0
            // clients too, as HAProxy 2.6 does; it has no body, and the final response follows.
            skipInterimEnd = true;
            response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            response.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
            writeInterim(response);
            return;
        }
        stream.responseReceived(status);
        // A request that told the server to close (server-close, httpclose) does not reuse its connection.
        responseKeepAlive = HttpUtil.isKeepAlive(response) && HttpUtil.isKeepAlive(request);
        ConnectionTokens.clean(response.headers());
        responseHead = new NettyHttpHead(response);
        // Held until the response rules are through: an action may suspend them, and one that
        // answers instead (deny, return, redirect) drops the server's response.
        heldResponse = response;
        serverStatus = status;
        serverFramed = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
        if (filters != null) {
            filters.startResponse(this::backendResponseRules, this::responseFilterFailed);
        } else {
            backendResponseRules();
        }
        // Still held after all that ran now: an action or a filter waits, and the response goes on later.
        responseRulesWaited = holdingResponse();
        if (responseRulesWaited) {
            owner.readIfWanted();
        }
    }

    private void backendResponseRules() {
        if (backend == null) {
            // A service chosen by the frontend's rules: no backend, no backend rules.
            stageDone(RuleRunner.Stage.BACKEND_RESPONSE);
            return;
        }
        rules.run(RuleRunner.Stage.BACKEND_RESPONSE, backend.httpResponseRules(), 0);
    }

    /** The response rules and filters let the server's response through: its head goes out, then what was held of its body. */
    private void forwardResponse() {
        if (service != null) {
            forwardServiceResponse();
            return;
        }
        HttpResponse response = heldResponse;
        heldResponse = null;
        int status = serverStatus;
        boolean bodiless = status == 204 || status == 304 || request.method() == HttpMethod.HEAD;
        if (serverFramed && !bodiless && !HttpUtil.isContentLengthSet(response) && !HttpUtil.isTransferEncodingChunked(response)) {
            // A rule or a filter removed the framing headers: the body goes on chunked, as HAProxy re-frames it.
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        if (filters != null) {
            filteredResponseFraming(response, status);
        }
        responseStarted = true;
        // The status sent, after any set-status, is the one logged.
        stream.status(response.status().code());
        responseDelimited = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response)
                || status == 204 || status == 304 || request.method() == HttpMethod.HEAD;
        boolean chunkedToOldClient = clientVersion == HttpVersion.HTTP_1_0 && HttpUtil.isTransferEncodingChunked(response);
        if (chunkedToOldClient) {
            // An HTTP/1.0 client cannot read chunks: send the body raw and mark its end by closing.
            HttpUtil.setTransferEncodingChunked(response, false);
        }
        keepClientAlive = clientWantsKeepAlive && responseDelimited && !chunkedToOldClient && !owner.isLastRequest();
        if (!keepClientAlive) {
            owner.lastRequest();
        }
        HeadRewriter.forClient(response, clientVersion, keepClientAlive);
        client.write(response, client.voidPromise());
        if (!responseRulesWaited) {
            // Still inside the server's read: its end flushes and reads on.
            return;
        }
        // The rules were suspended: what the server sent meanwhile goes now, and reading resumes.
        ArrayDeque<HttpContent> held = heldContent;
        heldContent = null;
        HttpContent content;
        while (held != null && (content = held.poll()) != null) {
            if (finished || answeredByProxy) {
                content.release();
            } else {
                responseContent(content);
            }
        }
        upstreamReadComplete();
    }

    /**
     * Tells the filters how the response's body is framed, switching a body with a length to
     * chunked when a filter sees it (its length may change; HTTP/1.0 clients get it close-delimited).
     */
    private void filteredResponseFraming(HttpResponse response, int status) {
        boolean bodiless = status == 204 || status == 304 || request.method() == HttpMethod.HEAD;
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        boolean lengthSet = !chunked && HttpUtil.isContentLengthSet(response);
        boolean hasBody = !bodiless && (!lengthSet || HttpUtil.getContentLength(response, 0L) > 0);
        if (hasBody && lengthSet && filters.wantsPayload(true)) {
            response.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
            HttpUtil.setTransferEncodingChunked(response, true);
            lengthSet = false;
        }
        filters.framing(true, hasBody, hasBody && !lengthSet);
    }

    /** Whether the response head waits for the response rules. */
    private boolean holdingResponse() {
        return heldResponse != null;
    }

    private void releaseHeld() {
        heldResponse = null;
        if (heldContent != null) {
            HttpContent content;
            while ((content = heldContent.poll()) != null) {
                content.release();
            }
            heldContent = null;
        }
    }

    /**
     * Writes an interim (1xx) response head past the server codec's encoder: the encoder pairs each
     * response head with a request and would take this one for the final response.
     */
    private void writeInterim(HttpResponse response) {
        StringBuilder head = new StringBuilder(64).append("HTTP/1.1 ").append(response.status().code()).append(' ')
                .append(response.status().reasonPhrase()).append("\r\n");
        HeadRewriter.forClient(response, clientVersion, true);
        response.headers().remove(HttpHeaderNames.CONNECTION);
        response.headers().forEach(h -> head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n"));
        head.append("\r\n");
        ChannelHandlerContext beforeCodec = client.pipeline().context(HttpServerCodec.class);
        beforeCodec.writeAndFlush(Unpooled.copiedBuffer(head, StandardCharsets.ISO_8859_1), beforeCodec.voidPromise());
    }

    private void responseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            // A broken body (bad chunk): never pass it on as if it ended well, never pool the connection.
            content.release();
            upstreamFailed(StreamPhase.DATA);
            return;
        }
        if (skipInterimEnd) {
            content.release();
            skipInterimEnd = !last;
            return;
        }
        if (holdingResponse()) {
            if (heldContent == null) {
                heldContent = new ArrayDeque<>(4);
            }
            heldContent.add(content);
            heldLast |= last;
            return;
        }
        if (filters != null) {
            content = filters.payload(true, content);
            if (content == null || last && (content = filters.end(true, content)) == null) {
                responseFilterFailed();
                return;
            }
        }
        client.write(content, client.voidPromise());
        if (last) {
            responseComplete = true;
            client.flush();
            releaseUpstream(requestForwarded && responseKeepAlive && responseDelimited);
            if (!requestComplete) {
                // The server answered before the whole request arrived: finish this connection
                // with this response rather than guess where the rest of the body ends.
                keepClientAlive = false;
                owner.lastRequest();
            }
            maybeFinish();
        }
    }

    void upstreamReadComplete() {
        client.flush();
        if (!responseComplete && !upgrading && upstream != null && !holdingResponse() && client.channel().isWritable()) {
            upstream.channel().read();
        }
    }

    void clientWritabilityChanged(boolean writable) {
        if (service != null) {
            service.writabilityChanged(writable);
            return;
        }
        if (writable && upstream != null && !responseComplete && !upgrading && !holdingResponse()) {
            upstream.channel().read();
        }
    }

    void upstreamWritabilityChanged() {
        owner.readIfWanted();
    }

    /** The upstream connection closed while this exchange still needed it. */
    void upstreamClosed() {
        if (finished || responseComplete || upgrading || upstream == null) {
            return;
        }
        if (heldLast) {
            // The whole response is held for the rules: the server may close after it.
            UpstreamConnection done = upstream;
            detachUpstream();
            done.channel().close();
            return;
        }
        UpstreamConnection dead = upstream;
        detachUpstream();
        dead.channel().close();
        if (!responseStarted && dead.reused() && replayable && requestComplete && !retried) {
            // A keep-alive connection the server had closed: the request never reached it. Once,
            // on a brand-new connection, so a server that always closes cannot make us loop.
            retried = true;
            requestForwarded = false;
            stream.connect(ReusePolicy.NEW_CONNECTION, this);
            return;
        }
        upstreamFailed(responseStarted ? StreamPhase.DATA : StreamPhase.HEADERS);
    }

    /** The server broke the exchange (closed, or sent something invalid): 502, or abort if half-sent. */
    void upstreamFailed(StreamPhase phase) {
        stream.terminate(TerminationCause.SERVER_ABORT, phase);
        failResponse(502);
    }

    /** Drops the upstream connection and answers {@code status}, or closes if a response is half-sent. */
    private void failResponse(int status) {
        releaseUpstream(false);
        if (responseStarted) {
            abort();
        } else {
            answer(ErrorPages.forStatus(status));
        }
    }

    void serverTimedOut() {
        if (finished || upstream == null || responseComplete || upgrading) {
            return;
        }
        if (rules.waiting() || filters != null && filters.waiting()) {
            // An action or a filter holds the response, not the server: timeout.client bounds the wait.
            owner.serverTimer().start(backend.serverTimeoutMillis());
            return;
        }
        boolean serverStalledUpload = !requestForwarded && !upstream.channel().isWritable();
        if (!serverStalledUpload && (!requestForwarded || !client.channel().isWritable())) {
            // Waiting for the client (its body, or room to write to it): not the server's fault.
            owner.serverTimer().start(backend.serverTimeoutMillis());
            return;
        }
        stream.terminate(TerminationCause.SERVER_TIMEOUT, responseStarted ? StreamPhase.DATA : StreamPhase.HEADERS);
        failResponse(504);
    }

    void clientTimedOut() {
        if (finished) {
            return;
        }
        RuleRunner.Stage waitingIn = rules.waitingStage();
        if (waitingIn != null) {
            // An action that does not finish within timeout.client fails the stream, as a service would.
            stream.terminate(TerminationCause.INTERNAL, requestSide(waitingIn) ? StreamPhase.REQUEST : StreamPhase.HEADERS);
            failResponse(500);
            return;
        }
        if (filters != null && filters.waiting()) {
            // So does a filter that keeps saying WAIT: nothing waits forever.
            stream.terminate(TerminationCause.INTERNAL, responseStarted ? StreamPhase.DATA
                    : responseHead != null ? StreamPhase.HEADERS : StreamPhase.REQUEST);
            failResponse(500);
            return;
        }
        if (service != null && !responseComplete) {
            serviceTimedOut();
            return;
        }
        boolean serverNotReading = upstream != null && !upstream.channel().isWritable();
        if (requestComplete && client.channel().isWritable() || serverNotReading) {
            // Waiting for the server (its answer, or room to send it the body): its own timeout applies.
            owner.clientTimer().start(owner.session().frontend().clientTimeoutMillis());
            return;
        }
        stream.terminate(TerminationCause.CLIENT_TIMEOUT, responseStarted ? StreamPhase.DATA : StreamPhase.REQUEST);
        // The rest of the request will not come: this connection ends with the answer.
        owner.lastRequest();
        failResponse(408);
    }

    /** The client connection closed. Any upstream connection in use is closed, never pooled. */
    void clientClosed() {
        if (finished) {
            return;
        }
        RuleRunner.Stage waitingIn = rules.waitingStage();
        stream.terminate(TerminationCause.CLIENT_ABORT, responseStarted ? StreamPhase.DATA
                : service != null ? StreamPhase.REQUEST
                : waitingIn != null ? (requestSide(waitingIn) ? StreamPhase.REQUEST : StreamPhase.HEADERS)
                : upstream == null ? StreamPhase.CONNECT : StreamPhase.HEADERS);
        releaseUpstream(false);
        releaseBacklog();
        releaseUpgradeBytes();
        finish();
    }

    // ---- answers produced by the proxy --------------------------------------------------------

    @Override
    public void reply(HttpReply reply) {
        // The action answers by itself, even from a suspension: nothing left to cancel.
        rules.settle();
        stream.terminate(TerminationCause.LOCAL, StreamPhase.REQUEST);
        answer(reply);
    }

    @Override
    public Suspension suspend() {
        return rules.suspend();
    }

    @Override
    public void serve(HttpService handler) {
        if (answered() || responseStarted) {
            throw new IllegalStateException("the request is answered already");
        }
        rules.settle();
        service = new ServiceExchange(this, owner.session().frontend().bufferSize());
        serviceInRequestVersion = handler.answersInRequestVersion();
        if (bufferingFor != 0) {
            bufferingFor = 0;
            owner.bodyWaitEnded();
        }
        if (filters != null) {
            // As in HAProxy, the request's filters see the head and the body a service gets.
            filters.headers(false, request(), () -> {
                filters.framing(false, requestHasBody, true);
                startService(handler);
            }, this::requestFilterFailed);
            return;
        }
        startService(handler);
    }

    private void startService(HttpService handler) {
        if (finished || answeredByProxy) {
            return;
        }
        serviceStarted = true;
        if (backlog != null) {
            // Held back for the rules (http-buffer-request) or the filters: the service's body starts with it.
            HttpContent content;
            while (backlog != null && (content = backlog.poll()) != null) {
                if (!toService(content)) {
                    return;
                }
            }
            backlog = null;
        }
        try {
            handler.serve(service);
        } catch (RuntimeException e) {
            RuleFailures.report(e);
            service.fail();
        }
    }

    /**
     * A part of the request body on its way to the service, through the request's filters.
     *
     * @return {@code false} when a filter failed the request (the exchange is answered)
     */
    private boolean toService(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (filters != null) {
            content = filters.payload(false, content);
            if (content == null || last && (content = filters.end(false, content)) == null) {
                requestFilterFailed();
                return false;
            }
        }
        service.requestContent(content, last);
        return true;
    }

    /** Sends the proxy's own response (rule reply or error page) instead of the server's. */
    private void answer(HttpReply builtIn) {
        if (finished) {
            return;
        }
        HttpReply reply = ErrorPages.forStream(builtIn, backend, owner.session().frontend());
        rules.cancel();
        if (filters != null) {
            filters.cancelWait();
        }
        releaseHeld();
        if (service != null) {
            service.exchangeOver();
        }
        if (responseStarted) {
            abort();
            return;
        }
        answeredByProxy = true;
        responseStarted = true;
        responseComplete = true;
        releaseUpstream(false);
        releaseBacklog();
        if (!requestComplete && !cheapToDrain || owner.isLastRequest() || !reply.framed()) {
            // A large body still on its way would have to be read and thrown away; closing is cheaper.
            // An error file without a length (or an empty one) ends with the connection.
            keepClientAlive = false;
            owner.lastRequest();
        }
        stream.endRequestScope();
        FullHttpResponse response = afterResponse(reply, false);
        stream.status(response.status().code());
        if (reply.silent()) {
            response.release();
        } else {
            client.writeAndFlush(response, client.voidPromise());
        }
        maybeFinish();
        if (!finished) {
            // The rest of a small body is still to be read (and dropped) before the next request.
            owner.readIfWanted();
        }
    }

    /**
     * The proxy's answer as it leaves, after the http-after-response rules. A rule that fails turns
     * it into a 500 that the rules see once more, then a 500 they do not see (HAProxy's
     * http_reply_and_close; {@code constant}: its TX_CONST_REPLY).
     */
    private FullHttpResponse afterResponse(HttpReply reply, boolean constant) {
        FullHttpResponse response = Replies.toResponse(reply, keepClientAlive, clientVersion);
        if (constant) {
            return response;
        }
        responseHead = new NettyHttpHead(response);
        if (AfterResponseRules.run(this, backend, owner.session().frontend())) {
            return response;
        }
        response.release();
        return afterResponse(ErrorPages.forStatus(500), reply.status() == 500);
    }

    // ---- a service answers (use-service) -----------------------------------------------------

    HttpRequest nettyRequest() {
        return request;
    }

    HttpVersion clientVersion() {
        return clientVersion;
    }

    ChannelHandlerContext client() {
        return client;
    }

    HttpSessionHandler owner() {
        return owner;
    }

    /** Tells a client that waits with {@code Expect: 100-continue} to send its body. */
    void sendContinue() {
        if (HttpUtil.is100ContinueExpected(request)) {
            request.headers().remove(HttpHeaderNames.EXPECT);
            if (clientVersion != HttpVersion.HTTP_1_0) {
                writeInterim(new io.netty.handler.codec.http.DefaultHttpResponse(HttpVersion.HTTP_1_1,
                        io.netty.handler.codec.http.HttpResponseStatus.CONTINUE));
            }
        }
    }

    /**
     * The service sends its response head; {@code closeAfter}: its body ends with the connection.
     * As a server's, it goes through the response filters and rules first (HAProxy runs them on
     * its applets' responses too); what the service writes meanwhile is held.
     */
    void serviceHead(HttpResponse head, boolean closeAfter) {
        serviceClosesAfter = closeAfter;
        serverStatus = head.status().code();
        stream.status(serverStatus);
        responseHead = new NettyHttpHead(head);
        heldResponse = head;
        // A service may answer from inside the request rule that chose it: its response is analysed
        // on its own turn of the loop, as HAProxy's applet answers in its own task.
        client.executor().execute(this::serviceResponseRules);
    }

    private void serviceResponseRules() {
        if (finished || answeredByProxy || heldResponse == null) {
            return;
        }
        serviceResponding = true;
        if (filters != null) {
            filters.startResponse(this::backendResponseRules, this::responseFilterFailed);
        } else {
            backendResponseRules();
        }
    }

    /** The response rules and filters let the service's response through. */
    private void forwardServiceResponse() {
        HttpResponse head = heldResponse;
        heldResponse = null;
        int status = head.status().code();
        boolean bodiless = status == 204 || status == 304 || request.method() == HttpMethod.HEAD;
        if (!bodiless && !HttpUtil.isContentLengthSet(head) && !HttpUtil.isTransferEncodingChunked(head)) {
            // A rule or a filter removed the framing headers the service's head had: the body goes
            // on chunked, as HAProxy re-frames it (an HTTP/1.0 client gets it ended by the close, below).
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        if (filters != null) {
            filteredResponseFraming(head, serverStatus);
        }
        responseStarted = true;
        stream.status(head.status().code());
        boolean chunkedToOldClient = clientVersion == HttpVersion.HTTP_1_0 && HttpUtil.isTransferEncodingChunked(head);
        if (chunkedToOldClient) {
            // The filters made the body chunked: an HTTP/1.0 client gets it raw, ended by the close.
            HttpUtil.setTransferEncodingChunked(head, false);
        }
        // A service that streams the body usually reads it all: whether the rest must be drained is seen at its end.
        keepClientAlive = clientWantsKeepAlive && !serviceClosesAfter && !chunkedToOldClient && !owner.isLastRequest()
                && (requestComplete || cheapToDrain || service.streaming());
        if (!keepClientAlive) {
            owner.lastRequest();
        }
        HeadRewriter.forClient(head, clientVersion, keepClientAlive);
        if (serviceInRequestVersion) {
            HeadRewriter.inRequestVersion(head, clientVersion, keepClientAlive);
        }
        client.write(head, client.voidPromise());
        ArrayDeque<HttpContent> held = heldContent;
        heldContent = null;
        HttpContent content;
        while (held != null && (content = held.poll()) != null) {
            if (finished || answeredByProxy) {
                content.release();
            } else {
                serviceContent(content);
            }
        }
        client.flush();
        if (!finished && !answeredByProxy) {
            // A service that paused while its head was held may write again.
            service.writabilityChanged(client.channel().isWritable());
        }
    }

    /**
     * Whether the service may write more now: the client takes it, and its head is not held by the
     * response rules (what it writes meanwhile waits in memory, so it is asked to pause).
     */
    boolean serviceMayWrite() {
        return heldResponse == null && client.channel().isWritable();
    }

    /** A part of the service's response body (this exchange now owns it); the last one ends the response. */
    void serviceContent(HttpContent content) {
        if (finished || answeredByProxy) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (holdingResponse()) {
            if (heldContent == null) {
                heldContent = new ArrayDeque<>(4);
            }
            heldContent.add(content);
            return;
        }
        if (filters != null) {
            content = filters.payload(true, content);
            if (content == null || last && (content = filters.end(true, content)) == null) {
                responseFilterFailed();
                return;
            }
        }
        client.writeAndFlush(content, client.voidPromise());
        owner.clientTimer().touch();
        if (last) {
            serviceEnded();
        }
    }

    /** The service's response is out: the rest of the request is drained, then the next one comes. */
    private void serviceEnded() {
        if (!requestComplete && !cheapToDrain && keepClientAlive) {
            // The service left a large body unread: closing is cheaper than reading it to drop it.
            keepClientAlive = false;
            owner.lastRequest();
        }
        stream.terminate(TerminationCause.LOCAL, StreamPhase.REQUEST);
        answeredByProxy = true;
        responseComplete = true;
        maybeFinish();
        if (!finished) {
            owner.readIfWanted();
        }
    }

    void serviceReply(HttpReply reply) {
        stream.terminate(TerminationCause.LOCAL, StreamPhase.REQUEST);
        answer(reply);
    }

    /** The service gave up: 500 before its head, a closed connection after. */
    void serviceFailed() {
        stream.terminate(TerminationCause.INTERNAL, responseStarted ? StreamPhase.DATA : StreamPhase.REQUEST);
        failResponse(500);
    }

    /** A request body larger than tune.bufsize for a service: 413, and the connection closes. */
    void serviceBodyTooLarge() {
        stream.terminate(TerminationCause.PROXY, StreamPhase.REQUEST);
        owner.lastRequest();
        failResponse(413);
    }

    /**
     * timeout.client while a service answers: the client's fault when it does not send the body the
     * service waits for or does not read; else the service stayed silent, and fails as in HAProxy.
     */
    private void serviceTimedOut() {
        boolean clientStalled = service.waitsForBody() || !client.channel().isWritable();
        stream.terminate(clientStalled ? TerminationCause.CLIENT_TIMEOUT : TerminationCause.INTERNAL,
                responseStarted ? StreamPhase.DATA : StreamPhase.REQUEST);
        owner.lastRequest();
        failResponse(clientStalled ? 408 : 500);
    }

    // ---- protocol upgrade (WebSocket...) ------------------------------------------------------

    private void beginUpgrade(HttpResponse response) {
        upgrading = true;
        responseStarted = true;
        stream.responseReceived(101);
        owner.serverTimer().stop();
        owner.clientTimer().stop();
        HeadRewriter.forClient(response, clientVersion, true);
        client.writeAndFlush(response, client.voidPromise());
        // Switch once the decoders have returned from the read that brought the 101.
        client.channel().eventLoop().execute(this::switchToTunnel);
    }

    private void switchToTunnel() {
        if (finished) {
            releaseUpgradeBytes();
            return;
        }
        finished = true;
        if (filters != null) {
            filters.close();
        }
        Channel up = upstream.channel();
        stream.addBytesToClient(owner.wire().bytesOut - wireOutStart);
        stream.addBytesFromClient(owner.wire().bytesIn - wireInStart);
        owner.wire().bytesInCounted = owner.wire().bytesIn;
        // Removing a decoder hands its undecoded bytes to the next handler: ours, which keeps them.
        up.pipeline().remove(UpstreamCodec.class);
        up.pipeline().remove(upstreamHandler);
        upstreamHandler.detach();
        client.pipeline().remove(HttpServerCodec.class);
        client.pipeline().remove(ClientInput.class);
        owner.leaveHttp();
        client.pipeline().remove(owner);
        client.pipeline().remove(WireCounter.class);
        if (upstreamUpgradeBytes != null) {
            upstreamUpgradeBytes.forEach(buf -> client.channel().write(buf, client.channel().voidPromise()));
        }
        if (clientUpgradeBytes != null) {
            clientUpgradeBytes.forEach(buf -> up.write(buf, up.voidPromise()));
        }
        client.channel().flush();
        up.flush();
        UpstreamConnection tunnelled = upstream;
        upstream = null;
        if (!client.channel().isActive() || !tunnelled.channel().isActive()) {
            client.channel().close();
            tunnelled.channel().close();
            stream.terminate(client.channel().isActive() ? TerminationCause.SERVER_ABORT : TerminationCause.CLIENT_ABORT,
                    StreamPhase.DATA);
            stream.end();
            return;
        }
        boolean clientFinished = owner.inputClosed();
        stream.tunnel(tunnelled.channel());
        if (clientFinished) {
            // The client's FIN came before the tunnel: let the tunnel carry it across now.
            client.channel().pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    private void releaseUpgradeBytes() {
        for (List<ByteBuf> list : java.util.Arrays.asList(clientUpgradeBytes, upstreamUpgradeBytes)) {
            if (list != null) {
                list.forEach(ByteBuf::release);
            }
        }
        clientUpgradeBytes = null;
        upstreamUpgradeBytes = null;
    }

    /** Bytes the client sent after its upgrade request, before the tunnel existed. */
    void clientBytesDuringUpgrade(Object msg) {
        if (msg instanceof ByteBuf buf && upgrading) {
            if (clientUpgradeBytes == null) {
                clientUpgradeBytes = new ArrayList<>(2);
            }
            clientUpgradeBytes.add(buf);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---- endings ------------------------------------------------------------------------------

    private void maybeFinish() {
        if (finished || !responseComplete || !requestComplete && keepClientAlive) {
            return;
        }
        finish();
        owner.exchangeDone(this, keepClientAlive);
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        rules.cancel();
        if (filters != null) {
            filters.close();
        }
        releaseHeld();
        if (service != null) {
            service.exchangeOver();
        }
        owner.serverTimer().stop();
        stream.addBytesToClient(owner.wire().bytesOut - wireOutStart);
        stream.addBytesFromClient(owner.wire().bytesIn - wireInStart);
        owner.wire().bytesInCounted = owner.wire().bytesIn;
        stream.end();
    }

    /** Closes the client connection: the response cannot be completed. */
    private void abort() {
        releaseUpstream(false);
        releaseBacklog();
        finish();
        owner.abort();
    }

    private void releaseUpstream(boolean reusable) {
        if (upstream != null) {
            UpstreamConnection connection = upstream;
            detachUpstream();
            stream.release(connection, reusable);
        }
    }

    private void detachUpstream() {
        owner.serverTimer().stop();
        if (upstreamHandler != null) {
            upstreamHandler.detach();
            upstreamHandler = null;
        }
        upstream = null;
    }

    private void releaseBacklog() {
        if (backlog != null) {
            HttpContent content;
            while ((content = backlog.poll()) != null) {
                content.release();
            }
            backlog = null;
        }
    }
}
