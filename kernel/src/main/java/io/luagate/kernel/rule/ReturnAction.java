package io.luagate.kernel.rule;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.HttpReply;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;

/**
 * {@code return} and {@code deny}: answer with a reply built at load time. Per request it only
 * hands the same immutable reply to the codec.
 */
final class ReturnAction implements Action {

    private final HttpReply reply;

    ReturnAction(HttpReply reply) {
        this.reply = reply;
    }

    HttpReply reply() {
        return reply;
    }

    @Override
    public Verdict execute(Transaction txn) {
        txn.reply(reply);
        return Verdict.STOP;
    }
}
