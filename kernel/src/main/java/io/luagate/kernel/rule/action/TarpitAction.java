package io.luagate.kernel.rule.action;

import io.luagate.kernel.rule.RuleSyntaxException;
import io.luagate.spi.proxy.Backend;
import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ReplyTemplate;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;

/**
 * {@code http-request tarpit [deny_status N] [deny's reply options]}: the request is held for the
 * {@code timeout.tarpit} of the proxy whose rules run (HAProxy's {@code s->be}: the frontend before
 * a backend is chosen, the backend in its own rules), then answered with the reply (500 and its
 * error page by default). The codec holds it without blocking its loop.
 */
final class TarpitAction implements Action {

    private final ReplyTemplate reply;

    private TarpitAction(ReplyTemplate reply) {
        this.reply = reply;
    }

    static Action compile(ActionSyntax syntax) throws RuleSyntaxException {
        return new TarpitAction(ReplyActions.template(syntax, ReplyActions.Kind.TARPIT));
    }

    @Override
    public Verdict execute(Transaction txn) {
        Backend backend = txn.stream().backend();
        long delay = backend != null ? backend.tarpitTimeoutMillis()
                : txn.stream().session().frontend().tarpitTimeoutMillis();
        txn.tarpit(reply.render(txn), delay);
        return Verdict.PENDING;
    }
}
