package io.luagate.plugin.health;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.health.ServerCheckSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One check of one server, on one event loop and without blocking it: a TCP connect, then for an
 * HTTP check the request and as much of the response as the rules need. Every path ends in exactly
 * one result: the connect's failure ({@code L4CON}, {@code L4TOUT}), the connect itself
 * ({@code L4OK}), the response judged by the rules, or its absence ({@code L7TOUT}, {@code L7RSP}).
 * The connection closes with a reset (linger 0), as HAProxy's checks do, so checks leave no
 * TIME_WAIT behind.
 */
final class CheckProbe extends ChannelInboundHandlerAdapter {

    private static final java.util.regex.Pattern ERRNO = java.util.regex.Pattern.compile("error\\(-(\\d+)\\)");

    private final EventLoop loop;
    private final ServerCheckSettings settings;
    private final HttpCheckRequest request;
    private final ExpectRules rules;
    private final Consumer<CheckResult> done;
    private final long start = System.nanoTime();
    private byte[] data;
    private int length;
    private Channel channel;
    private ScheduledFuture<?> timer;
    private boolean finished;

    /**
     * @param request the HTTP request, or {@code null} for a TCP check
     * @param rules   its expect rules, with a request
     * @param done    told the result once, on {@code loop}
     */
    private CheckProbe(EventLoop loop, ServerCheckSettings settings, HttpCheckRequest request, ExpectRules rules,
                       Consumer<CheckResult> done) {
        this.loop = loop;
        this.settings = settings;
        this.request = request;
        this.rules = rules;
        this.done = done;
    }

    /** Starts a check of {@code target}; call on {@code loop}. */
    static void run(EventLoop loop, Class<? extends Channel> channelClass, InetSocketAddress target,
                    ServerCheckSettings settings, HttpCheckRequest request, ExpectRules rules, Consumer<CheckResult> done) {
        CheckProbe probe = new CheckProbe(loop, settings, request, rules, done);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout()))
                .option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(probe);
        ChannelFuture connect = bootstrap.connect(target);
        probe.channel = connect.channel();
        connect.addListener(f -> probe.connected(connect));
    }

    private void connected(ChannelFuture connect) {
        if (!connect.isSuccess()) {
            Throwable cause = connect.cause();
            if (cause instanceof ConnectTimeoutException) {
                finish(new CheckResult(CheckStatus.L4TOUT, 0, "", elapsed()));
            } else {
                finish(new CheckResult(CheckStatus.L4CON, 0, reason(cause), elapsed()));
            }
            return;
        }
        if (request == null) {
            finish(new CheckResult(CheckStatus.L4OK, 0, "", elapsed()));
            return;
        }
        // Without timeout.check, inter bounds the whole check; with it, the response has that long from now.
        long wait = settings.separateReadTimeout() ? settings.readTimeout()
                : Math.max(1, settings.interMillis() - elapsed());
        timer = loop.schedule(() -> finish(new CheckResult(CheckStatus.L7TOUT, 0, "", elapsed())), wait, TimeUnit.MILLISECONDS);
        data = new byte[1024];
        channel.writeAndFlush(Unpooled.wrappedBuffer(request.bytes())).addListener(w -> {
            if (!w.isSuccess()) {
                finish(new CheckResult(CheckStatus.SOCKERR, 0, reason(w.cause()), elapsed()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (finished || data == null) {
                return;
            }
            int n = Math.min(in.readableBytes(), CheckResponse.LIMIT - length);
            if (length + n > data.length) {
                data = java.util.Arrays.copyOf(data, Math.min(CheckResponse.LIMIT, Math.max(length + n, data.length * 2)));
            }
            in.readBytes(data, length, n);
            length += n;
        } finally {
            in.release();
        }
        judgeIfComplete(false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished && data != null) {
            judgeIfComplete(true);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished && data != null) {
            // What came before the error may be the whole response (a reset after it, for one).
            if (!judgeIfComplete(true)) {
                finish(new CheckResult(CheckStatus.SOCKERR, 0, reason(cause), elapsed()));
            }
        }
    }

    /**
     * Judges the response once enough of it came: the head when no rule reads the body, else the
     * body to its length, to the close, or to the buffer's end. At the close, with no head at all,
     * it is HAProxy's {@code L7RSP}.
     *
     * @return whether the check ended
     */
    private boolean judgeIfComplete(boolean closed) {
        int end = CheckResponse.headEnd(data, length);
        boolean full = length >= CheckResponse.LIMIT;
        if (end < 0) {
            if (closed || full) {
                finish(length == 0 ? new CheckResult(CheckStatus.L7RSP, 0, "", elapsed())
                        : rules.evaluate(CheckResponse.parse(data, full ? length : -1, length), elapsed()));
                return true;
            }
            return false;
        }
        if (rules.needsBody() && !closed && !full) {
            long declared = CheckResponse.contentLength(data, end);
            if (declared < 0 || length - end < declared) {
                return false;
            }
        }
        finish(rules.evaluate(CheckResponse.parse(data, end, length), elapsed()));
        return true;
    }

    private void finish(CheckResult result) {
        if (finished) {
            return;
        }
        finished = true;
        if (timer != null) {
            timer.cancel(false);
        }
        data = null;
        channel.close();
        done.accept(result);
    }

    private long elapsed() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** The system's words for a failed connect ({@code Connection refused}), as HAProxy prints strerror's. */
    static String reason(Throwable cause) {
        String message = cause == null ? null : cause.getMessage();
        if (message == null) {
            return cause instanceof ConnectException ? "Connection refused" : "";
        }
        // Netty's epoll transport gives the errno: "finishConnect(..) failed with error(-111)".
        java.util.regex.Matcher errno = ERRNO.matcher(message);
        if (errno.find()) {
            return switch (Integer.parseInt(errno.group(1))) {
                case 111 -> "Connection refused";
                case 113 -> "No route to host";
                case 101 -> "Network is unreachable";
                case 104 -> "Connection reset by peer";
                case 110 -> "Connection timed out";
                case 99 -> "Cannot assign requested address";
                default -> message;
            };
        }
        int colon = message.indexOf(':');
        String text = colon > 0 ? message.substring(0, colon) : message;
        // Netty's native transport prefixes the call: "connect(..) failed: Connection refused".
        if (text.endsWith(" failed") && colon > 0) {
            String rest = message.substring(colon + 1).trim();
            int next = rest.indexOf(':');
            text = next > 0 ? rest.substring(0, next) : rest;
        }
        return text;
    }
}
