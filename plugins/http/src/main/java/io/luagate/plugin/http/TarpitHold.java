package io.luagate.plugin.http;

import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code http-request tarpit}: the rules wait on a timer of the client's loop, then the exchange
 * answers. As in HAProxy 2.6 the stream is logged {@code PT} (even when the client leaves first,
 * which ends the stream at once here: the timer is cancelled with the suspension), and neither
 * {@code timeout.client} nor a half-close cuts the hold short: only the tarpit delay bounds it.
 */
final class TarpitHold {

    private TarpitHold() {
    }

    static void start(HttpExchange exchange, Suspension suspension, HttpReply reply, long delayMillis) {
        exchange.stream().terminate(TerminationCause.PROXY, StreamPhase.TARPIT);
        exchange.stream().status(reply.status());
        exchange.owner().clientTimer().stop();
        ScheduledFuture<?> timer = exchange.client().executor().schedule(() -> exchange.reply(reply),
                Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        suspension.onCancel(() -> timer.cancel(false));
    }
}
