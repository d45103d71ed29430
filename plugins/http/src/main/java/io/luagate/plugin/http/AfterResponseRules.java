package io.luagate.plugin.http;

import io.luagate.spi.rule.RuleEngine;
import io.luagate.spi.rule.RuleList;
import io.luagate.spi.rule.Transaction;

/**
 * Runs the {@code http-after-response} rules on a response about to leave: the backend's, then the
 * frontend's (HAProxy's {@code http_eval_after_res_rules}). HAProxy 2.6 allows no action there
 * that answers or waits, so the engine runs the lists inline, to their end; {@code allow} ends its
 * own list.
 */
final class AfterResponseRules {

    private AfterResponseRules() {
    }

    /**
     * @param hasBackend whether the stream has a backend: before one was chosen only the frontend's
     *                   rules run, as in HAProxy where the backend is the frontend
     * @return {@code false} when an action failed: the caller answers 500 instead
     */
    static boolean run(Transaction txn, boolean hasBackend) {
        RuleEngine engine = txn.stream().rules();
        if (hasBackend && !engine.runToEnd(RuleList.BACKEND_HTTP_AFTER_RESPONSE, txn)) {
            return false;
        }
        return engine.runToEnd(RuleList.FRONTEND_HTTP_AFTER_RESPONSE, txn);
    }
}
