package io.luagate.plugin.http;

import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.service.HttpService;
import io.luagate.spi.service.HttpServiceExchange;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request answered by an {@link io.luagate.spi.service.HttpService}: collects the request body
 * (up to tune.bufsize) for the service and hands the response it streams to the exchange, which
 * runs the response rules and filters on it and writes it through the client connection's HTTP
 * encoder (which frames chunked bodies). The exchange keeps the connection's bookkeeping:
 * keep-alive, timers, the access log. Confined to the client's event loop.
 */
final class ServiceExchange implements HttpServiceExchange {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceExchange.class);
    private static final byte[] NO_BODY = new byte[0];

    private final HttpExchange exchange;
    private final HttpService service;
    private final ClientEnd client;
    private final int maxBody;
    /** The response ends with the connection (the service said so, or its body has no length). */
    private boolean closesAfter;
    /** No body may go on the wire (HEAD, 204, 304): writes are dropped. */
    private boolean bodiless;
    private byte[] body = NO_BODY;
    private int bodyLength;
    private boolean bodyTooLarge;
    private boolean requestEnded;
    private Consumer<byte[]> receiver;
    /** The service streams the body ({@link #receive}): parts go to it as they come. */
    private BodyReceiver stream;
    private boolean reading = true;
    private boolean started;
    private boolean ended;
    /** The exchange ended or was answered without the service: every call is ignored now. */
    private boolean over;
    private List<Runnable> writableTasks;
    private List<Runnable> closeTasks;

    ServiceExchange(HttpExchange exchange, HttpService service, int maxBody) {
        this.exchange = exchange;
        this.service = service;
        this.client = exchange.client();
        this.maxBody = maxBody;
    }

    /** Hands the request to the service (after the request's filters saw its head). */
    void serve() {
        try {
            service.serve(this);
        } catch (RuntimeException e) {
            RuleFailures.report(e);
            fail();
        }
    }

    /** Whether the service answers in the request's HTTP version (HAProxy's Lua services). */
    boolean answersInRequestVersion() {
        return service.answersInRequestVersion();
    }

    /** Whether the frontend's http-response rules see the answer (not the stats page's, as in HAProxy). */
    boolean takesResponseRules() {
        return service.takesResponseRules();
    }

    /** Whether the response ends with the connection. */
    boolean closesAfter() {
        return closesAfter;
    }

    @Override
    public Transaction transaction() {
        return exchange;
    }

    // ---- request body -------------------------------------------------------------------------

    @Override
    public void body(Consumer<byte[]> receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (over) {
            return;
        }
        if (this.receiver != null) {
            throw new IllegalStateException("body() was called already");
        }
        this.receiver = receiver;
        if (bodyTooLarge || bodyLength > maxBody || HttpUtil.getContentLength(exchange.nettyRequest(), -1L) > maxBody) {
            exchange.serviceBodyTooLarge();
            return;
        }
        if (requestEnded || exchange.requestComplete()) {
            deliverBody();
            return;
        }
        exchange.sendContinue();
        exchange.owner().readIfWanted();
    }

    @Override
    public void receive(BodyReceiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (over) {
            return;
        }
        if (this.receiver != null || stream != null) {
            throw new IllegalStateException("the body is taken already");
        }
        stream = receiver;
        if (bodyLength > 0) {
            byte[] early = Arrays.copyOf(body, bodyLength);
            body = NO_BODY;
            bodyLength = 0;
            if (!deliver(early)) {
                return;
            }
        }
        if (requestEnded || exchange.requestComplete()) {
            endStream();
            return;
        }
        exchange.sendContinue();
        exchange.owner().readIfWanted();
    }

    /** Whether the service streams the body ({@link #receive}). */
    boolean streaming() {
        return stream != null;
    }

    @Override
    public void reading(boolean on) {
        reading = on;
        if (on && !over) {
            exchange.owner().readIfWanted();
        }
    }

    /**
     * Whether the client should be read for the body: a streaming service that asks for it, else a
     * body that fits in tune.bufsize (asked for or not, yet); after the response, the rest is drained.
     */
    boolean wantsBody() {
        if (over || requestEnded) {
            return false;
        }
        if (ended) {
            return true;
        }
        if (stream != null) {
            return reading;
        }
        // Before the service chose how to take the body, at most tune.bufsize is read ahead.
        return receiver == null ? bodyLength < maxBody : !bodyTooLarge;
    }

    /** Whether the service waits for the rest of the body. */
    boolean waitsForBody() {
        if (over || requestEnded || ended) {
            return false;
        }
        return stream != null ? reading : receiver != null && !bodyTooLarge;
    }

    private boolean deliver(byte[] part) {
        try {
            stream.data(part);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("an HTTP service failed on the request body", e);
            fail();
            return false;
        }
    }

    private void endStream() {
        try {
            stream.end();
        } catch (RuntimeException e) {
            LOG.warn("an HTTP service failed at the end of the request body", e);
            fail();
        }
    }

    /** A part of the request body (this object now owns {@code content}). */
    void requestContent(HttpContent content, boolean last) {
        if (stream != null) {
            streamContent(content, last);
            return;
        }
        try {
            ByteBuf buf = content.content();
            int n = buf.readableBytes();
            if (!over && !bodyTooLarge && n > 0) {
                // The whole-body limit holds once the service asked for the whole body; parts read
                // ahead before it chose (held back for the rules, one read past tune.bufsize at
                // most) are all kept, for a service that streams them.
                if (receiver != null && (long) bodyLength + n > maxBody) {
                    bodyTooLarge = true;
                    body = NO_BODY;
                } else {
                    if (bodyLength + n > body.length) {
                        int room = Math.max(bodyLength + n, body.length * 2 + 256);
                        body = Arrays.copyOf(body, receiver != null ? Math.min(maxBody, room) : room);
                    }
                    buf.getBytes(buf.readerIndex(), body, bodyLength, n);
                    bodyLength += n;
                }
            }
        } finally {
            content.release();
        }
        requestEnded |= last;
        if (over || receiver == null) {
            return;
        }
        if (bodyTooLarge) {
            exchange.serviceBodyTooLarge();
        } else if (last) {
            deliverBody();
        }
    }

    private void streamContent(HttpContent content, boolean last) {
        byte[] part;
        try {
            ByteBuf buf = content.content();
            part = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), part);
        } finally {
            content.release();
        }
        requestEnded |= last;
        if (over || ended) {
            // The response is out: the rest of the body is read and dropped.
            return;
        }
        if (part.length > 0 && !deliver(part)) {
            return;
        }
        if (last) {
            endStream();
        }
    }

    private void deliverBody() {
        byte[] whole = bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
        body = NO_BODY;
        try {
            receiver.accept(whole);
        } catch (RuntimeException e) {
            LOG.warn("an HTTP service failed on the request body", e);
            fail();
        }
    }

    // ---- response -----------------------------------------------------------------------------

    @Override
    public void start(int status, String reason, List<Map.Entry<String, String>> headers) {
        if (over) {
            return;
        }
        if (started) {
            throw new IllegalStateException("the response was started already");
        }
        started = true;
        HttpResponseStatus line = reason == null || reason.isEmpty() ? Reasons.status(status) : new HttpResponseStatus(status, reason);
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, line);
        for (Map.Entry<String, String> header : headers) {
            head.headers().add(header.getKey(), header.getValue());
        }
        boolean serviceCloses = head.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        bodiless = exchange.nettyRequest().method() == HttpMethod.HEAD || status == 204 || status == 304;
        boolean closeDelimited = false;
        if (!bodiless && !HttpUtil.isContentLengthSet(head)) {
            if (exchange.clientVersion() == HttpVersion.HTTP_1_0) {
                // An HTTP/1.0 client cannot read chunks: the body ends with the connection.
                head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                closeDelimited = true;
            } else {
                HttpUtil.setTransferEncodingChunked(head, true);
            }
        }
        closesAfter = closeDelimited || serviceCloses;
        exchange.serviceHead(head);
    }

    @Override
    public boolean started() {
        return started;
    }

    @Override
    public boolean write(byte[] data) {
        if (over) {
            return false;
        }
        if (!started || ended) {
            throw new IllegalStateException(started ? "the response has ended" : "start() comes before write()");
        }
        if (!bodiless && data.length > 0) {
            // A copy: the caller may reuse its array while the bytes wait in the outbound buffer.
            ByteBuf buf = client.alloc().buffer(data.length).writeBytes(data);
            exchange.serviceContent(new DefaultHttpContent(buf));
        }
        return exchange.serviceMayWrite();
    }

    @Override
    public void onWritable(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (over) {
            return;
        }
        if (exchange.serviceMayWrite()) {
            task.run();
            return;
        }
        if (writableTasks == null) {
            writableTasks = new ArrayList<>(2);
        }
        writableTasks.add(task);
    }

    void writabilityChanged(boolean writable) {
        if (!writable || writableTasks == null || over) {
            return;
        }
        List<Runnable> tasks = writableTasks;
        writableTasks = null;
        for (Runnable task : tasks) {
            task.run();
        }
    }

    @Override
    public void end() {
        if (over) {
            return;
        }
        if (!started || ended) {
            throw new IllegalStateException(started ? "the response has ended already" : "start() comes before end()");
        }
        ended = true;
        writableTasks = null;
        exchange.serviceContent(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    @Override
    public void reply(HttpReply reply) {
        if (over) {
            return;
        }
        if (started) {
            throw new IllegalStateException("the response was started already");
        }
        started = true;
        ended = true;
        exchange.serviceReply(reply);
    }

    @Override
    public void fail() {
        if (over || ended) {
            return;
        }
        ended = true;
        writableTasks = null;
        exchange.serviceFailed();
    }

    @Override
    public void onClose(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (ended) {
            return;
        }
        if (over) {
            task.run();
            return;
        }
        if (closeTasks == null) {
            closeTasks = new ArrayList<>(2);
        }
        closeTasks.add(task);
    }

    /**
     * The exchange is over without the service's end (the client left, a timeout, a refused body):
     * the service is told once and ignored from now on.
     */
    void exchangeOver() {
        if (over) {
            return;
        }
        over = true;
        writableTasks = null;
        body = NO_BODY;
        List<Runnable> tasks = closeTasks;
        closeTasks = null;
        if (tasks != null && !ended) {
            for (Runnable task : tasks) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("an HTTP service's close task failed", e);
                }
            }
        }
    }
}
