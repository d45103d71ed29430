package io.luagate.plugin.lua.net;

import io.luagate.plugin.lua.engine.LuaCall;
import io.luagate.spi.pool.UpstreamKey;
import io.luagate.spi.pool.UpstreamPool;
import io.luagate.spi.rule.ErrorPages;
import io.luagate.spi.rule.HttpReply;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;

/**
 * One request of {@code core.httpclient()}: on an idle pooled connection for the same destination
 * when there is one, else on a new connection made on the call's loop; the call is suspended until
 * the whole response is in. A complete keep-alive response gives the connection back to the pool.
 * A pooled connection that dies before the first response byte gets the request once more, on a
 * brand-new connection, when the method is idempotent (CORE-PRINCIPLES 6); nothing else is retried.
 */
public final class HttpClientExchange {

    /** The pool partition of the Lua HTTP client: its connections never mix with a backend's. */
    public static final String PARTITION = "lua.httpclient";
    /** The largest response body kept in memory for the script. */
    public static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
    /** HAProxy's internal proxies give up a connect after 5 s. */
    static final long CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final String USER_AGENT = "luagate";
    /** The reasons HAProxy's error pages give. */
    private static final Map<Integer, String> REASONS = Map.of(502, "Bad Gateway", 503, "Service Unavailable",
            504, "Gateway Time-out");

    private final LuaCall call;
    private final HttpClientRequest request;
    private final Destination destination;
    private final UpstreamPool pool;
    private final UpstreamKey key;

    private HttpClientExchange(LuaCall call, HttpClientRequest request, UpstreamPool pool) {
        this.call = call;
        this.request = request;
        this.destination = request.destination();
        // A Unix socket has no UpstreamKey: such connections are used once.
        this.pool = destination.unix() ? null : pool;
        // TLS and the name checked are part of the destination's identity (CORE-PRINCIPLES 5).
        this.key = this.pool == null ? null : request.url().tls()
                ? new UpstreamKey(destination.inet(), true, request.url().host(), null, 0, PARTITION)
                : UpstreamKey.plain(destination.inet(), PARTITION);
    }

    /**
     * Sends {@code request} and returns the response, suspending {@code call} meanwhile.
     *
     * @param pool the idle connections of the call's loop, or {@code null} when there is no pool plugin
     * @throws LuaError when the response is larger than {@link #MAX_RESPONSE_BYTES}
     */
    public static HttpClientResponse send(LuaCall call, HttpClientRequest request, UpstreamPool pool) {
        return new HttpClientExchange(call, request, pool).run();
    }

    /** What one attempt gave: the response, and whether a failure may be retried on a new connection. */
    private record Result(HttpClientResponse response, boolean retryable) {
    }

    private HttpClientResponse run() {
        // The pool and every channel operation belong to the call's loop thread (LuaCall.onLoop).
        Channel idle = pool == null ? null : call.fromLoop(() -> pool.poll(key, 0));
        if (idle != null) {
            Result reused = attempt(idle);
            if (!reused.retryable() || !request.idempotent()) {
                return reused.response();
            }
        }
        return attempt(null).response();
    }

    private Result attempt(Channel reused) {
        HttpClientConnection.Attempt attempt = new HttpClientConnection.Attempt();
        HttpClientConnection connection;
        Channel channel;
        ChannelFuture connecting = null;
        if (reused != null) {
            channel = reused;
            connection = channel.pipeline().get(HttpClientConnection.class);
        } else {
            connection = new HttpClientConnection();
            try {
                connecting = call.fromLoop(() -> bootstrap(call.loop(), connection).connect(Transports.address(call.loop(), destination)));
            } catch (RuntimeException e) {
                return new Result(errorPage(503), false);
            }
            channel = connecting.channel();
        }
        Runnable closeWithCall = channel::close;
        call.onEnd(closeWithCall);
        connection.begin(attempt);
        try {
            if (connecting != null) {
                ChannelFuture connect = connecting;
                connect.addListener(done -> attempt.wait.wake());
                attempt.wait.await(call, () -> connect.isDone() || attempt.closed, CONNECT_TIMEOUT_MILLIS);
                if (!connect.isSuccess()) {
                    connection.idle();
                    call.onLoop(channel::close);
                    return new Result(errorPage(503), false);
                }
            }
            FullHttpRequest out = newRequest();
            call.onLoop(() -> channel.writeAndFlush(out).addListener(written -> {
                if (written.isSuccess()) {
                    attempt.wait.touch();
                } else {
                    attempt.failed(written.cause());
                }
            }));
            boolean inTime = attempt.wait.await(call, attempt::done, request.timeoutMillis());
            connection.idle();
            if (!inTime) {
                call.onLoop(channel::close);
                return new Result(errorPage(504), false);
            }
            return call.fromLoop(() -> finish(attempt, connection, channel, reused != null));
        } catch (RuntimeException | Error e) {
            // The call was cancelled (its stream ended) or went over a limit while it waited.
            connection.idle();
            attempt.discard();
            call.onLoop(channel::close);
            throw e;
        } finally {
            call.dropEndHook(closeWithCall);
        }
    }

    private Result finish(HttpClientConnection.Attempt attempt, HttpClientConnection connection, Channel channel,
                          boolean reused) {
        FullHttpResponse response = attempt.response;
        attempt.response = null;
        if (response == null) {
            channel.close();
            if (attempt.failure instanceof TooLongFrameException) {
                throw tooLarge();
            }
            return new Result(errorPage(502), reused && !attempt.bytesSeen);
        }
        try {
            if (!response.decoderResult().isSuccess()) {
                channel.close();
                if (response.decoderResult().cause() instanceof TooLongFrameException) {
                    throw tooLarge();
                }
                return new Result(errorPage(502), false);
            }
            HttpClientResponse out = convert(response);
            if (HttpUtil.isKeepAlive(response) && channel.isActive() && pool != null
                    && pool.offer(key, channel, ++connection.uses)) {
                return new Result(out, false);
            }
            channel.close();
            return new Result(out, false);
        } finally {
            response.release();
        }
    }

    private static LuaError tooLarge() {
        return new LuaError("httpclient: the response is larger than " + (MAX_RESPONSE_BYTES >> 20)
                + " MiB, luagate's limit for a response held in Lua");
    }

    private FullHttpRequest newRequest() {
        byte[] body = request.body();
        FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(request.method()),
                request.url().target(), body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        HttpHeaders headers = out.headers();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        // As HAProxy's HTTP client: Host from the URL, Accept and User-Agent unless the script gave them.
        if (!headers.contains(HttpHeaderNames.HOST)) {
            headers.set(HttpHeaderNames.HOST, request.url().authority());
        }
        if (!headers.contains(HttpHeaderNames.ACCEPT)) {
            headers.set(HttpHeaderNames.ACCEPT, "*/*");
        }
        if (!headers.contains(HttpHeaderNames.USER_AGENT)) {
            headers.set(HttpHeaderNames.USER_AGENT, USER_AGENT);
        }
        // The body is sent whole: its length is known, whatever framing the script asked for.
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        if (body != null || request.method().equals("POST") || request.method().equals("PUT")) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
        }
        return out;
    }

    private Bootstrap bootstrap(EventLoop loop, HttpClientConnection connection) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(Transports.channelClass(loop, destination))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (request.url().tls()) {
                            ch.pipeline().addLast(request.tls().handler(ch.alloc(), request.url().host(), request.url().port()));
                        }
                        ch.pipeline().addLast(connection.firstBytes)
                                .addLast(new HttpClientCodec(8192, 16384, 8192))
                                .addLast(new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                                .addLast(connection);
                    }
                });
        if (!destination.unix()) {
            bootstrap.option(ChannelOption.TCP_NODELAY, true);
        }
        return bootstrap;
    }

    private static HttpClientResponse convert(FullHttpResponse response) {
        List<Map.Entry<String, String>> headers = new ArrayList<>(response.headers().size());
        response.headers().iteratorAsString().forEachRemaining(headers::add);
        return new HttpClientResponse(response.status().code(), response.status().reasonPhrase(), headers,
                ByteBufUtil.getBytes(response.content()));
    }

    /** The page HAProxy's own stream answers with when the server could not give a response. */
    static HttpClientResponse errorPage(int status) {
        HttpReply page = ErrorPages.forStatus(status);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (HttpReply.Header header : page.headers()) {
            headers.add(Map.entry(header.name(), header.value()));
        }
        return new HttpClientResponse(status, REASONS.get(status), headers, page.body().clone());
    }
}
