package io.luagate.plugin.http;

import io.luagate.spi.http.HttpHead;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.proxy.ConnectionMode;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.ProxySide;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.RulePolicy;
import io.luagate.spi.rule.RuleRun;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.stream.ConnectListener;
import io.luagate.spi.stream.ReusePolicy;
import io.luagate.spi.stream.Stream;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.UpstreamConnection;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * One request and its response, as an ordered list of {@link Analyser analysers} advanced by one
 * loop ({@link #advance()}): the request's (head, buffering, rules, backend choice, filters), the
 * connect or a {@link ServiceExchange service}, then the response's (head, rules, after-response,
 * body). The request head and body are streamed up and the response streamed down, chunk by chunk,
 * with backpressure both ways (a side is read only while the other can take what is read). Events
 * that are not steps (timeouts, closes, a broken message) fail the exchange wherever it is: the
 * place that finds one names its {@link Failure cause} and status, and the logged termination
 * state is derived once ({@link #terminate}). Confined to the client's event loop.
 *
 * <p>Failure handling follows DESIGN section 4: a reused upstream connection that closes before
 * any response byte gets one retry on a brand-new connection when the request is replayable;
 * anything else gets 502, 503 or 504 if nothing was sent to the client yet, or a closed client
 * connection if a response was already half-sent.
 */
final class HttpExchange implements ConnectListener, Transaction, RuleRun.Owner {

    /** A request body up to this size is read and dropped after a proxy answer; larger closes. */
    private static final long MAX_DRAINED_BODY = 64 * 1024;
    /**
     * The largest body end written in one message with its head: what the response encoder copies
     * into the head's buffer; a larger one would go as a second buffer anyway.
     */
    private static final int MAX_MERGED_BODY = Http1MessageEncoder.MERGED_BODY;

    private final HttpSessionHandler owner;
    private final Stream stream;
    private final HttpRequest request;
    private final ClientEnd client;
    private final HttpVersion clientVersion;
    private final boolean clientWantsKeepAlive;
    /** The client itself announced this request as its last ("close", or HTTP/1.0 without keep-alive). */
    private final boolean clientSaidClose;
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
    /** The rule run, made when a list with rules first runs: a request through empty lists needs none. */
    private RuleRun rules;
    /** The filters of this stream ({@code filter} lines of the frontend, then the backend), or {@code null}. */
    private ExchangeFilters filters;
    private Backend backend;
    /** The service answering this request ({@code use-service}), or {@code null}. */
    private ServiceExchange service;
    /** The service was handed the request (after the request filters saw its head). */
    private boolean serviceStarted;
    /** The final response head held while the response analysers run, with the body parts read meanwhile. */
    private final HeldResponse held = new HeldResponse();
    /** The response rules were suspended: the response goes on outside a server read. */
    private boolean responseRulesWaited;
    /**
     * The server's response head, let through inside the server's read and not written yet: its
     * body's end usually follows in the same read, and a small one then goes out in the same
     * buffer ({@link #sendHead}), as HAProxy sends a small response in one {@code send}.
     */
    private HttpResponse unsentHead;
    /** The server's response head said where its body ends (Content-Length or chunked). */
    private boolean serverFramed;
    private int serverStatus;
    private NettyHttpHead requestHead;
    /** The response as rules, filters and scripts see it ({@link #response()}), made when first asked for. */
    private NettyHttpHead responseHead;
    /** The response {@link #responseHead} stands for, or {@code null} before there is one. */
    private HttpResponse responseMessage;
    private UpstreamConnection upstream;
    private UpstreamHandler upstreamHandler;
    /** Body parts that arrived before they could go on (held back for the rules, or while connecting). */
    private final RequestBuffering buffering;
    /** The server agreed to an upgrade: the exchange becomes a tunnel, or {@code null}. */
    private UpgradeTunnel upgrade;

    private boolean requestComplete;
    private boolean requestForwarded;
    /** The bodiless request went to the server whole, its end included: the decoder's empty end adds nothing. */
    private boolean requestEndSent;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean answeredByProxy;
    private boolean keepClientAlive;
    private boolean responseKeepAlive;
    private boolean responseDelimited;
    private boolean skipInterimEnd;
    private boolean retried;
    private boolean finished;
    /** The step the exchange is at (or waits in). */
    private Analyser analyser = Analyser.REQUEST_HEAD;
    /** {@link #advance()} is running: a step that finishes inside it only moves {@link #analyser}. */
    private boolean advancing;
    private EarlyHints earlyHints;
    /**
     * The request's own framing broke (a bad chunk): its 400 goes with the page's header order,
     * as HAProxy's multiplexer sends it, not with {@code connection} moved last (recorded).
     */
    private boolean brokenFraming;

    HttpExchange(HttpSessionHandler owner, Stream stream, HttpRequest request) {
        this.owner = owner;
        this.stream = stream;
        this.request = request;
        this.client = owner.client();
        this.clientVersion = request.protocolVersion();
        // Read once; from here on rules and scripts see Connection as HAProxy's parser leaves it.
        int connectionOptions = ConnectionTokens.clean(request.headers());
        // The frontend's httpclose closes the client connection after each response, as the client's "close" would.
        boolean clientKeepsAlive = ConnectionTokens.keepsAlive(clientVersion, connectionOptions);
        this.clientSaidClose = !clientKeepsAlive;
        this.clientWantsKeepAlive = clientKeepsAlive
                && owner.session().frontend().connectionMode() != ConnectionMode.CLOSE;
        // Upgrade is HTTP/1.1's: a 1.0 exchange never becomes a tunnel (its Upgrade header is not
        // forwarded, and a 101 to it is a 502), so no second request can slip past the rules in one.
        // The cheap checks first: scanning Connection's values costs more, and is rarely needed.
        this.upgradeRequested = clientVersion == HttpVersion.HTTP_1_1
                && request.headers().contains(HttpHeaderNames.UPGRADE)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        long length = chunked ? -1 : HttpUtil.getContentLength(request, 0L);
        this.replayable = isIdempotent(request.method()) && length == 0;
        this.requestHasBody = chunked || length > 0;
        this.cheapToDrain = !chunked && length <= MAX_DRAINED_BODY;
        this.bodyLeft = chunked ? 0 : length;
        this.wireOutStart = owner.wire().bytesOut;
        this.wireInStart = owner.wire().bytesInCounted;
        this.keepClientAlive = clientWantsKeepAlive;
        this.buffering = new RequestBuffering(owner);
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
        return upgrade != null;
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
        if (responseHead == null && responseMessage != null) {
            responseHead = new NettyHttpHead(responseMessage);
        }
        return responseHead;
    }

    /** {@code response} is the response from now on; its {@link HttpHead} is made only if something asks for it. */
    private void responseIs(HttpResponse response) {
        responseMessage = response;
        responseHead = null;
    }

    @Override
    public byte[] requestBody() {
        return upstream != null ? null : buffering.array();
    }

    @Override
    public ChannelBuffer channel(boolean response) {
        return new HttpChannelBuffer(this, response);
    }

    // ---- the analysers ------------------------------------------------------------------------

    void start() {
        stream.requestReceived(request.method().name(), request.uri(), clientVersion.text());
        advance();
    }

    /**
     * The one loop: runs the current analyser, then the next, for as long as each finishes at once.
     * One that waits (for an action, a filter, the body, the server, a service) is resumed by the
     * event it waits for, through {@link #next}; a proxy answer jumps to {@link Analyser#END}.
     */
    private void advance() {
        if (advancing) {
            return;
        }
        advancing = true;
        try {
            Analyser ran;
            do {
                ran = analyser;
                analyse(ran);
            } while (analyser != ran);
        } finally {
            advancing = false;
        }
    }

    /** {@code done} finished: the loop goes on with the analyser after it (unless the exchange went elsewhere meanwhile). */
    private void next(Analyser done) {
        if (analyser != done) {
            return;
        }
        analyser = done.next();
        advance();
    }

    private void analyse(Analyser step) {
        switch (step) {
            case REQUEST_HEAD -> requestHead();
            case FRONTEND_BUFFER -> waitBody(owner.session().frontend().httpBufferRequest());
            case FRONTEND_RULES -> runRules(RuleList.FRONTEND_HTTP_REQUEST);
            case BACKEND_CHOICE -> chooseBackend();
            case BACKEND_BUFFER -> waitBody(backend.httpBufferRequest());
            case BACKEND_RULES -> runRules(RuleList.BACKEND_HTTP_REQUEST);
            case REQUEST_FILTERS -> filterRequestHead();
            case CONNECT -> {
                // The request's processing ends where the server connection is asked for, as in HAProxy.
                stream.endRequestScope();
                stream.connect(ReusePolicy.BACKEND_DEFAULT, this);
            }
            case SERVICE -> filterServiceRequest();
            case FORWARD -> forwardRequest();
            case RESPONSE_HEAD -> {
                if (filters != null) {
                    filters.startResponse(() -> next(Analyser.RESPONSE_HEAD), this::responseFilterFailed);
                } else {
                    next(Analyser.RESPONSE_HEAD);
                }
            }
            case RESPONSE_RULES -> {
                if (backend == null && service != null && !service.takesResponseRules()) {
                    // HAProxy's stats page skips the http-response rules (http-after-response still runs).
                    next(Analyser.RESPONSE_RULES);
                } else if (backend == null) {
                    // A service chosen by the frontend's rules: no backend, no backend rules.
                    stageDone(RuleList.BACKEND_HTTP_RESPONSE);
                } else {
                    runRules(RuleList.BACKEND_HTTP_RESPONSE);
                }
            }
            case AFTER_RESPONSE -> afterResponse();
            case BODY -> {
                if (service != null) {
                    forwardServiceResponse();
                } else {
                    forwardResponse();
                }
            }
            case END -> {
                // Nothing runs after the end.
            }
        }
    }

    /** How a rule list ended, as the engine tells it. */
    @Override
    public void concluded(RuleList list, Verdict verdict) {
        switch (verdict) {
            case CONTINUE, ALLOW -> stageDone(list);
            case STOP -> {
                if (!answered()) {
                    // An action said it answered and did not: the client must not wait for nothing.
                    fail(Failure.INTERNAL, 500);
                }
            }
            default -> {
                // PENDING: the resume goes on from here. WAIT is "not matched" in HTTP lists.
            }
        }
    }

    /**
     * Runs {@code list} (each list once per exchange: the last evaluation). Until a list with rules
     * runs there is no run to make: an empty list concludes CONTINUE at once, as a run of it would,
     * and the 64 bytes of the run are not allocated for a request no rule looks at.
     */
    private void runRules(RuleList list) {
        if (rules == null && stream.rules().isEmpty(list)) {
            concluded(list, Verdict.CONTINUE);
            return;
        }
        ruleRun().run(list, true);
    }

    /** The rule run, made now if no list with rules ran yet (an action outside a run then fails to suspend, as before). */
    private RuleRun ruleRun() {
        if (rules == null) {
            rules = stream.rules().newRun(this, RulePolicy.HTTP, this);
        }
        return rules;
    }

    private boolean rulesSuspended() {
        return rules != null && rules.suspended();
    }

    /** {@code list} ran to its end, or an action allowed: the step after it. */
    private void stageDone(RuleList list) {
        switch (list) {
            case FRONTEND_HTTP_REQUEST -> {
                // stats-uri is matched after the frontend's rules (even after an allow), before the
                // backend is chosen, as HAProxy's http_process_req_common does. When it serves the
                // page, the exchange has moved to SERVICE and next() below does nothing.
                if (!stream.rules().runToEnd(RuleList.FRONTEND_STATS, this)) {
                    fail(Failure.INTERNAL, 500);
                    return;
                }
                next(Analyser.FRONTEND_RULES);
            }
            case BACKEND_HTTP_REQUEST -> next(Analyser.BACKEND_RULES);
            case BACKEND_HTTP_RESPONSE -> runRules(RuleList.FRONTEND_HTTP_RESPONSE);
            case FRONTEND_HTTP_RESPONSE -> next(Analyser.RESPONSE_RULES);
            default -> throw new IllegalStateException(list + " is not an HTTP exchange's list");
        }
    }

    /** The request head is in: CONNECT is refused, and the frontend's filters start their analysis. */
    private void requestHead() {
        // monitor-uri answers before any filter or rule, as HAProxy's http_wait_for_request does.
        if (!stream.rules().runToEnd(RuleList.FRONTEND_MONITOR, this)) {
            // The check itself broke (reported): the monitor must not see a healthy 200.
            fail(Failure.INTERNAL, 500);
            return;
        }
        if (answered()) {
            return;
        }
        if (request.method() == HttpMethod.CONNECT) {
            // Tunnels through CONNECT are not offered: the client codec would leave HTTP for good.
            terminate(Failure.BAD_REQUEST);
            answer(errorPage(501));
            return;
        }
        if (stream.rules().hasFilters(ProxySide.FRONTEND)) {
            filters = new ExchangeFilters(this, client.executor(), client.alloc());
            filters.attachAndStart(ProxySide.FRONTEND, () -> next(Analyser.REQUEST_HEAD), this::requestFilterFailed);
            return;
        }
        next(Analyser.REQUEST_HEAD);
    }

    /** http-buffer-request: holds the request back until its body is complete or fills tune.bufsize. */
    private void waitBody(boolean wanted) {
        if (!wanted || bodyReady()) {
            next(analyser);
            return;
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            // The client waits for leave to send its body: give it now, and the server none again.
            request.headers().remove(HttpHeaderNames.EXPECT);
            writeInterim(new io.netty.handler.codec.http.DefaultHttpResponse(HttpVersion.HTTP_1_1,
                    io.netty.handler.codec.http.HttpResponseStatus.CONTINUE));
        }
        buffering.startWait();
    }

    boolean bufferingBody() {
        return buffering.waiting();
    }

    /** timeout.http-request struck while the body was held back for the rules. */
    void bodyTimedOut() {
        if (finished || !buffering.timedOut()) {
            return;
        }
        owner.lastRequest();
        fail(Failure.CLIENT_TIMEOUT, 408);
    }

    private boolean bodyReady() {
        return requestComplete || buffering.heldBytes() >= owner.session().frontend().bufferSize();
    }

    @Override
    public boolean halted() {
        return answered();
    }

    /** Whether the stream must not go on: answered by the proxy, handed to a service, or ended. */
    boolean answered() {
        // A service's response goes through the response rules as a server's does: the service
        // answers the request, not the response rules that run on its head.
        return finished || answeredByProxy || service != null && analyser.requestSide();
    }

    /**
     * The response rules let the response through: the http-after-response rules see it, then
     * the filters see its head (HAProxy's order in http_process_res_common).
     */
    private void afterResponse() {
        stream.endRequestScope();
        if (!AfterResponseRules.run(this, backend != null)) {
            fail(Failure.INTERNAL, 500);
            return;
        }
        if (filters != null) {
            filters.headers(true, response(), () -> next(Analyser.AFTER_RESPONSE), this::responseFilterFailed);
        } else {
            next(Analyser.AFTER_RESPONSE);
        }
    }

    /** The frontend's rules are through: the backend is chosen and its filters start their analysis. */
    private void chooseBackend() {
        backend = stream.route(this);
        if (backend == null) {
            terminate(Failure.BAD_REQUEST);
            answer(errorPage(503));
            return;
        }
        if (stream.rules().hasFilters(ProxySide.BACKEND)) {
            if (filters == null) {
                filters = new ExchangeFilters(this, client.executor(), client.alloc());
            }
            filters.attachAndStart(ProxySide.BACKEND, () -> next(Analyser.BACKEND_CHOICE), this::requestFilterFailed);
            return;
        }
        next(Analyser.BACKEND_CHOICE);
    }

    /** The head is rewritten for the server; the filters see it (in the request's own version) and learn its framing. */
    private void filterRequestHead() {
        HeadRewriter.forUpstream(request, upgradeRequested);
        UniqueIdHeader.add(stream, owner.session().frontend(), request);
        ForwardedForHeader.add(stream.source().getAddress(), owner.session().frontend(), backend, request);
        // Last, as HAProxy's H1 multiplexer writes it: server-close and httpclose tell the server to close.
        if (owner.session().frontend().connectionMode() != ConnectionMode.KEEP_ALIVE
                || backend.connectionMode() != ConnectionMode.KEEP_ALIVE) {
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (filters == null) {
            reframeRequest();
            next(Analyser.REQUEST_FILTERS);
            return;
        }
        // The filters see the request's own version (HAProxy's get_stline); the server gets HTTP/1.1.
        request.setProtocolVersion(clientVersion);
        filters.headers(false, request(), () -> {
            request.setProtocolVersion(HttpVersion.HTTP_1_1);
            reframeRequest();
            boolean chunked = HttpUtil.isTransferEncodingChunked(request);
            if (requestHasBody && !chunked && filters.wantsPayload(false)) {
                // A filter may change the body's length: the server gets it chunked.
                request.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                HttpUtil.setTransferEncodingChunked(request, true);
                chunked = true;
            }
            filters.framing(false, requestHasBody, chunked);
            next(Analyser.REQUEST_FILTERS);
        }, this::requestFilterFailed);
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

    /** A filter said ERROR on the request side: 400, as HAProxy answers. */
    private void requestFilterFailed() {
        fail(Failure.BAD_REQUEST, 400);
    }

    /** A filter said ERROR on the response side: 502, or a closed connection once the response is under way. */
    private void responseFilterFailed() {
        fail(Failure.BAD_RESPONSE, 502);
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
            owner.lastRequest();
            brokenFraming = true;
            fail(Failure.BAD_REQUEST, 400);
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
            buffering.hold(content);
            return;
        }
        if (answeredByProxy || finished || upstream == null && !buffering.holding() && responseComplete) {
            content.release();
            if (last) {
                maybeFinish();
            }
            return;
        }
        if (upstream == null) {
            buffering.hold(content);
            if (buffering.waiting() && bodyReady()) {
                buffering.endWait();
                next(analyser);
            }
            return;
        }
        Channel up = upstream.channel();
        if (requestEndSent && last) {
            content.release();
            requestForwarded = true;
            return;
        }
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
            return serving || rulesSuspended();
        }
        if (serving) {
            // Until the filters let the service start, at most tune.bufsize waits with the head.
            return serviceStarted ? service.wantsBody() : buffering.heldBytes() < owner.session().frontend().bufferSize();
        }
        if (rulesSuspended() && analyser.requestSide()) {
            return buffering.heldBytes() < owner.session().frontend().bufferSize();
        }
        return answeredByProxy || buffering.waiting() || upstream != null && upstream.channel().isWritable();
    }

    // ---- upstream connection ------------------------------------------------------------------

    @Override
    public void connected(UpstreamConnection connection) {
        if (finished || answeredByProxy) {
            stream.release(connection, false);
            return;
        }
        upstream = connection;
        next(Analyser.CONNECT);
    }

    /** The server connection is there: the request head goes, then the body held so far; the response head is awaited. */
    private void forwardRequest() {
        Channel up = upstream.channel();
        upstreamHandler = up.pipeline().get(UpstreamHandler.class);
        upstreamHandler.attach(this);
        owner.serverTimer().start(backend.serverTimeoutMillis());
        if (!retried && !requestHasBody && !requestComplete && filters == null
                && up.parent() == null && !buffering.holding()) {
            // A request without a body goes to an HTTP/1.1 server as one message: one pass of the
            // encoder, one write and one flush instead of two of each. Only an empty end can follow
            // it: an HTTP/1.1 request has no framing header, and an HTTP/2 one either ended with
            // its HEADERS or says content-length 0 (the bridge marks any other chunked).
            up.write(new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                    Unpooled.EMPTY_BUFFER, request.headers(), EmptyHttpHeaders.INSTANCE), up.voidPromise());
            requestEndSent = true;
        } else {
            up.write(request, up.voidPromise());
        }
        if (retried) {
            // A replayable request has no body: its end is all there is to send again.
            up.write(LastHttpContent.EMPTY_LAST_CONTENT, up.voidPromise());
            requestForwarded = true;
        } else if (buffering.holding()) {
            HttpContent content;
            while ((content = buffering.poll()) != null) {
                if (!writeRequestContent(up, content)) {
                    return;
                }
            }
            buffering.drained();
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
        buffering.release();
        if (finished) {
            return;
        }
        if (!client.isActive()) {
            finish();
            return;
        }
        // The kernel already set the termination state (SC, or sC on a connect timeout).
        answer(errorPage(503));
    }

    // ---- response side ------------------------------------------------------------------------

    void upstreamRead(Object msg) {
        owner.serverTimer().touch();
        if (upgrade != null) {
            upgrade.serverBytes(msg);
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
            fail(Failure.SERVER_ABORT, 502);
        }
    }

    private void responseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            fail(Failure.SERVER_ABORT, 502);
            return;
        }
        int status = response.status().code();
        if (status < 100 || status > 999) {
            // Not a three-digit status (RFC 9110 section 15): the server's answer cannot be
            // understood, so it fails now, not at timeout.server, and never pools. HAProxy 2.6.12
            // forwards 600 to 999 as it forwards 200, framed by their length, and so does this;
            // below 100 it drops the length and lets the body go unframed, and 1000 and more
            // cannot be an HTTP/2 :status.
            fail(Failure.SERVER_ABORT, 502);
            return;
        }
        if (status == 101) {
            if (upgradeRequested) {
                analyser = Analyser.END;
                responseStarted = true;
                upgrade = new UpgradeTunnel(this, owner, stream);
                upgrade.begin(response, clientVersion);
            } else {
                // The server left HTTP on a request that did not ask for it (an HTTP/1.0 one, say):
                // as HAProxy does with a bad response, answer 502 and close, so nothing pipelined
                // behind this request is read in a state the rules never saw.
                keepClientAlive = false;
                owner.lastRequest();
                fail(Failure.SERVER_ABORT, 502);
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
        analyser = Analyser.RESPONSE_HEAD;
        stream.responseReceived(status);
        // A request that told the server to close (server-close, httpclose) does not reuse its connection.
        // The request as it went, its Connection rewritten by the rules (server-close adds close).
        responseKeepAlive = ConnectionTokens.keepsAlive(response.protocolVersion(), ConnectionTokens.clean(response.headers()))
                && HttpUtil.isKeepAlive(request);
        responseIs(response);
        // Held until the response rules are through: an action may suspend them, and one that
        // answers instead (deny, return, redirect) drops the server's response.
        held.hold(response);
        serverStatus = status;
        serverFramed = HttpUtil.isContentLengthSet(response) || HttpUtil.isTransferEncodingChunked(response);
        advance();
        // Still held after all that ran now: an action or a filter waits, and the response goes on later.
        responseRulesWaited = held.holding();
        if (responseRulesWaited) {
            owner.readIfWanted();
        }
    }

    /** The response rules and filters let the server's response through: its head goes out, then what was held of its body. */
    private void forwardResponse() {
        HttpResponse response = held.takeHead();
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
        if (!responseRulesWaited) {
            // Still inside the server's read: its end flushes and reads on. Over HTTP/1.1 the
            // head waits for what follows it in this read (sendHead).
            if (owner.ctx() != null && !HttpUtil.isTransferEncodingChunked(response)) {
                unsentHead = response;
            } else {
                client.write(response);
            }
            return;
        }
        client.write(response);
        // The rules were suspended: what the server sent meanwhile goes now, and reading resumes.
        HttpContent content;
        while ((content = held.poll()) != null) {
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

    /**
     * Sends an interim (1xx) response head to the client at once, ahead of the final response.
     */
    private void writeInterim(HttpResponse response) {
        HeadRewriter.forClient(response, clientVersion, true);
        response.headers().remove(HttpHeaderNames.CONNECTION);
        client.writeInterim(response);
    }

    private void responseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            // A broken body (bad chunk): never pass it on as if it ended well, never pool the connection.
            content.release();
            fail(Failure.BROKEN_RESPONSE_BODY, 502);
            return;
        }
        if (skipInterimEnd) {
            content.release();
            skipInterimEnd = !last;
            return;
        }
        if (held.holding()) {
            held.add(content, last);
            return;
        }
        if (filters != null) {
            content = filters.payload(true, content);
            if (content == null || last && (content = filters.end(true, content)) == null) {
                responseFilterFailed();
                return;
            }
        }
        if (unsentHead == null || !sendHead(content)) {
            client.write(content);
        }
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

    /**
     * Writes the head held back by {@link #forwardResponse}; with {@code content} when that is the
     * body's small end, as one message: the encoder puts both in one buffer.
     *
     * @param content the body part to write after the head, or {@code null}
     * @return whether {@code content} went out with the head
     */
    private boolean sendHead(HttpContent content) {
        HttpResponse head = unsentHead;
        unsentHead = null;
        if (content instanceof LastHttpContent last && last.content().readableBytes() <= MAX_MERGED_BODY) {
            client.write(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), last.content(),
                    head.headers(), last.trailingHeaders()));
            return true;
        }
        client.write(head);
        return false;
    }

    void upstreamReadComplete() {
        if (unsentHead != null) {
            sendHead(null);
        }
        client.flush();
        if (!responseComplete && upgrade == null && upstream != null && !held.holding() && client.isWritable()) {
            upstream.channel().read();
        }
    }

    void clientWritabilityChanged(boolean writable) {
        if (service != null) {
            service.writabilityChanged(writable);
            return;
        }
        if (writable && upstream != null && !responseComplete && upgrade == null && !held.holding()) {
            upstream.channel().read();
        }
    }

    void upstreamWritabilityChanged() {
        owner.readIfWanted();
    }

    /** The upstream connection closed while this exchange still needed it. */
    void upstreamClosed() {
        if (finished || responseComplete || upgrade != null || upstream == null) {
            return;
        }
        if (held.complete()) {
            // The whole response is held for the rules: the server may close after it.
            UpstreamConnection done = upstream;
            detachUpstream();
            done.channel().close();
            return;
        }
        UpstreamConnection dead = upstream;
        detachUpstream();
        // An HTTP/2 stream the server did not process (REFUSED_STREAM, above a GOAWAY's last stream id).
        boolean refused = Http2UpstreamStream.refused(dead.channel());
        dead.channel().close();
        if (!responseStarted && (dead.reused() || refused) && replayable && requestComplete && !retried) {
            // A keep-alive connection the server had closed, or a stream it refused: the request
            // never reached it. Once, on a brand-new connection, so a server that always closes
            // cannot make us loop.
            retried = true;
            requestForwarded = false;
            analyser = Analyser.CONNECT;
            stream.connect(ReusePolicy.NEW_CONNECTION, this);
            return;
        }
        fail(Failure.SERVER_ABORT, 502);
    }

    /**
     * Records why the exchange ends early. The failure site names only the cause; the phase comes
     * from where the exchange stands, here and only here (HAProxy's {@code sess_set_term_flags}, with
     * the phases its request analysers set themselves). The first cause recorded wins.
     */
    void terminate(Failure failure) {
        stream.terminate(failure.cause(), phase(failure));
    }

    private StreamPhase phase(Failure failure) {
        switch (failure) {
            case BAD_REQUEST, LOCAL_ANSWER -> {
                // Verdicts on the request (its own analysers', or a body part's on its way): R,
                // even when a response is under way.
                return StreamPhase.REQUEST;
            }
            case BROKEN_RESPONSE_BODY -> {
                return StreamPhase.DATA;
            }
            default -> {
                // The others depend on the state below.
            }
        }
        if (responseStarted) {
            return StreamPhase.DATA;
        }
        return switch (failure) {
            // A client that stops sending before any response is failing its request.
            case CLIENT_TIMEOUT -> StreamPhase.REQUEST;
            case INTERNAL -> analyser.requestSide() ? StreamPhase.REQUEST : StreamPhase.HEADERS;
            case CLIENT_ABORT -> service != null ? StreamPhase.REQUEST
                    : rulesSuspended() ? (analyser.requestSide() ? StreamPhase.REQUEST : StreamPhase.HEADERS)
                    : upstream == null ? StreamPhase.CONNECT : StreamPhase.HEADERS;
            // SERVER_ABORT, SERVER_TIMEOUT, BAD_RESPONSE: the response head was awaited or analysed.
            default -> StreamPhase.HEADERS;
        };
    }

    /** Records {@code failure} and answers {@code status}, or closes if a response is half-sent. */
    private void fail(Failure failure, int status) {
        terminate(failure);
        failResponse(status);
    }

    /** Drops the upstream connection and answers {@code status}, or closes if a response is half-sent. */
    private void failResponse(int status) {
        releaseUpstream(false);
        if (responseStarted) {
            abort();
        } else {
            answer(errorPage(status));
        }
    }

    void serverTimedOut() {
        if (finished || upstream == null || responseComplete || upgrade != null) {
            return;
        }
        if (rulesSuspended() || filters != null && filters.waiting()) {
            // An action or a filter holds the response, not the server: timeout.client bounds the wait.
            owner.serverTimer().start(backend.serverTimeoutMillis());
            return;
        }
        boolean serverStalledUpload = !requestForwarded && !upstream.channel().isWritable();
        if (!serverStalledUpload && (!requestForwarded || !client.isWritable())) {
            // Waiting for the client (its body, or room to write to it): not the server's fault.
            owner.serverTimer().start(backend.serverTimeoutMillis());
            return;
        }
        fail(Failure.SERVER_TIMEOUT, 504);
    }

    void clientTimedOut() {
        if (finished) {
            return;
        }
        if (rulesSuspended() || filters != null && filters.waiting()) {
            // An action that does not finish within timeout.client fails the stream, as a service
            // would; so does a filter that keeps saying WAIT: nothing waits forever.
            fail(Failure.INTERNAL, 500);
            return;
        }
        if (service != null && !responseComplete) {
            serviceTimedOut();
            return;
        }
        boolean serverNotReading = upstream != null && !upstream.channel().isWritable();
        if (requestComplete && client.isWritable() || serverNotReading) {
            // Waiting for the server (its answer, or room to send it the body): its own timeout applies.
            owner.clientTimer().start(owner.session().frontend().clientTimeoutMillis());
            return;
        }
        // The rest of the request will not come: this connection ends with the answer.
        owner.lastRequest();
        fail(Failure.CLIENT_TIMEOUT, 408);
    }

    /** The client connection closed. Any upstream connection in use is closed, never pooled. */
    void clientClosed() {
        if (finished) {
            return;
        }
        terminate(Failure.CLIENT_ABORT);
        releaseUpstream(false);
        buffering.release();
        if (upgrade != null) {
            upgrade.release();
        }
        finish();
    }

    // ---- answers produced by the proxy --------------------------------------------------------

    @Override
    public void reply(HttpReply reply) {
        // The action answers by itself, even from a suspension: nothing left to cancel.
        if (rules != null) {
            rules.settle();
        }
        terminate(Failure.LOCAL_ANSWER);
        answer(reply);
    }

    @Override
    public Suspension suspend() {
        return ruleRun().suspend();
    }

    @Override
    public void tarpit(HttpReply reply, long delayMillis) {
        TarpitHold.start(this, ruleRun().suspend(), reply, delayMillis);
    }

    @Override
    public void earlyHint(String name, String value, boolean last) {
        if (clientVersion != HttpVersion.HTTP_1_0) {
            (earlyHints == null ? earlyHints = new EarlyHints() : earlyHints).add(client, name, value, last);
        }
    }

    @Override
    public void reject() {
        if (rules != null) {
            rules.settle();
        }
        abort();
    }

    @Override
    public void serve(HttpService handler) {
        if (answered() || responseStarted) {
            throw new IllegalStateException("the request is answered already");
        }
        if (rules != null) {
            rules.settle();
        }
        service = new ServiceExchange(this, handler, owner.session().frontend().bufferSize());
        buffering.endWait();
        // The service takes the place of the server: it starts once the action that chose it returned.
        analyser = Analyser.SERVICE;
        advance();
    }

    /** The service's step: the request's filters see the head and the body it gets, as in HAProxy; then it is handed the request. */
    private void filterServiceRequest() {
        if (filters != null) {
            filters.headers(false, request(), () -> {
                filters.framing(false, requestHasBody, true);
                startService();
            }, this::requestFilterFailed);
            return;
        }
        startService();
    }

    private void startService() {
        if (finished || answeredByProxy) {
            return;
        }
        serviceStarted = true;
        if (buffering.holding()) {
            // Held back for the rules (http-buffer-request) or the filters: the service's body starts with it.
            HttpContent content;
            while ((content = buffering.poll()) != null) {
                if (!toService(content)) {
                    return;
                }
            }
            buffering.drained();
        }
        service.serve();
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

    /** The page the proxy answers {@code status} with: every error answer of the exchange comes from here. */
    private HttpReply errorPage(int status) {
        return ErrorPages.forStream(this, status);
    }

    /** Sends the proxy's own response (rule reply or error page) instead of the server's. */
    private void answer(HttpReply builtIn) {
        if (finished) {
            return;
        }
        HttpReply reply = ErrorPages.forStream(builtIn, backend, owner.session().frontend());
        if (rules != null) {
            rules.cancel();
        }
        if (filters != null) {
            filters.cancelWait();
        }
        held.release();
        if (service != null) {
            service.exchangeOver();
        }
        if (responseStarted) {
            abort();
            return;
        }
        analyser = Analyser.END;
        answeredByProxy = true;
        responseStarted = true;
        responseComplete = true;
        releaseUpstream(false);
        buffering.release();
        if (!requestComplete && !cheapToDrain || owner.isLastRequest() || Replies.closes(reply) || !reply.framed()) {
            // A large body still on its way would have to be read and thrown away; closing is cheaper.
            // A reply that says close (HAProxy's 400 page, for act.INVALID) is kept to its word, and
            // an error file without a length (or an empty one) ends with the connection.
            keepClientAlive = false;
            owner.lastRequest();
        }
        stream.endRequestScope();
        FullHttpResponse response = afterResponse(reply, false);
        stream.status(response.status().code());
        if (reply.silent()) {
            response.release();
        } else {
            client.writeAndFlush(response);
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
        FullHttpResponse response;
        try {
            response = Replies.toResponse(reply, keepClientAlive, clientVersion);
        } catch (IllegalArgumentException e) {
            // A header whose value was computed at run time (a return's hdr, a Lua reply's) that
            // the encoder refuses, a CR or LF in it: the client gets a 500, not a silent stream.
            if (constant) {
                throw e;
            }
            RuleFailures.reportReply(e);
            return afterResponse(errorPage(500), reply.status() == 500);
        }
        if (constant) {
            return response;
        }
        responseIs(response);
        if (AfterResponseRules.run(this, backend != null)) {
            if (!brokenFraming) {
                Replies.connectionLast(response);
            }
            return response;
        }
        response.release();
        return afterResponse(errorPage(500), reply.status() == 500);
    }

    // ---- a service answers (use-service) -----------------------------------------------------

    HttpRequest nettyRequest() {
        return request;
    }

    HttpVersion clientVersion() {
        return clientVersion;
    }

    ClientEnd client() {
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
     * The service sends its response head. As a server's, it goes through the response filters and rules first (HAProxy runs them on
     * its applets' responses too); what the service writes meanwhile is held.
     */
    void serviceHead(HttpResponse head) {
        serverStatus = head.status().code();
        stream.status(serverStatus);
        responseIs(head);
        held.hold(head);
        // A service may answer from inside the request rule that chose it: its response is analysed
        // on its own turn of the loop, as HAProxy's applet answers in its own task.
        client.executor().execute(this::serviceResponseRules);
    }

    private void serviceResponseRules() {
        if (finished || answeredByProxy || !held.holding()) {
            return;
        }
        analyser = Analyser.RESPONSE_HEAD;
        advance();
    }

    /** The response rules and filters let the service's response through. */
    private void forwardServiceResponse() {
        HttpResponse head = held.takeHead();
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
        keepClientAlive = clientWantsKeepAlive && !service.closesAfter() && !chunkedToOldClient && !owner.isLastRequest()
                && (requestComplete || cheapToDrain || service.streaming());
        if (!keepClientAlive) {
            owner.lastRequest();
        }
        HeadRewriter.forClient(head, clientVersion, keepClientAlive);
        if (service.answersInRequestVersion()) {
            HeadRewriter.inRequestVersion(head, clientVersion, keepClientAlive);
        }
        client.write(head);
        HttpContent content;
        while ((content = held.poll()) != null) {
            if (finished || answeredByProxy) {
                content.release();
            } else {
                serviceContent(content);
            }
        }
        client.flush();
        if (!finished && !answeredByProxy) {
            // A service that paused while its head was held may write again.
            service.writabilityChanged(client.isWritable());
        }
    }

    /**
     * Whether the service may write more now: the client takes it, and its head is not held by the
     * response rules (what it writes meanwhile waits in memory, so it is asked to pause).
     */
    boolean serviceMayWrite() {
        return !held.holding() && client.isWritable();
    }

    /** A part of the service's response body (this exchange now owns it); the last one ends the response. */
    void serviceContent(HttpContent content) {
        if (finished || answeredByProxy) {
            content.release();
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (held.holding()) {
            held.add(content, last);
            return;
        }
        if (filters != null) {
            content = filters.payload(true, content);
            if (content == null || last && (content = filters.end(true, content)) == null) {
                responseFilterFailed();
                return;
            }
        }
        client.writeAndFlush(content);
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
        terminate(Failure.LOCAL_ANSWER);
        answeredByProxy = true;
        responseComplete = true;
        maybeFinish();
        if (!finished) {
            owner.readIfWanted();
        }
    }

    void serviceReply(HttpReply reply) {
        terminate(Failure.LOCAL_ANSWER);
        answer(reply);
    }

    /** The service gave up: 500 before its head, a closed connection after. */
    void serviceFailed() {
        fail(Failure.INTERNAL, 500);
    }

    /** A request body larger than tune.bufsize for a service: 413, and the connection closes. */
    void serviceBodyTooLarge() {
        owner.lastRequest();
        fail(Failure.BAD_REQUEST, 413);
    }

    /**
     * timeout.client while a service answers: the client's fault when it does not send the body the
     * service waits for or does not read; else the service stayed silent, and fails as in HAProxy.
     */
    private void serviceTimedOut() {
        boolean clientStalled = service.waitsForBody() || !client.isWritable();
        owner.lastRequest();
        fail(clientStalled ? Failure.CLIENT_TIMEOUT : Failure.INTERNAL, clientStalled ? 408 : 500);
    }

    // ---- protocol upgrade (WebSocket...) ------------------------------------------------------

    /**
     * The tunnel takes over: the exchange ends here (its filters closed, its bytes counted) and
     * hands its server connection on, or {@code null} when it ended meanwhile.
     */
    UpstreamConnection endForTunnel() {
        if (finished) {
            return null;
        }
        finished = true;
        if (filters != null) {
            filters.close();
        }
        countBytes();
        return upstream;
    }

    /** Bytes the client sent after its upgrade request, before the tunnel existed. */
    void clientBytesDuringUpgrade(Object msg) {
        if (upgrade != null) {
            upgrade.clientBytes(msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Whether the client announced this request as its last: it sends nothing after it. */
    boolean clientSaidClose() {
        return clientSaidClose;
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
        analyser = Analyser.END;
        unsentHead = null;
        if (rules != null) {
            rules.cancel();
        }
        if (filters != null) {
            filters.close();
        }
        held.release();
        if (service != null) {
            service.exchangeOver();
        }
        owner.serverTimer().stop();
        countBytes();
        stream.end();
    }

    private void countBytes() {
        stream.addBytesToClient(owner.wire().bytesOut - wireOutStart);
        stream.addBytesFromClient(owner.wire().bytesIn - wireInStart);
        owner.wire().bytesInCounted = owner.wire().bytesIn;
    }

    /** Closes the client connection: the response cannot be completed. */
    private void abort() {
        if (unsentHead != null) {
            // What the client would have got before the close, had the head gone at once.
            sendHead(null);
        }
        releaseUpstream(false);
        buffering.release();
        finish();
        owner.abort();
    }

    private void releaseUpstream(boolean reusable) {
        if (upstream != null) {
            UpstreamConnection connection = upstream;
            detachUpstream();
            if (reusable && connection.channel().parent() == null) {
                // An HTTP/1.1 connection going idle stays read, as HAProxy keeps its idle server
                // connections polled: bytes out of turn are seen at once (the idle
                // connection's handler closes it), and the poller is not told to stop reading
                // now and to start again with the next request (two epoll_ctl per request).
                connection.channel().read();
            }
            stream.release(connection, reusable);
        }
    }

    void detachUpstream() {
        owner.serverTimer().stop();
        if (upstreamHandler != null) {
            upstreamHandler.detach();
            upstreamHandler = null;
        }
        upstream = null;
    }
}
